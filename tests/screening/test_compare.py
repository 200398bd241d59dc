"""Pairwise comparator: a CASES table of real names, with the expected decision band."""
from __future__ import annotations

import pytest

from earcheck.screening import MATCH_THRESHOLD, REVIEW_THRESHOLD, compare, features_doc

# (name a, name b, person, expected decision: match | review+ | clear)
CASES = [
    ("SMIC", "Semiconductor Manufacturing International Corporation", False, "match"),
    ("中芯国际集成电路制造有限公司", "Semiconductor Manufacturing International Corporation", False, "match"),
    ("华为技术有限公司", "Huawei Technologies Co., Ltd.", False, "match"),
    ("Huawei Technologies Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD.", False, "match"),
    ("Huawei Technologies", "Huawei Technologies Co., Ltd.", False, "match"),
    ("Semiconductor Manufacturing International Corp.", "Semiconductor Manufacturing International Corporation", False, "match"),
    ("ООО Технологии Связи", "Tekhnologii Svyazi LLC", False, "match"),
    ("Joint Stock Company Concern Sozvezdie", "AO Kontsern Sozvezdie", False, "match"),
    ("Nanchang Hangkong Daxue", "Nanchang Hangkong University", False, "match"),
    ("No. 14 Research Institute", "14th Research Institute", False, "match"),
    ("PUTIN, Vladimir", "Vladimir Putin", True, "match"),
    ("Vladimir Putin", "Владимир Путин", True, "match"),
    ("Huawai Technologies", "Huawei Technologies", False, "review+"),
    ("Hik Vision", "Hikvision", False, "review+"),
    ("CETC 14th Research Institute", "CETC 13th Research Institute", False, "clear"),
    ("中国电子科技集团公司第十四研究所", "China Electronics Technology Group Corporation 13th Research Institute", False, "clear"),
    ("Beijing Zhongke Technology Co., Ltd.", "Shanghai Zhongke Technology Co., Ltd.", False, "clear"),
    ("Harbin Institute of Technology", "Harbin Engineering University", False, "clear"),
    ("Shenzhen Smart Technology Co., Ltd.", "Semiconductor Manufacturing International Corporation", False, "clear"),
    ("ABC Trading Co., Ltd.", "XYZ Trading Co., Ltd.", False, "clear"),
    ("Bashar al-Assad", "Hafez al-Assad", True, "clear"),
    ("SMIC", "SOMIC Engineering and Management Co", False, "clear"),
    # a listed sibling with a place the query lacks: surfaced, but at most a review
    ("Semiconductor Manufacturing International Corporation",
     "Semiconductor Manufacturing International (Tianjin) Corporation", False, "review"),
    ("Semiconductor Manufacturing International Corporation",
     "Ningbo Semiconductor International Corporation (NSI)", False, "clear"),
    ("Semiconductor Manufacturing International Corporation",
     "Semiconductor Manufacturing International Corporation (SMIC)", False, "match"),
    # a listed acronym spelt out by chance by an ordinary name's initials
    ("Corgi Space & Satellite Communications", "CSSC", False, "clear"),
    # one shared word while other words differ
    ("Devon Energy", "DEVON", False, "clear"),
    ("Largo Inc.", "LARGO LEASING LTD.", False, "clear"),
    # distinct Chinese syllables are not typos; Chinese names have no optional middle names
    ("Cheng Zhu", "CHEN, Zhu", True, "clear"),
    ("Lin Jian Dai", "Jian Dai", True, "clear"),
    ("Dai Jian", "DAI, Jian", True, "match"),
    # numbers in digits meet the same number spelt out; words on both sides stay words
    ("1st International Bank", "First International Bank", False, "match"),
    ("Brigade Forty-Four", "Brigade 44", False, "match"),
    ("Brigade 45", "Brigade Forty-Four", False, "clear"),
    ("Capital One", "First Capital", False, "clear"),
    # the son is not the father; characters that read differently are different names
    ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", True, "clear"),
    ("高石早苗", "高市早苗", True, "clear"),
    ("習近平", "习近平", True, "match"),
    # initials of people: a single letter is no roman numeral; a vowelless word is initials
    ("V. Putin", "Vladimir Putin", True, "match"),
    ("JC Juncker", "Jean-Claude Juncker", True, "match"),
    ("N.N.", "Nursultan Nazarbayev", True, "clear"),
]


@pytest.mark.parametrize("a, b, person, expected", CASES)
def test_cases(a, b, person, expected):
    c = compare(a, b, person=person)
    assert 0.0 <= c.score <= 1.0
    if expected == "match":
        assert c.score >= MATCH_THRESHOLD, c.explanation
        assert c.decision == "match"
    elif expected == "review+":
        assert c.score >= REVIEW_THRESHOLD, c.explanation
    elif expected == "review":
        assert c.decision == "review", c.explanation
    else:
        assert c.score < REVIEW_THRESHOLD, c.explanation
        assert c.decision == "clear"


def test_compare_is_symmetric_enough():
    for a, b, person, _ in CASES:
        if len(a.split()) == 1 or len(b.split()) == 1:
            continue  # acronyms and one-word names are directional (see the test below)
        s1, s2 = compare(a, b, person=person).score, compare(b, a, person=person).score
        assert abs(s1 - s2) < 0.15, (a, b, s1, s2)


def test_acronym_direction():
    """A query acronym meets the listed full name; a spelt-out query meets a listed acronym weakly."""
    assert compare("SMIC", "Semiconductor Manufacturing International Corporation").decision == "match"
    c = compare("Semiconductor Manufacturing International Corporation", "SMIC")
    assert c.decision == "clear" and "acronym" in c.explanation


def test_sibling_scores_below_parent_and_explains():
    q = "Semiconductor Manufacturing International Corporation"
    parent = compare(q, "Semiconductor Manufacturing International Corporation (SMIC)")
    tianjin = compare(q, "Semiconductor Manufacturing International (Tianjin) Corporation")
    ningbo = compare(q, "Ningbo Semiconductor International Corporation (NSI)")
    assert parent.score == 1.0
    assert parent.score > tianjin.score > ningbo.score + 0.1
    assert "listed_extra" in tianjin.explanation and "tianjin" in tianjin.explanation


def test_explanation_names_tokens_and_penalties():
    c = compare("CETC 14th Research Institute", "CETC 13th Research Institute")
    assert "'cetc'='cetc'" in c.explanation
    assert "number_mismatch" in c.explanation and c.features["number_mismatch"] < 0
    c = compare("SMIC", "Semiconductor Manufacturing International Corporation")
    assert "acronym" in c.explanation
    c = compare("中芯国际集成电路制造有限公司", "Semiconductor Manufacturing International Corporation")
    assert "enrichment" in c.explanation


def test_country_agreement_and_disagreement():
    base = compare("Huawai Technologies", "Huawei Technologies").score
    assert compare("Huawai Technologies", "Huawei Technologies", "CN", "CN").score > base
    assert compare("Huawai Technologies", "Huawei Technologies", "US", "CN").score < base


def test_features_are_documented():
    docs = features_doc()
    assert len(docs) >= 5
    assert all(d["doc"] and d["doc"].endswith(".") or d["doc"].endswith(")") for d in docs)
    assert any(d["qualifier"] for d in docs) and any(not d["qualifier"] for d in docs)


def test_to_dict_shape():
    d = compare("SMIC", "SMIC").to_dict()
    assert set(d) == {"a", "b", "score", "decision", "explanation", "features"}
    assert d["score"] == 1.0 and d["decision"] == "match"
