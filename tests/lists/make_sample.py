"""Rebuild src/earcheck/lists/data/sample.json from the public-domain 2022 CSL rows.

Usage: .venv/bin/python tests/lists/make_sample.py src/earcheck/lists/data/sample.json
(needs ../shared/data). tests/lists/test_lists_ftm_compact_sample.py checks the result.
"""
import json
import sys
from pathlib import Path

from earcheck.lists import parse
from earcheck.lists.csl import published_from

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pl = parse(SHARED / "csl" / "consolidated_2022-05.csv")
want = """736c2c6ac3 90273675549 9adf0489bc 8c8d9376d6 d085d487be efaf4ecaae 1f8c649cba 4b2af64f30 72e957bf6b 30951
1a3ccc08ec 9172ac8adb aadd6c0abb 8cf458d237 9809b084c9 bfc19dac27 1290cbfada 55da321b88
17018 17013 10391 25578
02a62e89b4 96ddd57e54 00cbffe1db 11ffe114da
011868f104 06dcb4767f
08e982e9ae 09373d9ad9""".split()
out = []
for w in want:
    hits = [p for p in pl.parties if p.id == w or (len(w) >= 10 and p.id.startswith(w))]
    assert len(hits) == 1, (w, [h.name for h in hits])
    out.append(hits[0].to_dict())
ids = {d["id"] for d in out}
for d in out:  # links point into this file only
    for link in d["links"]:
        if link["target_id"] not in ids:
            link["target_id"] = None
doc = {
    "format": "earcheck_sample",
    "dataset": "sample",
    "published": published_from([p for p in pl.parties]),
    "$comment": ("Shipped sample list: 30 real entries of the U.S. Consolidated Screening List "
                 "(trade.gov, snapshot of about May 2022; US Government work, public domain), "
                 "copied field by field into the earcheck Party shape by the lists parser. Ids are the CSL _id (OFAC ent_num for "
                 "Treasury lists) so that the sample and the full list agree. Each entry keeps "
                 "its Federal Register citation and source list; see docs for the rules cited: "
                 "SMIC and subsidiaries 85 FR 83420 (2020-12-18); Huawei 84 FR 22961 "
                 "(2019-05-21), affiliates 84 FR 43493/43495 (2019-08-21), 85 FR 51603 (2020-08-20)."),
    "sources": [
        {"name": "Consolidated Screening List (CSL)", "publisher": "International Trade Administration",
         "url": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"},
        {"name": "Supplement No. 4 to Part 744 - Entity List", "publisher": "BIS",
         "url": "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744/appendix-Supplement%20No.%204%20to%20Part%20744"},
    ],
    "parties": out,
}
json.dump(doc, open(sys.argv[1], 'w'), indent=1, ensure_ascii=False)
print(len(out))
