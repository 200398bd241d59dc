"""Bad input: every problem is a one-line ListFormatError naming the file, never a crash."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from earcheck.lists import ListFormatError, detect_format, parse

HEADER = ("_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
          "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
          "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
          "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
          "source_information_url,ids")
EL = "Entity List (EL) - Bureau of Industry and Security"


def row(_id: str, name: str, **kw) -> str:
    import csv
    import io

    cols = HEADER.split(",")
    values = {"_id": _id, "source": EL, "name": name, **kw}
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([values.get(c, "") for c in cols])
    return buf.getvalue()


def fails(path, *fragments):
    with pytest.raises(ListFormatError) as info:
        parse(path)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    for f in fragments:
        assert f in msg, msg
    return msg


def test_truncated_csl_mid_row_and_mid_quoted_field(shared_data, tmp_path):
    raw = (shared_data / "csl" / "consolidated_2022-05.csv").read_bytes()
    mid_row = raw.index(b"\n", 2_000_000) + 200  # 200 bytes into a row
    cut = tmp_path / "cut_row.csv"
    cut.write_bytes(raw[:mid_row])
    fails(cut, "truncated")
    quoted = raw.index(b'"No. 18 Zhang Jiang Road') + 10  # inside a quoted address
    cut2 = tmp_path / "cut_quote.csv"
    cut2.write_bytes(raw[:quoted])
    fails(cut2, "truncated", "unterminated quoted field")


def test_truncated_ofac_and_json(shared_data, tmp_path):
    raw = (shared_data / "ofac_sdn" / "2024-05-03" / "sdn.csv").read_bytes()
    cut = tmp_path / "sdn.csv"
    cut.write_bytes(raw[: raw.index(b"\n", 1_000_000) + 30])
    fails(cut, "truncated")
    raw = (shared_data / "ear" / "screening-list.json").read_bytes()
    cut = tmp_path / "compact.json"
    cut.write_bytes(raw[: len(raw) // 2])
    fails(cut, "JSON")
    raw = (shared_data / "opensanctions_ftm" / "yente_fixture_zala.entities.ftm.json").read_bytes()
    cut = tmp_path / "ftm.json"
    cut.write_bytes(raw[: len(raw) // 2])
    fails(cut, "truncated")


def test_truncated_trio_member(shared_data, tmp_path):
    src = shared_data / "ofac_sdn" / "2022-01-31"
    for name in ("sdn.csv", "alt.csv"):
        (tmp_path / name).write_bytes((src / name).read_bytes())
    raw = (src / "add.csv").read_bytes()
    (tmp_path / "add.csv").write_bytes(raw[: raw.index(b"\n", 400_000) + 12])
    msg = fails(tmp_path, "truncated")
    assert "add.csv" in msg


def test_empty_and_blank_files(tmp_path):
    for content in (b"", b"   \n\n", b"\xef\xbb\xbf"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        fails(path, "empty file")
    path = tmp_path / "header_only.csv"
    path.write_text(HEADER + "\n")
    fails(path, "no parties")


def test_missing_required_columns(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text(HEADER.replace(",name,", ",entity_name,") + "\n" + "x\n")
    fails(path, "name")
    with pytest.raises(ListFormatError, match="missing required column"):
        parse(path, fmt="csl_csv")


def test_wrong_encoding_and_binary_junk(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes((HEADER + "\n" + row("1", "Acme")).encode("utf-16-le"))
    fails(path, "encoding")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    fails(junk)
    png = tmp_path / "image.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50)
    fails(png)
    text = tmp_path / "notes.txt"
    text.write_text("Dear customer, this is not a list.\n")
    fails(text, "unknown list format")


def test_missing_paths_and_urls(tmp_path):
    fails(tmp_path / "nope.csv", "no such file")
    with pytest.raises(ListFormatError, match="no such file"):
        detect_format(tmp_path / "nope.csv")
    with pytest.raises(ListFormatError, match="sdn.csv"):
        parse(tmp_path)  # a directory without OFAC files
    with pytest.raises(ListFormatError, match="URL"):
        parse("https://example.org/consolidated.csv")
    with pytest.raises(ListFormatError, match="unknown format"):
        parse(tmp_path / "x.csv", fmt="xml")


def test_ofac_member_alone_and_forced_wrong_format(shared_data):
    with pytest.raises(ListFormatError, match="together with sdn.csv"):
        parse(shared_data / "ofac_sdn" / "2022-01-31" / "add.csv")
    with pytest.raises(ListFormatError, match="entity number"):
        parse(shared_data / "csl" / "consolidated_sample_2025-06.csv", fmt="ofac_sdn_csv")
    with pytest.raises(ListFormatError):
        parse(shared_data / "csl" / "consolidated_sample_2025-06.csv", fmt="compact_json")


def test_windows_1252_bom_and_mojibake(tmp_path):
    body = HEADER + "\n" + row("1", "Société Générale d'Équipement") + row("2", "CafÃ© Trading Co.")
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(body.encode("cp1252"))
    parsed = parse(cp)
    names = {p.name for p in parsed.parties}
    assert "Société Générale d'Équipement" in names  # decoded as Windows-1252
    assert "Café Trading Co." in names  # "Ã©" (UTF-8 read as cp1252) repaired
    assert any("Windows-1252" in w for w in parsed.warnings)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    parsed = parse(bom)
    assert parsed.format == "csl_csv" and len(parsed.parties) == 2 and parsed.warnings == []


def test_empty_names_are_skipped_with_a_warning(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(HEADER + "\n" + row("1", "  ") + row("2", "Acme Trading Co., Ltd.")
                    + row("3", "Spaced   Out\tName  ", alt_names="A  one; and B two"))
    parsed = parse(path)
    assert [p.name for p in parsed.parties] == ["Acme Trading Co., Ltd.", "Spaced Out Name"]
    assert parsed.parties[1].aliases == ["A one", "B two"]
    assert len(parsed.warnings) == 1 and "empty name" in parsed.warnings[0]


def test_bad_json_shapes(tmp_path):
    cases = {
        "list_of_numbers.json": [1, 2, 3],
        "no_results.json": {"source": "x", "name": "y"},
        "weird_values.json": {"results": [{"name": {"a": 1}, "source": "EL"},
                                          {"name": 5, "source": [], "addresses": [None, 3]}]},
    }
    for name, obj in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(obj))
        fails(path)
    deep = tmp_path / "deep.json"
    deep.write_text('{"source": "x", "name": ' + "[" * 100000 + "]" * 100000 + "}")
    fails(deep)


def test_short_middle_row_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(HEADER + "\n" + row("1", "Alpha Co.") + '"2","' + EL + '","","","","Broken"\n' + row("3", "Gamma Co."))
    parsed = parse(path)
    assert [p.name for p in parsed.parties] == ["Alpha Co.", "Gamma Co."]
    assert any("line 3" in w and "skipped" in w for w in parsed.warnings)


def test_non_list_path_types(tmp_path: Path):
    with pytest.raises(ListFormatError, match="empty list"):
        parse([])
    with pytest.raises(ListFormatError, match="not part of an OFAC trio"):
        parse([tmp_path / "sdn.csv", tmp_path / "other.csv"])


def test_detection_reads_a_head_cut_inside_a_utf8_character(shared_data):
    # the FtM file's first 64 KiB end inside a Cyrillic character
    path = shared_data / "opensanctions_ftm" / "yente_fixture_zala.entities.ftm.json"
    assert path.stat().st_size > 65536
    assert detect_format(path) == "ftm_jsonl"


def test_detect_every_real_list_file(shared_data):
    expected = {
        "csl/consolidated_2022-05.csv": "csl_csv",
        "csl/consolidated_sample_2025-06.csv": "csl_csv",
        "csl/csl_sample_2019-12.csv": "csl_csv",
        "ofac_sdn/2024-05-03/sdn.csv": "ofac_sdn_csv",
        "ofac_sdn/2022-01-31": "ofac_sdn_trio",
        "ear/screening-list.json": "compact_json",
        "opensanctions_ftm/yente_fixture_t1.entities.ftm.json": "ftm_jsonl",
    }
    for rel, fmt in expected.items():
        assert detect_format(shared_data / rel) == fmt, rel
    for rel in ("ear/ccl.json", "un/un_consolidated_2026-02-27.xml", "companies/nasdaq_listed.csv",
                "bis/dpl_denied_persons_2019.txt"):
        with pytest.raises(ListFormatError):
            detect_format(shared_data / rel)


def test_trailing_blank_lines_and_ctrl_z_are_not_truncation(tmp_path):
    path = tmp_path / "tail.csv"
    path.write_bytes((HEADER + "\r\n" + row("1", "Acme Co.") + "\r\n\r\n").encode() + b"\x1a")
    assert [p.name for p in parse(path).parties] == ["Acme Co."]
