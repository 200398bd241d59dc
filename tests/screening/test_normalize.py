"""Normalisation units: legal forms, scripts, numbers, acronyms, person names."""
from __future__ import annotations

import pytest

from earcheck.screening.normalize import (
    clean,
    han_to_latin,
    initials,
    normalize,
    normalize_numbers,
    paren_acronyms,
    pinyin_glossary,
)


def texts(name: str, person: bool = False) -> list[str]:
    return [t.text for t in normalize(name, person).tokens]


def kinds(name: str) -> dict[str, str]:
    return {t.text: t.kind for t in normalize(name).tokens}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO LTD"),
        ("Huawei Technologies Co., Ltd.", "Huawei Technologies Company Limited"),
        ("华为技术有限公司", "Huawei Technology Co., Ltd."),
        ("OOO Sovtransavto", "ООО Совтрансавто"),
    ],
)
def test_legal_forms_and_scripts_meet(a, b):
    ka, kb = normalize(a), normalize(b)
    legal_a = [t.text for t in ka.tokens if t.kind == "legal"]
    legal_b = [t.text for t in kb.tokens if t.kind == "legal"]
    assert legal_a and legal_a == legal_b
    assert ka.tokens[0].text == kb.tokens[0].text


def test_legal_form_generic_across_languages():
    # rigour maps ООО and LLC to the same generic symbol; the comparator sees them as one
    ooo = normalize("ООО Технологии Связи").tokens[0]
    llc = normalize("Tekhnologii Svyazi LLC").tokens[-1]
    assert ooo.kind == llc.kind == "legal"
    assert ooo.symbols & llc.symbols


def test_han_glossary_and_pinyin():
    out = han_to_latin("中芯国际集成电路制造有限公司").split()
    assert out[0] == "zhongxin"  # not in the glossary: pinyin, syllables joined
    assert "integrated" in out and "circuit" in out and "manufacturing" in out and "international" in out
    assert texts("北京中科技术有限公司")[:2] == ["beijing", "zhongke"]


def test_han_ordinals_and_latin_ordinals_agree():
    assert "14" in texts("中国电子科技集团公司第十四研究所")
    assert "14" in texts("CETC 14th Research Institute")
    assert "14" in texts("No. 14 Research Institute")
    assert "14" in texts("Research Institute #14")
    assert normalize_numbers("the 14-й institute").split()[1] == "14"
    assert "1" not in texts("Capital One")  # spelt-out numbers stay words


def test_pinyin_words_in_latin_text_are_translated():
    assert texts("Nanchang Hangkong Daxue") == texts("Nanchang Hangkong University") == ["nanchang", "aviation", "university"]
    assert texts("Haiguang Xinxi Jishu Youxian Gongsi")[1:3] == ["information", "technology"]
    assert "zhongxin" not in pinyin_glossary()  # ambiguous romanisation never translated


def test_cyrillic_greek_arabic_are_latin():
    for name in ("Сергей Лавров", "Αλέξης Τσίπρας", "محمد علي"):
        assert all(t.text.isascii() for t in normalize(name).tokens), name


def test_token_kinds():
    k = kinds("Beijing Zhongke Technology Co., Ltd.")
    assert k["beijing"] == "location"
    assert k["zhongke"] == "name"
    assert k["technology"] == "generic"
    assert k["coltd"] == "legal"
    assert kinds("CETC 14th Research Institute")["14"] == "number"


def test_acronyms():
    assert paren_acronyms("Semiconductor Manufacturing International Corporation (SMIC)") == {"smic"}
    n = normalize("Semiconductor Manufacturing International Corporation")
    assert initials(n.tokens) == "smic"


def test_person_names_either_order():
    assert sorted(texts("PUTIN, Vladimir", True)) == sorted(texts("Vladimir Putin", True))


def test_clean_drops_control_characters():
    assert clean("ACME\x00 Corp\x1b\u200b ") == "ACME Corp"
    assert normalize("").tokens == ()


def test_derived_names_cut_address_tails_and_restating_parentheses():
    from earcheck.screening.index import derived_names

    forms = derived_names("HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District")
    assert "HiSilicon Technologies Co., Ltd" in forms
    assert derived_names("Huawei Software Technologies Co., Ltd., Nanjing, Jiangsu") == [
        "Huawei Software Technologies Co., Ltd."
    ]
    # a qualifying parenthesis ("(Tianjin)") is kept: it names a different entity
    assert derived_names("Semiconductor Manufacturing International (Tianjin) Corporation") == []


@pytest.mark.parametrize(
    "typo, right",
    [
        ("JOINT STTOCK COMPANY ALFA-BANK", "JOINT STOCK COMPANY ALFA-BANK"),
        ("Open Joint Sotck Company Information Systems", "Open Joint Stock Company Information Systems"),
        ("Acme Compnay Limited", "Acme Company Limited"),
    ],
)
def test_misspelt_legal_form_words_read_as_the_legal_form(typo, right):
    assert texts(typo) == texts(right)


def test_legal_form_typo_fix_keeps_distinctive_words():
    # a word one edit from a legal-form word stays itself when it is the name
    assert "stack" in texts("Public Stack Company")
    assert "stick" in texts("Stick Corporation")
    assert texts("Sotck Alfa") == ["sotck", "alfa"]  # no legal-form word beside it
    assert texts("Mr Sttock Joint", True) == ["mr", "sttock", "joint"]  # people are left alone


def test_han_glossary_sector_words():
    assert texts("北京邮电大学") == ["beijing", "posts", "and", "telecommunications", "university"]
    assert texts("上海飞机设计研究院") == texts("Shanghai Aircraft Design and Research Institute")
    # romanisations that are also given names are never translated in Latin text
    assert texts("Wei Xing", True) == ["wei", "xing"]
