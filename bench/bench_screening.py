"""Screening benchmark on the real 2022 CSL: quality per kind of change, false alerts, speed.

Queries are made from listed names (seeded, reproducible): exact names, one typo in a
distinctive word, legal-form changes, noise (case, punctuation, "The"), listed aliases,
reordered person names, initials of multi-word names (acronyms), Han-script names of listed
Chinese organisations from the enrichment table AND a set written for this bench that is
not in the table (to measure the glossary + pinyin path honestly). Negatives: real US-listed
companies (../shared/data/companies, share-class words stripped; names whose best hit is a
CMIC-listed primary name are dropped and printed: those ARE listed, CMIC ADRs) and the synthetic
people of eval/yente_negatives_*.csv.

earcheck is run on everything; nomenklatura logic-v2 (with a rapidfuzz token-set candidate
stage, top 10 names) on a subsample when importable (bench venv). Also: candidate-index
recall, batch throughput on the full CSL (and rapidfuzz brute-force token-set over all names,
measured in the same run), index build / cache load time, single-name latency, peak memory.

    python bench/bench_screening.py [--per-kind 150] [--lv2-sample 400] [--workers 2]
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

from earcheck.lists import parse
from earcheck.screening import REVIEW_THRESHOLD, Screener
from earcheck.screening.enrich import by_english_key
from earcheck.screening.index import Index
from earcheck.screening.normalize import normalize

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CSL = DATA / "csl" / "consolidated_2022-05.csv"

# Han-script names of listed organisations NOT in src/earcheck/screening/data/zh_names.yaml,
# written for this bench from the listed (pinyin + English) names: they can only be found
# through the glossary and pinyin. (listed English name, Chinese name)
HAN_NOT_IN_TABLE = [
    ("Hangzhou Zhongke Microelectronics Co., Ltd.", "杭州中科微电子有限公司"),
    ("Changsha Jingjia Microelectronics Co., Ltd", "长沙景嘉微电子股份有限公司"),
    ("Harbin Chuangyue Technology Co. Ltd.", "哈尔滨创越科技有限公司"),
    ("Beijing Huanjia Telecommunication Co., Ltd.", "北京环佳通信技术有限公司"),
    ("Guangzhou Haige Communication Group Co., Ltd.,", "广州海格通信集团股份有限公司"),
    ("Guangzhou Taicheng Shipbuilding Industry Co., Ltd.", "广州泰成船舶工业有限公司"),
    ("Nanjing FiberHome Starrysky Communication Development Co.", "南京烽火星空通信发展有限公司"),
    ("Hefei Bitland Information Technology Co. Ltd.", "合肥宝龙达信息技术有限公司"),
    ("Shanghai Fengjin Electronic Technology Co., Ltd.", "上海丰今电子科技有限公司"),
    ("Harbin Yun Li Da Technology and Development Co., Ltd.", "哈尔滨云力达科技发展有限公司"),
    ("Beijing Jincheng Huanyu Electronics Co., Ltd.", "北京金城寰宇电子有限公司"),
    ("Beijing Siyuan Electronic Co., Ltd.", "北京思源电子有限公司"),
    ("Guangzhou Guangyou Communications Equipment Co., Ltd.", "广州广有通信设备有限公司"),
    ("Guangzhou Hangxin Aviation Technology Co., Ltd.", "广州航新航空科技股份有限公司"),
    ("Harbin General Aircraft Industry Co., Ltd.", "哈尔滨通用飞机工业有限责任公司"),
    ("Shanghai Aircraft Manufacturing Co. Ltd. (SAMC)", "上海飞机制造有限公司"),
    ("Shanghai Aircraft Design and Research Institute", "上海飞机设计研究院"),
    ("Beijing University of Posts and Telecommunications (BUPT)", "北京邮电大学"),
    ("National Supercomputing Center Changsha (NSCC-CS)", "国家超级计算长沙中心"),
    ("National Supercomputing Center Guangzhou (NSCC-GZ)", "国家超级计算广州中心"),
]

LEGAL_SWAPS = [
    (r"\bCo\b\.?,? Ltd\b\.?", "Company Limited"),
    (r"\bCompany Limited\b", "Co., Ltd."),
    (r"\bLimited\b", "Ltd"),
    (r"\bLtd\b\.?", "Limited"),
    (r"\bCorporation\b", "Corp."),
    (r"\bCorp\b\.?", "Corporation"),
    (r"\bLLC\b", "Limited Liability Company"),
    (r"\bOOO\b", "LLC"),
    (r"\bJSC\b", "Joint Stock Company"),
    (r"\bInc\b\.?", "Incorporated"),
    (r"\bGmbH\b", "Gesellschaft mit beschränkter Haftung"),
]
SHARE_WORDS = re.compile(
    r"\s*[-–,]?\s*(Common Stock|Common Shares|Ordinary Shares?|Class [A-Z]\b.*|American Depositary.*|"
    r"Depositary Shares?.*|Units?\b.*|Warrants?\b.*|Rights?\b.*|Preferred.*|Subordinate Voting.*|"
    r"Series [A-Z]\b.*|ETF\b.*|Fund\b.*Shares.*|\d+(\.\d+)?%.*)$",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- query set


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["drop", "swap", "sub", "double"])
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    c = rng.choice("aeiourstnl")
    return word[:i] + c + word[i + 1 :]


def distinctive_words(words: list[str]) -> list[int]:
    out = []
    for i, w in enumerate(words):
        if len(w) >= 5 and w.isalpha():
            toks = normalize(w).tokens
            if toks and toks[0].kind == "name":
                out.append(i)
    return out


def build_queries(parties, rng: random.Random, per_kind: int) -> list[tuple[str, str, int]]:
    """(kind, query, expected party index)."""
    orgs = [i for i, p in enumerate(parties) if p.kind == "organization"]
    persons = [i for i, p in enumerate(parties) if p.kind == "person"]
    q: list[tuple[str, str, int]] = []

    for i in rng.sample(range(len(parties)), per_kind):
        q.append(("exact", parties[i].name, i))

    n = 0
    for i in rng.sample(range(len(parties)), len(parties)):
        words = parties[i].name.split()
        d = distinctive_words(words)
        if not d:
            continue
        j = rng.choice(d)
        words[j] = typo(rng, words[j])
        q.append(("typo", " ".join(words), i))
        n += 1
        if n >= per_kind:
            break

    n = 0
    for i in rng.sample(orgs, len(orgs)):
        name = parties[i].name
        for pat, rep in rng.sample(LEGAL_SWAPS, len(LEGAL_SWAPS)):
            new = re.sub(pat, rep, name, count=1, flags=re.IGNORECASE)
            if new != name:
                q.append(("legal_form", new, i))
                n += 1
                break
        if n >= per_kind:
            break

    for i in rng.sample(range(len(parties)), per_kind):
        name = parties[i].name
        name = re.sub(r"[.,;:'\"]", rng.choice(["", " "]), name)
        name = rng.choice([name.upper(), name.lower(), name.title()])
        if parties[i].kind == "organization" and rng.random() < 0.5:
            name = "The " + name
        q.append(("noise", "  ".join(name.split(" ")) if rng.random() < 0.3 else name, i))

    with_alias = [i for i, p in enumerate(parties) if p.aliases]
    for i in rng.sample(with_alias, min(per_kind, len(with_alias))):
        q.append(("alias", rng.choice(parties[i].aliases), i))

    n = 0
    for i in rng.sample(persons, len(persons)):
        name = parties[i].name
        if "," in name:
            last, first = [x.strip() for x in name.split(",", 1)]
            if first and last:
                q.append(("person_reordered", f"{first} {last.title()}", i))
                n += 1
        if n >= per_kind:
            break

    n = 0
    for i in rng.sample(orgs, len(orgs)):
        norm = normalize(parties[i].name)
        words = [t for t in norm.tokens if t.kind not in ("stop", "legal", "number")]
        if 3 <= len(words) <= 6 and not norm.acronyms:
            q.append(("acronym", "".join(t.text[0] for t in words).upper(), i))
            n += 1
        if n >= per_kind:
            break

    zh = by_english_key()
    keyed: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(parties):
        for nm in p.names:
            keyed[normalize(nm).key].append(i)
    for key, entries in zh.items():
        for i in keyed.get(key, [])[:1]:
            for e in entries:
                q.append(("han_in_table", e.zh, i))
    for english, chinese in HAN_NOT_IN_TABLE:
        hits = keyed.get(normalize(english).key)
        if hits:
            q.append(("han_not_in_table", chinese, hits[0]))
        else:
            print(f"  (bench) listed name not found, skipped: {english}")
    return q


def negatives(rng: random.Random) -> tuple[list[str], list[str]]:
    companies: set[str] = set()
    for f, col in (("nasdaq_listed.csv", "Security Name"), ("other_listed_nyse_amex_arca.csv", "Security Name"),
                   ("nyse_listed.csv", "Company Name"), ("sp500_constituents.csv", "Security")):
        with open(DATA / "companies" / f, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name = (row.get(col) or "").strip()
                for _ in range(2):
                    name = SHARE_WORDS.sub("", name).strip(" -,")
                if len(name) >= 3:
                    companies.add(name)
    people: set[str] = set()
    for f in ("yente_negatives_global_1000.csv", "yente_negatives_us_1000.csv"):
        with open(DATA / "eval" / f, newline="", encoding="utf-8") as fh:
            people.update(r["full_name"] for r in csv.DictReader(fh) if r["full_name"].strip())
    comp = sorted(companies)
    rng.shuffle(comp)
    return comp, sorted(people)


# --------------------------------------------------------------------------- logic-v2 peer


def make_logicv2(parties):
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
        from nomenklatura.matching.types import ScoringConfig
        from rapidfuzz import fuzz, process
    except Exception:  # noqa: BLE001
        return None
    names: list[str] = []
    owner: list[int] = []
    for i, p in enumerate(parties):
        for n in p.names:
            names.append(n)
            owner.append(i)
    cache: dict[int, object] = {}
    counter = iter(range(10**9))

    def party_entity(i: int):
        if i not in cache:
            p = parties[i]
            e = model.make_entity("Person" if p.kind == "person" else "Company" if p.kind == "organization" else "LegalEntity")
            e.id = f"p{i}"
            e.add("name", p.names)
            cache[i] = e
        return cache[i]

    def screen(query: str, schema: str = "LegalEntity") -> list[tuple[int, float]]:
        q = model.make_entity(schema)
        q.id = f"q{next(counter)}"
        q.add("name", query)
        cands = process.extract(query, names, scorer=fuzz.token_set_ratio, limit=10, processor=str.lower)
        seen: dict[int, float] = {}
        for _, _, k in cands:
            i = owner[k]
            if i in seen:
                continue
            seen[i] = LogicV2.compare(q, party_entity(i), ScoringConfig.defaults()).score
        return sorted(seen.items(), key=lambda x: -x[1])

    return screen


# --------------------------------------------------------------------------- main


def pct(a: int, b: int) -> str:
    return f"{(a / b * 100 if b else 0):5.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-kind", type=int, default=150)
    ap.add_argument("--lv2-sample", type=int, default=400, help="queries per side (positives/negatives) for logic-v2")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20220521)
    ap.add_argument("--no-lv2", action="store_true", help="skip the logic-v2 side-by-side (slow)")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    t = time.perf_counter()
    parties = parse(CSL).parties
    print(f"CSL 2022-05: {len(parties)} parties, parsed in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    index = Index.build(parties)
    build_s = time.perf_counter() - t
    blob = index.to_bytes()
    t = time.perf_counter()
    index = Index.from_bytes(blob)
    load_s = time.perf_counter() - t
    screener = Screener(index)
    print(f"index: {len(index.entries)} names, {len(index.postings)} keys; build {build_s:.1f} s, "
          f"cache {len(blob) / 1e6:.0f} MB loaded in {load_s:.2f} s")

    queries = build_queries(parties, rng, args.per_kind)
    companies, people = negatives(rng)

    # ---- throughput first (cold normalisation caches), on the negatives: the bulk of real batches
    batch = companies + people
    normalize.cache_clear()
    t = time.perf_counter()
    n_alerts = sum(1 for r in screener.screen_many(batch, workers=args.workers, chunksize=512) if r.decision != "clear")
    dt = time.perf_counter() - t
    rate = len(batch) / dt
    print(f"\nbatch throughput: {len(batch)} names in {dt:.2f} s = {rate:,.0f} names/s "
          f"({args.workers} worker processes, full CSL; {n_alerts} alerts)")
    normalize.cache_clear()
    lat = []
    cpu0 = time.process_time()
    for name in batch[:3000]:
        t = time.perf_counter()
        screener.screen(name)
        lat.append((time.perf_counter() - t) * 1000)
    cpu_rate = len(lat) / (time.process_time() - cpu0)
    print(f"CPU cost (1 process, cold caches, immune to other load on the machine): {cpu_rate:,.0f} names per "
          f"CPU-second -> {cpu_rate * args.workers:,.0f} names/s on {args.workers} idle cores")
    lat.sort()
    print(f"single name latency (1 process, cold caches): median {statistics.median(lat):.2f} ms, "
          f"p95 {lat[int(len(lat) * 0.95)]:.2f} ms, max {lat[-1]:.1f} ms")

    from rapidfuzz import fuzz, process

    all_names = [n for p in parties for n in p.names]
    sample = batch[:150]
    t = time.perf_counter()
    for name in sample:
        process.extractOne(name, all_names, scorer=fuzz.token_set_ratio, processor=str.lower)
    rf_rate = len(sample) / (time.perf_counter() - t)
    print(f"rapidfuzz brute-force token_set_ratio over {len(all_names)} names: {rf_rate:,.0f} names/s "
          f"(1 process) -> earcheck is {rate / rf_rate:,.0f}x")

    # ---- negatives: drop real listed companies
    dropped = []
    kept = []
    for name in companies:
        r = screener.screen(name)
        top = r.hits[0] if r.hits else None
        # listed for real: the company's own name is the primary name of a CMIC-listed party
        if top and top.list_code == "CMIC" and normalize(top.name).core_key == normalize(name).core_key:
            dropped.append((name, r.hits[0].list_code, r.hits[0].name))
        else:
            kept.append(name)
    print(f"\nnegatives: {len(companies)} US-listed company names, {len(dropped)} dropped as listed:")
    for d in dropped:
        print(f"   dropped: {d[0]!r} = {d[1]} {d[2]!r}")
    companies = kept

    # ---- earcheck quality
    by_kind: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    cand_hits = 0
    for kind, query, pi in queries:
        r = screener.screen(query, limit=50)
        found = any(index.parties[pi] is h.party or h.party.id == parties[pi].id for h in r.hits)
        top1 = bool(r.hits) and (r.hits[0].party.id == parties[pi].id or r.hits[0].score == max(
            (h.score for h in r.hits if h.party.id == parties[pi].id), default=-1))
        cands = {index.entry(ei).party for ei in index.candidates(normalize(query))}
        in_cands = pi in cands
        cand_hits += in_cands
        by_kind[kind].append((found, top1, in_cands))
    print(f"\nearcheck, alert = score >= {REVIEW_THRESHOLD} (review or match)")
    print(f"   {'kind':18s} {'n':>5s} {'recall':>7s} {'top-1':>7s} {'index':>7s}")
    tot = [0, 0, 0, 0]
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        f, t1, c = (sum(x[k] for x in rows) for k in range(3))
        tot = [tot[0] + len(rows), tot[1] + f, tot[2] + t1, tot[3] + c]
        print(f"   {kind:18s} {len(rows):5d} {pct(f, len(rows))} {pct(t1, len(rows))} {pct(c, len(rows))}")
    print(f"   {'all positives':18s} {tot[0]:5d} {pct(tot[1], tot[0])} {pct(tot[2], tot[0])} {pct(tot[3], tot[0])}")
    fa_c = [n for n in companies if screener.screen(n).decision != "clear"]
    fa_p = [n for n in people if screener.screen(n).decision != "clear"]
    # operating points: recall (expected party's score) and false alerts (top score) by threshold
    pos_scores = []
    for kind, query, pi in queries:
        sc = [h.score for h in screener.screen(query, limit=50).hits if h.party.id == parties[pi].id]
        pos_scores.append(max(sc, default=0.0))
    neg_scores = [max((h.score for h in screener.screen(n).hits), default=0.0) for n in companies + people]
    print("   operating points (threshold: recall of positives / false alerts on all negatives):")
    for th in (0.70, 0.75, 0.80, 0.85, 0.90):
        rc = sum(x >= th for x in pos_scores) / len(pos_scores)
        fa = sum(x >= th for x in neg_scores) / len(neg_scores)
        print(f"      {th:.2f}: recall {rc * 100:5.1f}%  false alerts {fa * 100:4.1f}%")
    print(f"   false alerts: companies {len(fa_c)}/{len(companies)} = {pct(len(fa_c), len(companies))}, "
          f"people {len(fa_p)}/{len(people)} = {pct(len(fa_p), len(people))}")
    for n in fa_c[:15]:
        h = screener.screen(n).hits[0]
        print(f"      FA {n!r} -> {h.list_code} {h.name!r} {h.score:.2f}")
    misses = [(k, q, parties[pi].name) for (k, q, pi) in queries
              if not any(h.party.id == parties[pi].id for h in screener.screen(q, limit=50).hits)]
    print(f"   missed positives ({len(misses)}), first 25:")
    for k, q, nm in misses[:25]:
        print(f"      [{k}] {q!r} (listed {nm!r})")

    # ---- logic-v2 side by side
    lv2 = None if args.no_lv2 else make_logicv2(parties)
    if lv2 is None:
        print("\nnomenklatura not importable: logic-v2 skipped (run in /work/bench-venv, see bench/README.md)")
    else:
        sub_rng = random.Random(args.seed + 1)
        pos = sub_rng.sample(queries, min(args.lv2_sample, len(queries)))
        han = [q for q in queries if q[0].startswith("han")]
        pos += [q for q in han if q not in pos]
        negc = sub_rng.sample(companies, min(args.lv2_sample, len(companies)))
        negp = sub_rng.sample(people, min(args.lv2_sample // 2, len(people)))
        t = time.perf_counter()
        lk: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        ek: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for kind, query, pi in pos:
            schema = "Person" if parties[pi].kind == "person" else "Company" if parties[pi].kind == "organization" else "LegalEntity"
            res = lv2(query, schema)
            al = [i for i, s in res if s >= 0.70]
            lk[kind].append((pi in al, bool(res) and res[0][0] == pi and res[0][1] >= 0.70))
            r = screener.screen(query, limit=50)
            ek[kind].append((any(h.party.id == parties[pi].id for h in r.hits),
                             bool(r.hits) and r.hits[0].party.id == parties[pi].id))
        fa_lc = sum(1 for n in negc if any(s >= 0.70 for _, s in lv2(n, "Company")))
        fa_lp = sum(1 for n in negp if any(s >= 0.70 for _, s in lv2(n, "Person")))
        fa_ec = sum(1 for n in negc if screener.screen(n).decision != "clear")
        fa_ep = sum(1 for n in negp if screener.screen(n).decision != "clear")
        n_lv2 = len(pos) + len(negc) + len(negp)
        lv2_rate = n_lv2 / (time.perf_counter() - t)
        print(f"\nside by side on a subsample ({len(pos)} positives, {len(negc)} companies, {len(negp)} people); "
              f"logic-v2 at 0.70 with rapidfuzz top-10 candidates, ~{lv2_rate:.0f} names/s incl. earcheck")
        print(f"   {'kind':18s} {'n':>5s} {'earcheck R':>10s} {'logic-v2 R':>10s} {'ec top-1':>9s} {'lv2 top-1':>9s}")
        for kind in sorted(lk):
            n = len(lk[kind])
            er = sum(x[0] for x in ek[kind])
            lr = sum(x[0] for x in lk[kind])
            et = sum(x[1] for x in ek[kind])
            lt = sum(x[1] for x in lk[kind])
            print(f"   {kind:18s} {n:5d} {pct(er, n):>10s} {pct(lr, n):>10s} {pct(et, n):>9s} {pct(lt, n):>9s}")
        n = len(pos)
        print(f"   {'all':18s} {n:5d} {pct(sum(x[0] for v in ek.values() for x in v), n):>10s} "
              f"{pct(sum(x[0] for v in lk.values() for x in v), n):>10s}")
        print(f"   false alerts companies: earcheck {pct(fa_ec, len(negc))}, logic-v2 {pct(fa_lc, len(negc))}; "
              f"people: earcheck {pct(fa_ep, len(negp))}, logic-v2 {pct(fa_lp, len(negp))}")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (main process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
