"""The licence-determination pipeline: one small function per step of Part 732 / § 736.2.

``STEPS`` is the pipeline; reading it is reading the order in which the EAR are applied.
Each step takes the :class:`~earcheck.rules.context.Context`, reads the rule tables as of
the transaction date and records requirements (each with rule and ``15 CFR`` citation),
notes and open questions. A step's docstring is its documentation (docs/rules.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from normality import normalize
from rapidfuzz import fuzz

from earcheck.models import listing_start

from .context import MACAU_D5, Context, ListedHit, cite
from .entries import POLICY_RANK, exception_applies, parse_entry

#: Lists whose entries carry EAR requirements or EAR notes (BIS lists and the SDN programs of
#: §§ 744.8, 744.12-744.14); a match on another list (CMIC, NS-MBS, ...) never adds one.
EAR_LISTS = ("EL", "MEU", "DPL", "UVL", "MIEU", "SDN")
LIST_SECTIONS = {"EL": "744.11", "MEU": "744.21", "DPL": "736.2(b)(4)", "UVL": "744.15",
                 "MIEU": "744.22", "SDN": "744.8"}
PARTY_ROLES = ("end_user", "ultimate_consignee", "intermediate_consignee", "purchaser")
REASON_POLICY = {
    "NS": "See 15 CFR 742.4(b)", "RS": "See 15 CFR 742.6(b)", "MT": "See 15 CFR 742.5(b)",
    "NP": "See 15 CFR 742.3(b)", "CB": "See 15 CFR 742.2(b)", "CC": "See 15 CFR 742.7(b)",
    "AT": "See 15 CFR 742.8-742.10", "FC": "See 15 CFR 742.17(b)",
}
EXCEPTION_SECTIONS = {"LVS": "740.3", "GBS": "740.4", "STA": "740.20", "ENC": "740.17",
                      "IEC": "740.24", "GOV": "740.11", "NAC/ACA": "740.8"}


# ------------------------------------------------------------------------ item helpers
def split_eccn(classification: str) -> tuple[str, str]:
    """``"3B001.c.1.a"`` -> ``("3B001", "c.1.a")``; EAR99 -> ``("EAR99", "")``."""
    base, _, para = classification.partition(".")
    return base, para


#: The EAR in their present form (ECCNs, Country Chart) date from the 1996 restructuring
#: (61 FR 12714); the 2026 CCL text is never applied before it.
EAR_RESTRUCTURE = "1996-03-25"
#: Prose destination scopes that only the 2022-2025 advanced-computing, SME and 900-series
#: rules introduced (87 FR 62186, 88 FR 73424/73458, 89 FR 72926, 89 FR 96790): a row of the
#: 2026 text with one of them is asked about, not applied, on an earlier date.
ERA_SCOPES = {"cn_macau", "macau_d5", "d1d4d5_ex_a5a6", "d1d4d5_ex_a5a6_uae", "worldwide"}
ECFR_DATE = "2026-07-23"


@dataclass
class CclLookup:
    """The CCL entry used for a date: ``entry`` (None when the engine must ask), whether it is
    the 2026 text applied to an earlier date (``backdated``), and the question when it asks."""

    entry: object | None
    backdated: bool = False
    question: tuple[str, str] | None = None
    history: object | None = None   # the eccn_history period behind a caution, if any


def _history_question(ctx: Context, base: str, para: str):
    """A blocking question when part_774/eccn_history.yaml says the ECCN (or the item's
    sub-paragraph) did not exist on the date; None when the 2026 text may be applied."""
    periods = ctx.tables["part_774.eccn_history"].periods(base)
    if not periods:
        return None, None
    first, last = periods[0], periods[-1]
    v = first.value
    if ctx.day < first.valid_from:
        if v["event"] == "changed":
            new = v.get("new_paragraphs") or []
            if para and any(para == n or para.startswith(n + ".") for n in new):
                return ("eccn_not_in_force",
                        f"{base}.{para} did not exist on {ctx.day}: {v['what']} on {first.valid_from} "
                        f"({first.fr}). Classify the item under the CCL in force on {ctx.day}."), None
            return None, first
        return ("eccn_not_in_force",
                f"ECCN {base} did not exist on {ctx.day}: created {first.valid_from} ({first.fr}; "
                f"{v['what']}). Classify the item under the CCL in force on {ctx.day}."), None
    if last.valid_to and ctx.day > last.valid_to:
        return ("eccn_not_in_force",
                f"ECCN {base} no longer existed on {ctx.day}: removed after {last.valid_to} "
                f"({last.value.get('removed') or last.fr}). Classify the item under the CCL in force "
                f"on {ctx.day}."), None
    return None, first


def ccl_lookup(ctx: Context, base: str, para: str = "") -> CclLookup:
    """The CCL entry for the date: the hand-dated table (part_774/ccl.yaml) when it holds the
    ECCN; else the eCFR text of 2026-07-23 (part_774/ccl_ecfr.yaml), applied to earlier dates
    back to 1996-03-25 unless part_774/eccn_history.yaml says the ECCN did not exist then."""
    hand = ctx.tables["part_774.ccl"]
    if base in hand.values:
        entry = ctx.rule("part_774.ccl", base)
        if entry is not None:
            return CclLookup(entry)
        q, _ = _history_question(ctx, base, para)
        return CclLookup(None, question=q or (
            "eccn_not_encoded", f"ECCN {base} has no value in earcheck's hand-dated CCL table on "
            f"{ctx.day}; check its Reasons for Control against the Country Chart (15 CFR 738.4) by hand."))
    entry = ctx.rule("part_774.ccl_ecfr", base)
    if entry is not None:
        return CclLookup(entry)
    ecfr = ctx.tables["part_774.ccl_ecfr"].periods(base)
    q, hist = _history_question(ctx, base, para)
    if q:
        return CclLookup(None, question=q)
    if not ecfr:
        where = (f"existed on {ctx.day}, but its controls are not encoded" if hist else
                 f"is not in the CCL of {ECFR_DATE} nor in earcheck's hand-dated table")
        return CclLookup(None, question=("eccn_not_encoded", (
            f"ECCN {base} {where}; check the classification and its Reasons for Control "
            f"against the Country Chart (15 CFR 738.4) by hand.")))
    if ctx.day < EAR_RESTRUCTURE:
        return CclLookup(None, question=("eccn_not_encoded", (
            f"{ctx.day} is before the 1996 restructuring of the EAR (61 FR 12714); earcheck does "
            f"not hold the Commodity Control List of that date.")))
    return CclLookup(ecfr[0], backdated=True, history=hist)


def ccl_entry(ctx: Context, base: str, para: str = ""):
    """The CCL entry used on the date (see :func:`ccl_lookup`), or None."""
    return ccl_lookup(ctx, base, para).entry


def chart_footnote(chart, n: int) -> bool:
    return n in (chart.value.get("footnotes") or [])


def para_match(item_para: str, row_paras) -> str | None:
    """``"definite"`` if the control row covers the item's sub-paragraph, ``"possible"`` if it
    might (the item is classified less precisely than the row), else None."""
    if row_paras == "all":
        return "definite"
    if row_paras == "conditional":
        return "possible"
    if isinstance(row_paras, dict):  # {"all_except": [...]}
        excluded = row_paras["all_except"]
        if any(item_para == r or item_para.startswith(r + ".") for r in excluded):
            return None
        return "possible" if not item_para else "definite"
    possible = False
    for r in row_paras:
        if item_para == r or item_para.startswith(r + "."):
            return "definite"
        if not item_para or r.startswith(item_para + "."):
            possible = True
    return "possible" if possible else None


def item_in(classification: str, items: list[str]) -> bool:
    """True if the classification falls in one of ``items`` (ECCNs or ECCN sub-paragraphs)."""
    for it in items:
        if classification == it or classification.startswith(it + "."):
            return True
    return False


def _same(a: str, b: str) -> bool:
    na, nb = normalize(a) or "", normalize(b) or ""
    return bool(na and nb) and (na == nb or fuzz.token_set_ratio(na, nb) >= 92)


# ------------------------------------------------------------------------ the steps
def screen_parties(ctx: Context, screener) -> None:
    """Screen every party, owner, designer and knowledge party against the lists as they
    stood on the date (entries that start later are not yet listed)."""
    tx = ctx.tx
    queries: list[tuple[str, str, str | None, str | None]] = []
    for p in tx.parties:
        queries.append((p.name, p.role, p.country, p.address))
        for o in p.owners:
            queries.append((o.name, f"owner of {p.name}", o.country, None))
    if tx.item.designed_by:
        queries.append((tx.item.designed_by, "designer", None, None))
    for k in tx.knowledge:
        if not isinstance(k, str) and k.party:
            queries.append((k.party, f"knowledge:{k.fact}", None, None))
    for name, role, country, address in queries:
        if screener is None:
            ctx.screening.append({"name": name, "role": role, "decision": "not_screened", "hits": []})
            continue
        kw = {"address": address} if address else {}
        # Screen without the date filter, then apply the dates here: some feeds date entries by
        # FR publication, not effectiveness (see part_744/entry_effective_dates.yaml).
        res = screener.screen(name, country=country, as_of=None, limit=25, **kw)
        kept = []
        for h in getattr(res, "hits", []) or []:
            party = h.party
            if h.decision not in ("match", "review"):
                continue
            status = listing_status(ctx, party)
            if status == "not_yet":
                if h.decision == "match" and party.list_code in EAR_LISTS:
                    sec = LIST_SECTIONS[party.list_code]
                    fr = (party.federal_register or "").strip().rstrip(";, ")
                    ctx.note(sec, f"15 CFR {sec}" + (f" ({fr})" if fr else ""),
                             f"{name} matches {party.name} ({party.list_code}), listed from "
                             f"{listing_start(party).label() if not party.start_date else _from(ctx, party)}"
                             f": after {ctx.day}, so not yet listed then.", name)
                continue
            if status == "ended":
                continue
            kept.append(ListedHit(query=name, role=role, party=party, decision=h.decision,
                                  score=float(h.score), listing=status))
        kept.sort(key=_hit_order)
        ctx.hits.extend(kept)
        decision = ("match" if any(h.decision == "match" for h in kept)
                    else "review" if kept else "clear")
        ctx.screening.append({
            "name": name, "role": role, "decision": decision,
            "hits": [{"id": h.party.id, "list_code": h.list_code, "name": h.party.name,
                      "score": round(h.score, 3), "decision": h.decision,
                      "start_date": h.party.start_date,
                      "effective_date": effective_start(ctx, h.party),
                      "listed_from": _from(ctx, h.party), "listing": h.listing,
                      "license_requirement": h.party.license_requirement,
                      "license_policy": h.party.license_policy,
                      "federal_register": h.party.federal_register} for h in kept]})
        for h in kept:
            if h.listing == "unknown" and h.decision == "match" and h.list_code in EAR_LISTS:
                sec = LIST_SECTIONS[h.list_code]
                ctx.note(sec, f"15 CFR {sec}", f"{h.party.name} ({h.list_code}): start date unknown "
                         f"(the entry gives no start date or Federal Register cite); treated as "
                         f"listed on {ctx.day}.", name)
        for h in kept:
            if decision == "match":
                break  # a definite match on this name makes the near misses moot
            if h.decision == "review" and h.list_code in ("EL", "MEU", "DPL", "UVL", "SDN", "MIEU"):
                ctx.ask(f"review:{name}:{h.party.id}",
                        f"Is {name!r} ({role}) the listed party {h.party.name!r} "
                        f"({h.list_code}, score {h.score:.2f})? Resolve the possible match.",
                        blocking=True)


def effective_start(ctx: Context, party) -> str | None:
    """The entry's start date (or, without one, the date of its earliest FR cite), moved back to
    the rule's effective date when that date is the FR publication date (only for the rules in
    part_744/entry_effective_dates.yaml)."""
    ls = listing_start(party)
    start = party.start_date or ls.day
    cites = re.findall(r"\d+\s*FR\s*\d+", party.federal_register or "")
    table = ctx.tables["part_744.entry_effective_dates"]
    if start and cites:
        first = " ".join(cites[0].replace("FR", " FR ").split())
        if first in table.values:
            eff = table.values[first][0].value["effective"]
            if eff < start:
                return eff
    if not start and ls.cite in table.values:  # only the FR year is known: the rule's own date
        return table.values[ls.cite][0].value["effective"]
    return start


def _from(ctx: Context, party) -> str:
    eff = effective_start(ctx, party)
    if not party.start_date:
        ls = listing_start(party)
        if eff and eff != ls.day:
            return f"{ls.day or ls.year} ({ls.cite}), effective {eff}"
        return ls.day or (str(ls.year) if ls.year else "an unstated date (start date unknown)")
    return party.start_date if eff == party.start_date else f"{party.start_date}, effective {eff}"


def listing_status(ctx: Context, party) -> str:
    """``listed`` | ``not_yet`` | ``uncertain`` | ``unknown`` | ``ended`` on the date, from the
    entry's start date or, without one, its Federal Register cites (:func:`listing_start`)."""
    if party.end_date and party.end_date < ctx.day:
        return "ended"
    eff = effective_start(ctx, party)
    if party.start_date:
        return "not_yet" if eff and eff > ctx.day else "listed"
    ls = listing_start(party)
    if eff and not ls.day:  # dated by the effective-dates table (an FR volume year alone)
        return "not_yet" if eff > ctx.day else "listed"
    if eff and eff <= ctx.day:
        return "listed"
    return ls.status_on(ctx.day)


def entry_listing(party, day: str) -> str:
    """:func:`listing_status` on ``day`` without a determination (exposure's list totals use it,
    so that they agree with the rules, effective-dates table included)."""
    from types import SimpleNamespace  # noqa: PLC0415

    from .loader import load_all  # noqa: PLC0415

    return listing_status(SimpleNamespace(day=day, tables=load_all()), party)


def _active(ctx: Context, party) -> bool:
    return listing_status(ctx, party) not in ("not_yet", "ended")


def _fn_entities(ctx: Context, footnote: int) -> list[ListedHit]:
    """Listed hits (parties or knowledge parties) whose Entity List entry carries ``footnote``."""
    out = []
    for h in ctx.listed("EL"):
        if footnote in parse_entry(h.party.license_requirement, h.party.license_policy).footnotes:
            if h.role in PARTY_ROLES or h.role.startswith("knowledge:") or h.role == "designer":
                out.append(h)
    return out


def _direct_product(ctx: Context, tech: list[str]) -> str | None:
    it = ctx.tx.item
    if set(it.direct_product_of) & set(tech):
        return "734.3(a)(4)"
    if set(it.plant_direct_product_of) & set(tech):
        return "734.3(a)(5)"
    return None


def subject_to_ear(ctx: Context) -> None:
    """§ 734.3: items in the U.S. and U.S.-origin items; foreign items through the foreign
    direct product rules (§ 734.9), the no-de-minimis cases (§ 734.4(a)) or above the de
    minimis level (§ 734.4(c)/(d): 10 % to E:1/E:2, 25 % elsewhere)."""
    tx, it = ctx.tx, ctx.tx.item
    if tx.from_country == "US":
        ctx.subject, ctx.basis = True, ["734.3(a)(1)"]
        return
    if it.made_in == "US":
        ctx.subject, ctx.basis = True, ["734.3(a)(2)"]
        return
    ctx.route = "GP3"
    # Foreign direct product rules (Entity List footnotes and the SME rule).
    for key in ("entity_list_fn1", "entity_list_fn4", "entity_list_fn5", "sme"):
        p = ctx.rule("part_734.fdp", key)
        if p is None:
            continue
        v = p.value
        prong = _direct_product(ctx, v["tech"])
        if not prong:
            continue
        if v.get("scope") == "listed_items":
            if not item_in(it.classification, v["items"]) or item_in(it.classification, v.get("excluded_items", [])):
                continue
        if key == "sme":
            if not ctx.in_scope(v["destinations"]):
                continue
            targets = []
        else:
            targets = _fn_entities(ctx, v["footnote"])
            if v.get("scope") == "produced_or_developed_by_entity":
                targets = [h for h in targets if h.role == "designer"]
            if not targets:
                continue
            incorporation = [h for h in targets if h.role.startswith("knowledge:")]
            if incorporation and not any(h.role in PARTY_ROLES for h in targets):
                if not any(h.role == "knowledge:fdp_incorporation" for h in incorporation):
                    continue
        if v.get("savings_until") and ctx.day <= v["savings_until"]:
            saved = ctx.ask("fdp_savings_clause",
                            f"Does the savings clause of {p.citation} ({p.fr}) cover this "
                            f"shipment (through {v['savings_until']})?")
            if saved:
                ctx.note(v["requirement_rule"], cite(p), "Savings clause applies; FDP rule not applied.")
                continue
        ctx.fdp.append({"key": key, "period": p, "targets": targets, "prong": prong})
    if ctx.fdp:
        ctx.subject = True
        ctx.basis = sorted({f["prong"] for f in ctx.fdp}) + [f["period"].citation.removeprefix("15 CFR ") for f in ctx.fdp]
        return
    # No de minimis level for some Category 3B items containing a U.S.-origin IC.
    if it.contains_us_ic:
        for key in ("no_de_minimis_sme_with_us_ic", "no_de_minimis_fn5_with_us_ic"):
            p = ctx.rule("part_734.de_minimis", key)
            if p is None or not item_in(it.classification, p.value["items"]):
                continue
            if key.startswith("no_de_minimis_sme") and not ctx.in_scope(p.value["destinations"]):
                continue
            if key.startswith("no_de_minimis_fn5") and not _fn_entities(ctx, 5):
                continue
            ctx.subject, ctx.basis, ctx.route = True, ["734.3(a)(3)(i)", p.citation.removeprefix("15 CFR ")], "GP2"
            return
    p = ctx.must("part_734.de_minimis", "threshold")
    v = p.value
    strict = bool(ctx.groups & set(v["strict_groups"]))
    limit = v["strict_pct"] if strict else v["default_pct"]
    para = "734.4(c)" if strict else "734.4(d)"
    if it.us_controlled_content_pct > limit:
        ctx.subject, ctx.basis, ctx.route = True, ["734.3(a)(3)(ii)", para], "GP2"
    else:
        ctx.subject, ctx.basis = False, [para]
        ctx.trace.append({"step": "de_minimis", "pct": it.us_controlled_content_pct, "limit": limit})
        ctx.stop = True


def denial_orders(ctx: Context) -> None:
    """GP4 (§ 736.2(b)(4)): a party named in a denial order (Denied Persons List) - prohibited;
    no licence exception can overcome it."""
    hits = ctx.listed("DPL")
    p = ctx.must("part_744.end_use", "denial_order") if hits else None
    for h in hits:
        if h.role not in PARTY_ROLES:
            continue
        ctx.require(rule="736.2(b)(4)", citation=cite(p),
                    summary=f"{h.party.name} is named in a BIS denial order (Denied Persons List).",
                    party=h.query, review_policy="Prohibited (GP4)", license_exceptions="none",
                    prohibited=True)


LISTS_FIRST = ("EL", "DPL", "UVL", "MEU")


def _hit_order(h) -> tuple:
    """Screening hits best score first; on a tie the BIS lists (EL, DPL, UVL, MEU) first."""
    return (-round(h.score, 3), h.list_code not in LISTS_FIRST)


def not_an_export(ctx: Context) -> None:
    """§§ 734.13, 734.14, 734.16: a destination in the United States (a domestic sale, or a
    return to the U.S.) is neither an export, a reexport nor a transfer (in-country), so GP1-GP3,
    the Part 744 end-user licence requirements and Part 746 do not apply and no licence is
    required; GP4 (a denied person as party, applied before this step) still prohibits. Listed
    parties become prominent notes; deemed exports of technology or source code to foreign
    persons (§ 734.13(b)) and knowledge of an onward export stay questions for the user."""
    p = ctx.rule("part_734.not_an_export", "united_states")
    if p is None or ctx.destination not in p.value["destinations"]:
        return
    tx = ctx.tx
    domestic = tx.from_country in p.value["destinations"]
    what = (f"A sale or shipment within the United States ({tx.from_country} to {ctx.destination})"
            if domestic else f"A shipment from {tx.from_country} into the United States")
    ctx.note("734.13", "15 CFR 734.13(a); 15 CFR 734.14(a); 15 CFR 734.16",
             f"{what} is not an export, reexport or transfer (in-country): no BIS licence is needed "
             f"for it. Later exports of the item need their own determination.")
    if tx.item.kind in ("technology", "software"):
        ctx.ask("deemed_export", "Will technology or source code be released to a foreign person "
                "in the United States? That is a deemed export to the person's most recent country "
                "of citizenship or permanent residency (15 CFR 734.13(a)(2), (b)); determine it "
                "with that country as destination.")
    onward = ctx.ask("onward_export", "Do you know or have reason to know that the item will be "
                     "exported or reexported from the United States (for instance to a listed "
                     "party)? If so, the export needs its own determination; proceeding with "
                     "knowledge of a violation is prohibited (GP10, 15 CFR 736.2(b)(10)).")
    if onward:
        ctx.ask("onward_export_destination", "Run the determination for the onward export, with "
                "its destination and parties.", blocking=True)
    el = ctx.rule("part_744.entity_list", "entity_list")
    best: dict[tuple[str, str], ListedHit] = {}   # the entry a name refers to, per list
    for h in ctx.hits:
        if h.role in PARTY_ROLES and h.decision == "match":
            cur = best.get((h.query, h.list_code))
            if cur is None or _rank(h) > _rank(cur):
                best[(h.query, h.list_code)] = h
    for h in best.values():
        if h.list_code == "EL":
            ctx.note("744.11", cite(el) if el else "15 CFR 744.11",
                     f"ENTITY LIST PARTY: {h.party.name} ({h.party.federal_register or 'FR cite n/a'}, "
                     f"from {_from(ctx, h.party)}). Its licence requirement reaches exports, "
                     f"reexports and transfers (in-country) only (15 CFR 744.11(a)), so it does not "
                     f"apply to this sale; any export, reexport or transfer of the item to or by it "
                     f"needs a licence, and selling with knowledge that the item will be so exported "
                     f"is prohibited (GP10, 15 CFR 736.2(b)(10)).", h.query)
        elif h.list_code in ("MEU", "UVL"):
            ctx.note("744.21" if h.list_code == "MEU" else "744.15",
                     "15 CFR 744.21" if h.list_code == "MEU" else "15 CFR 744.15",
                     f"{h.party.name} is on the {h.list_code} list; its requirements reach exports, "
                     f"reexports and transfers (in-country), not this sale.", h.query)
        elif h.list_code == "SDN":
            ctx.note("OFAC", "31 CFR chapter V", f"{h.party.name} is on OFAC's SDN list: dealings "
                     f"with blocked persons are prohibited within the United States too (OFAC, not "
                     f"the EAR).", h.query)
    # Possible matches against lists whose requirements only reach exports cannot add a
    # requirement to a domestic sale: their questions stay, no longer blocking (DPL stays).
    for h in ctx.hits:
        if h.decision == "review" and h.list_code != "DPL":
            qid = f"review:{h.query}:{h.party.id}"
            while qid in ctx.blocking:
                ctx.blocking.remove(qid)
    ctx.stop = True


def country_chart(ctx: Context) -> None:
    """GP1-GP3 (§ 738.4): each Reason for Control of the ECCN whose Country Chart column has an
    X for the destination, or whose prose destination scope covers it, needs a licence.
    EAR99 items have no chart requirement; an empty embargo row is left to Part 746."""
    it = ctx.tx.item
    if it.classification == "EAR99":
        return
    base, para = split_eccn(it.classification)
    found = ccl_lookup(ctx, base, para)
    entry = found.entry
    if entry is None:
        ctx.ask(found.question[0], found.question[1], blocking=True)
        return
    if found.backdated:
        h = found.history
        if h is None:
            known = f"earcheck records no creation of {base} after {ctx.day}"
        elif ctx.day < h.valid_from:
            known = f"{h.value['what']} on {h.valid_from} ({h.fr}); this sub-paragraph existed before"
        else:
            known = f"{base} exists since {h.valid_from} ({h.fr})"
        ctx.note("774", f"15 CFR part 774, Supp. No. 1, ECCN {base} (eCFR {ECFR_DATE})",
                 f"Caution: CCL text of {ECFR_DATE} applied to {ctx.day}; verify the entry's text on "
                 f"the transaction date ({known}).")
    chart = ctx.rule("part_738.country_chart", ctx.destination)
    if chart is None:
        ctx.ask("destination_not_in_chart",
                f"Destination {ctx.destination} has no Country Chart row on {ctx.day} "
                f"(15 CFR 738.3(b)); determine which row governs it.", blocking=True)
        return
    marks = set(chart.value["marks"])
    era: list[str] = []
    gp = {"GP1": "GP1", "GP2": "GP2", "GP3": "GP3"}[ctx.route]
    possible = []
    for c in entry.value["controls"]:
        m = para_match(para, c["paragraphs"])
        if not m:
            continue
        if "column" in c:
            hit = c["column"] in marks
            rule, citation = "738.4", f"15 CFR 738.4; Supp. No. 1 to Part 738 ({c['column']})"
            what = f"{c['column']} has an X for {chart.value['name']}"
        elif c["scope"] == "see":
            where = f"15 CFR {c['section']}" if c.get("section") else "the ECCN's License Requirements"
            ctx.ask(f"scope:{base}:{c['reason']}",
                    f"{base} {c['reason']} control ({c.get('condition') or c.get('text') or 'see ECCN'}): "
                    f"destination scope in {where} is not encoded; check whether it covers "
                    f"{ctx.destination}.", blocking=True)
            continue
        else:
            hit = (chart_footnote(chart, 1) if c["scope"] == "un" else
                   ctx.destination in c["countries"] if c["scope"] == "countries" else
                   ctx.in_scope(c["scope"]))
            c = {**c, "section": c.get("section") or "746.1(b)"}
            rule, citation = c["section"], f"15 CFR {c['section']}"
            what = f"{c['reason']} control '{c['scope']}' covers {ctx.destination}"
        if not hit:
            continue
        if found.backdated and c.get("scope") in ERA_SCOPES:
            era.append(f"{c['reason']} '{c['scope']}'")
            continue
        if m == "possible":
            paras = c["paragraphs"]
            what = (c.get("condition") if paras == "conditional" else
                    "all except " + ", ".join(paras["all_except"]) if isinstance(paras, dict) else ", ".join(paras))
            possible.append(f"{c['reason']} ({what})")
            continue
        ctx.require(rule=rule, citation=citation, gp=gp, reason=c["reason"],
                    summary=f"{gp}: {it.classification} - {what} ({cite(entry)}).",
                    review_policy=REASON_POLICY.get(c["reason"]), license_exceptions=None)
    if era:
        ctx.ask("ccl_row_history",
                f"The {ECFR_DATE} text of {base} has controls that cover {ctx.destination} under "
                f"destination scopes introduced by the 2022-2025 advanced-computing, SME and "
                f"900-series rules ({'; '.join(era)}); earcheck does not know whether they applied on "
                f"{ctx.day}. Check the entry's text of that date.",
                blocking=not any(r.get("gp") for r in ctx.requirements))
    if possible:
        ctx.ask("classification_paragraph",
                f"Controls of {it.classification} that depend on a sub-paragraph or condition the "
                f"classification does not settle would require a licence to {ctx.destination}: "
                f"{'; '.join(possible)}. Decide whether they apply (or give the full sub-paragraph).",
                blocking=not any(r.get("gp") for r in ctx.requirements))


def _rank(h: ListedHit):
    """Which of several matching entries a name refers to: best score, then an exact name or
    alias, then the newest entry."""
    exact = any(normalize(n) == normalize(h.query) for n in h.party.names)
    return (round(h.score, 3), exact, h.party.start_date or "")


def _entry_policy(ctx: Context, h: ListedHit) -> str:
    """The review policy of an entry, resolving conditional clauses from the answers."""
    terms = parse_entry(h.party.license_requirement, h.party.license_policy)
    cond = [c for c in terms.clauses if c.condition]
    other = [c for c in terms.clauses if not c.condition]
    if not cond:
        return terms.policy_text or "See the Entity List entry"
    for c in cond:
        if "uniquely required" in c.condition.lower():
            ans = ctx.ask("uniquely_required_10nm",
                          f"Is the item 'uniquely required' for production of semiconductors at "
                          f"advanced technology nodes (10 nm and below, incl. EUV)? It decides the "
                          f"review policy of {h.party.name}'s entry.")
            if ans is True:
                return f"{c.policy.capitalize()} ({c.text})"
            if ans is False and other:
                return f"{other[0].policy.capitalize()} ({other[0].text})"
    return terms.policy_text


def entity_list(ctx: Context) -> None:
    """GP5, § 744.11: a listed entity is purchaser, intermediate or ultimate consignee or end
    user - licence required to the extent of its entry ("For all items subject to the EAR",
    minus any EXCEPT clause); no licence exceptions unless the entry allows them. Foreign
    direct products caught through an entry's footnote carry the FDP rule's terms."""
    base = ctx.rule("part_744.entity_list", "entity_list")
    if base is None:
        return
    seen: dict[str, ListedHit] = {}
    for h in ctx.listed("EL", roles=PARTY_ROLES):
        cur = seen.get(h.query)
        if cur is None or _rank(h) > _rank(cur):
            seen[h.query] = h
    it = ctx.tx.item
    fdp_keys = {f["key"]: f for f in ctx.fdp}
    for query, h in seen.items():
        terms = parse_entry(h.party.license_requirement, h.party.license_policy)
        if terms.scope == "projects":
            ctx.ask(f"projects:{query}", f"{h.party.name}'s entry applies only to items for the "
                    f"projects of 15 CFR 746.5; is this item for such a project?", blocking=True)
            continue
        if terms.scope == "unknown":
            ctx.ask(f"entry_scope:{query}", f"The licence requirement of {h.party.name}'s entry "
                    f"could not be read: {h.party.license_requirement!r}.", blocking=True)
            continue
        if exception_applies(terms.exceptions, it.classification, it.kind, ctx.tx.end_uses):
            ctx.note("744.11", cite(base), f"Entry exception applies: {terms.exceptions[:120]}", query)
            continue
        fn_fdp = [f for k, f in fdp_keys.items() if k.startswith("entity_list_fn")
                  and f["period"].value["footnote"] in terms.footnotes]
        exceptions = "none"
        policy = _entry_policy(ctx, h)
        summary = (f"{h.party.name} is on the Entity List ({h.party.federal_register or 'FR cite n/a'}, "
                   f"from {_from(ctx, h.party)}): {' '.join((h.party.license_requirement or '').split())[:160]}")
        fr = (h.party.federal_register or "").strip().rstrip(";, ")
        citation = f"15 CFR 744.11; Supp. No. 4 to Part 744 ({fr})" if fr else cite(base)
        if fn_fdp:
            f = fn_fdp[0]
            v = f["period"].value
            citation = f"15 CFR {v['requirement_rule']}; {cite(f['period'])}"
            summary = f"Foreign direct product (footnote {v['footnote']}) for {h.party.name}. " + summary
            if v["footnote"] == 1:
                pol = ctx.rule("part_744.entity_list", "fdp_fn1_policy")
                if pol:
                    below = ctx.ask("below_5g", "Is the item capable of supporting telecom systems "
                                    "below the 5G level only (15 CFR 744.11(a)(2)(i))?")
                    policy = pol.value["below_5g"] if below else pol.value["otherwise"]
                    if below is None:
                        policy = f"{pol.value['otherwise']} (case-by-case if below-5G)"
                    exceptions = "Part 740 exceptions available if 740.2 does not bar them (744.11(a)(2)(i))"
        ctx.require(rule="744.11", citation=citation, summary=summary, party=query,
                    review_policy=policy, license_exceptions=exceptions, entry_id=h.party.id)
        if h.party.name and "huawei" in h.party.name.lower():
            tgl = ctx.rule("part_744.entity_list", "huawei_tgl")
            if tgl:
                ctx.ask("huawei_tgl", f"Does the {tgl.value['name']} ({tgl.fr}, to {tgl.valid_to}) "
                        f"cover this activity ({tgl.value['covers']})?")
    # Knowledge of incorporation for a footnote entity that is not a party (FDP route only).
    for f in ctx.fdp:
        if f["key"].startswith("entity_list_fn"):
            for h in f["targets"]:
                if h.role.startswith("knowledge:") and h.query not in seen:
                    v = f["period"].value
                    pol = ctx.rule("part_744.entity_list", "fdp_fn1_policy") if v["footnote"] == 1 else None
                    policy = parse_entry(h.party.license_requirement, h.party.license_policy).policy_text
                    exc = "none"
                    if pol:
                        below = ctx.ask("below_5g", "Is the item capable of supporting telecom "
                                        "systems below the 5G level only (15 CFR 744.11(a)(2)(i))?")
                        policy = pol.value["below_5g"] if below else (
                            pol.value["otherwise"] + ("" if below is False else " (case-by-case if below-5G)"))
                        exc = "Part 740 exceptions available if 740.2 does not bar them (744.11(a)(2)(i))"
                    ctx.require(rule="744.11", citation=f"15 CFR {v['requirement_rule']}; {cite(f['period'])}",
                                summary=(f"Foreign direct product (footnote {v['footnote']}) with knowledge "
                                         f"of incorporation into an item for {h.party.name}."),
                                party=h.query, review_policy=policy, license_exceptions=exc,
                                entry_id=h.party.id)
                    seen[h.query] = h


def affiliates_rule(ctx: Context) -> None:
    """§ 744.11(a)(3), the Affiliates Rule (90 FR 47201): a party owned 50 % or more, in the
    aggregate, by listed entities inherits the most restrictive owner's requirement. In force
    2025-09-29; suspended 2025-11-10 to 2026-11-09; back in force after unless extended.
    Outside those windows ownership is a red flag, never a requirement."""
    p = ctx.rule("part_744.entity_list", "affiliates_rule")
    for party in ctx.tx.parties:
        if not party.owners:
            continue
        role = f"owner of {party.name}"
        listed = {}
        for h in ctx.hits:
            if h.role == role and h.decision == "match" and h.list_code in ("EL", "MEU"):
                if h.query not in listed or _rank(h) > _rank(listed[h.query]):
                    listed[h.query] = h
        if not listed:
            continue
        if any(h.list_code == "EL" and h.query == party.name and h.decision == "match" for h in ctx.hits):
            continue  # the party is listed itself; entity_list() covers it
        pct = {o.name: o.percent for o in party.owners if o.name in listed}
        total = sum(v for v in pct.values() if v is not None)
        unknown = [n for n, v in pct.items() if v is None]
        state = p.value["state"] if p else "not_in_force"
        owners_txt = ", ".join(f"{listed[n].party.name} ({'?' if pct[n] is None else format(pct[n], 'g')} %)"
                               for n in listed)
        if state != "in_force":
            what = "suspended" if state == "suspended" else "not in force"
            ctx.note("744.11", cite(p) if p else "15 CFR 744.11",
                     f"Red flag: {party.name} is owned by listed entities ({owners_txt}); the "
                     f"Affiliates Rule is {what} on {ctx.day}, so ownership creates no licence "
                     f"requirement. Check § 744.23 and the other end-use rules.", party.name)
            continue
        if unknown and total < p.value["threshold_pct"]:
            ctx.ask(f"ownership:{party.name}",
                    f"Red Flag 29 (Supp. No. 3 to Part 732): what share of {party.name} do the "
                    f"listed owners {', '.join(unknown)} hold? At 50 % or more the Affiliates Rule "
                    f"applies.", blocking=True)
        if total < p.value["threshold_pct"]:
            ctx.note("744.11", cite(p), f"Red flag: listed owners hold {total:g} % of {party.name}, "
                     f"below the {p.value['threshold_pct']} % threshold of the Affiliates Rule.", party.name)
            continue
        hits = list(listed.values())
        worst = max(hits, key=lambda h: POLICY_RANK[parse_entry(
            h.party.license_requirement, h.party.license_policy).worst_policy])
        ctx.require(rule="744.11", citation=cite(p),
                    summary=(f"Affiliates Rule: {party.name} is {total:g} % owned by listed "
                             f"entities ({owners_txt}) and inherits the most restrictive entry "
                             f"({worst.party.name})."),
                    party=party.name, review_policy=_entry_policy(ctx, worst), license_exceptions="none",
                    inherited_from=worst.party.name)
        tgl = ctx.rule("part_744.entity_list", "affiliates_tgl")
        if tgl:
            ctx.ask("affiliates_tgl", f"Does the {tgl.value['name']} (to {tgl.valid_to}) cover "
                    f"this transaction? {tgl.note}")
        if p.value.get("check_extension"):
            ctx.ask("affiliates_extension", "The one-year suspension of the Affiliates Rule ended "
                    "2026-11-09; check the Federal Register for an extension notice.")


def military_end_use(ctx: Context) -> None:
    """§ 744.21 (MEU): military end use or end user in the named countries
    (Supp. No. 2 items; any item for Russia/Belarus), an MEU-List party, or a BIS "is informed"
    letter. Licence exception GOV only; presumption of denial."""
    tx = ctx.tx
    meu = ctx.rule("part_744.end_use", "meu")
    informed = tx.knows("is_informed_744.21")
    if informed:
        p = ctx.must("part_744.end_use", "meu_is_informed")
        ctx.require(rule="744.21", citation=f"{cite(p)}; 15 CFR 744.21(e)",
                    summary="BIS informed the exporter ('is informed' letter) that a licence is required.",
                    party=informed[0].party, review_policy=p.value["policy"],
                    license_exceptions=["GOV (740.11(b)(2)(i)-(ii))"])
        return
    if meu is None or ctx.destination not in meu.value["countries"]:
        return
    triggers = []
    if "military" in tx.end_uses:
        triggers.append(("military end use or end user declared", None))
    for h in ctx.listed("MEU", roles=PARTY_ROLES):
        triggers.append((f"{h.party.name} is on the MEU List (Supp. No. 7 to Part 744)", h.query))
    if not triggers:
        return
    covered = ctx.destination in meu.value.get("any_item_countries", [])
    if not covered:
        if tx.item.classification == "EAR99":
            ctx.note("744.21", cite(meu), "EAR99 is not in Supp. No. 2 to Part 744: § 744.21 not triggered.")
            return
        ans = ctx.ask("supp2_744", f"Is {tx.item.classification} listed in Supp. No. 2 to Part 744 "
                      f"(items subject to § 744.21)?", blocking=True)
        if not ans:
            return
    for why, party in triggers:
        ctx.require(rule="744.21", citation=cite(meu), summary=f"Military end use/user: {why}.",
                    party=party, review_policy=meu.value["policy"],
                    license_exceptions=["GOV (740.11(b)(2)(i)-(ii))"])


def military_intelligence(ctx: Context) -> None:
    """§ 744.22 (MIEU): any item subject to the EAR for a military-intelligence end use or end
    user in the named countries."""
    if any(r["rule"] == "744.22" for r in ctx.requirements):
        return
    mieu = ctx.rule("part_744.end_use", "mieu")
    if mieu and "military_intelligence" in ctx.tx.end_uses and ctx.destination in mieu.value["countries"]:
        ctx.require(rule="744.22", citation=cite(mieu), summary="Military-intelligence end use or end user.",
                    review_policy=mieu.value["policy"], license_exceptions="none")


def advanced_computing_and_fabs(ctx: Context) -> None:
    """§ 744.23: (a)(1) supercomputers, (a)(2) IC production at an advanced-node facility in
    Macau or D:5 (any item; Cat. 3 B/C/D/E when the node is unknown; back-end work excluded by
    (a)(5); footnote-5 entities left to the Entity List by (a)(2)(iv)), (a)(3)(i) advanced
    computing items for entities headquartered in Macau or D:5 outside D:1/D:4/D:5."""
    tx, it = ctx.tx, ctx.tx.item
    base, _ = split_eccn(it.classification)
    an = ctx.rule("part_744.end_use", "advanced_node")
    if an and ctx.in_scope(an.value["destinations"]):
        fn5_parties = {h.query for h in _fn_entities(ctx, 5) if h.role in PARTY_ROLES}
        cat3 = base != "EAR99" and base[0] == "3" and base[1] in "BCDE"
        if "backend_assembly_test" in tx.end_uses:
            ctx.note("744.23", "15 CFR 744.23(a)(5)", "Back-end assembly, test or packaging is not 'production'.")
        elif fn5_parties:
            ctx.note("744.23", "15 CFR 744.23(a)(2)(iv)", "Footnote-5 entity: covered by the Entity List instead.")
        elif "advanced_node_ic" in tx.end_uses:
            ctx.require(rule="744.23", citation=cite(an, "(i)"), summary=(
                f"Item for IC development or production at an advanced-node facility in "
                f"{ctx.destination} ({an.value['definition']})."),
                review_policy=an.value["policy"], license_exceptions="none", sub="a2")
        elif "ic_production_unknown_node" in tx.end_uses and cat3:
            ctx.require(rule="744.23", citation=cite(an, "(ii)"), summary=(
                "Category 3 B/C/D/E item for an IC fab in Macau or D:5 whose node is not known."),
                review_policy=an.value["policy"], license_exceptions="none", sub="a2")
        elif cat3 and "advanced_node_ic" not in tx.answers:
            ctx.ask("advanced_node_facility", f"Will the item be used to develop or produce ICs at a "
                    f"facility in {ctx.destination} that produces advanced-node ICs "
                    f"({an.value['definition']})? If so § 744.23(a)(2) requires a licence; "
                    f"declare end use 'advanced_node_ic'.", blocking=True)
    sc = ctx.rule("part_744.end_use", "supercomputer")
    if sc and "supercomputer" in tx.end_uses and ctx.in_scope(sc.value["destinations"]):
        ctx.require(rule="744.23", citation=cite(sc), summary="Item for a supercomputer in Macau or D:5.",
                    review_policy=sc.value["policy"], license_exceptions="none")
    ac = ctx.rule("part_744.end_use", "advanced_computing_hq")
    if ac and item_in(it.classification, ac.value["items"]) and not ctx.in_scope("d1d4d5_ex_a5a6"):
        for p in tx.parties:
            hq = p.headquarters_country
            if not hq:
                continue
            d5 = hq == "MO" or "D:5" in _groups_of(ctx, hq)
            if d5:
                ctx.require(rule="744.23", citation=cite(ac), party=p.name, summary=(
                    f"{it.classification} for {p.name}, headquartered (or ultimate parent) in {hq} "
                    f"(Macau/D:5), outside D:1/D:4/D:5."), review_policy=ac.value["policy"],
                    license_exceptions=ac.value["license_exceptions"])


def _groups_of(ctx: Context, cc: str) -> set[str]:
    alias = ctx.rule("part_738.destinations", cc)
    cc = alias.value if alias else cc
    return {g for g, p in ctx.view("part_740.country_groups").items() if cc in p.value}


def unverified_list(ctx: Context) -> None:
    """§ 744.15: a party on the Unverified List bars every licence exception (§ 740.2(a)(17))
    and needs a UVL statement and an AES filing even when no licence is required."""
    hits = ctx.listed("UVL", roles=PARTY_ROLES)
    p = ctx.must("part_744.end_use", "unverified_list") if hits else None
    for h in hits:
        ctx.note("744.15", cite(p), f"{h.party.name} is on the Unverified List: no licence "
                 f"exceptions (15 CFR 740.2(a)(17)); {p.value['statement']}.", h.query)
        ctx.exception_bars.append("UVL party (15 CFR 740.2(a)(17))")


def sdn_parties(ctx: Context) -> None:
    """§§ 744.8, 744.12-744.14: SDN parties designated under the WMD, terrorism and FTO
    programs need a BIS licence for items subject to the EAR; other SDNs are flagged for OFAC."""
    p = ctx.rule("part_744.end_use", "sdn")
    for h in ctx.listed("SDN", roles=PARTY_ROLES):
        progs = {re.sub(r"[\[\]]", "", x).strip().upper() for x in h.party.programs}
        hit = [(k, v) for k, v in (p.value["programs"].items() if p else []) if k in progs]
        for k, v in hit:
            ctx.require(rule=v["rule"], citation=v["citation"], party=h.query,
                        summary=f"{h.party.name} is an SDN under the {k} program.",
                        review_policy="Presumption of denial", license_exceptions="none")
        if not hit:
            ctx.note("OFAC", "15 CFR 744.8", f"{h.party.name} is on OFAC's SDN list "
                     f"({', '.join(sorted(progs)) or 'program n/a'}); OFAC rules apply.", h.query)


def embargoes(ctx: Context) -> None:
    """GP6, Part 746 (§§ 746.2-746.9): Cuba, Iran, North Korea, Syria, Russia and Belarus. The Country Chart
    rows of the embargoed destinations are empty and point here."""
    p = ctx.rule("part_746.embargoes", ctx.destination)
    if p is None:
        return
    v = p.value
    if v.get("ear99") == "ask" and ctx.tx.item.classification == "EAR99":
        ans = ctx.ask("part746_ear99", f"Is this EAR99 item listed in Supps. 2, 4 or 6 to Part 746 "
                      f"({v['rule']})?", blocking=True)
        if not ans:
            return
    ctx.require(rule=v["rule"], citation=cite(p), summary=f"GP6 embargo: {v['scope']}.",
                review_policy=v["policy"], license_exceptions="only as Part 746 provides")


def license_exceptions(ctx: Context) -> None:
    """Part 740 for chart requirements only: barred by an Entity List party (§ 744.11(a)), a UVL
    party (§ 740.2(a)(17)) or, for the SME set to Macau/D:5, left to GOV (§ 740.2(a)(9)(i));
    otherwise the list-based candidates (LVS, GBS to Country Group B, STA to A:5/A:6) to check."""
    it = ctx.tx.item
    base, para = split_eccn(it.classification)
    entry = ccl_entry(ctx, base)
    el = any(r["rule"] == "744.11" and r.get("license_exceptions") == "none" for r in ctx.requirements)
    for r in ctx.requirements:
        if r.get("license_exceptions") is not None:
            continue
        if el:
            r["license_exceptions"] = "none"
            r["exceptions_note"] = "Entity List party: no licence exceptions (15 CFR 744.11(a))"
        elif ctx.exception_bars:
            r["license_exceptions"] = "none"
            r["exceptions_note"] = "; ".join(ctx.exception_bars)
        elif ctx.in_scope(MACAU_D5) and item_in(it.classification, [
                "3B001.a.4", "3B001.c", "3B001.d", "3B001.f.1", "3B001.f.5", "3B001.f.6", "3B001.k",
                "3B001.l", "3B001.m", "3B001.n", "3B001.p.2", "3B001.p.4", "3B001.r", "3B002.c"]) \
                and ctx.day >= "2023-11-17":
            r["license_exceptions"] = ["GOV (740.11(b))"]
            r["exceptions_note"] = "SME to Macau or D:5: only GOV (15 CFR 740.2(a)(9)(i))"
        else:
            flags = entry.value.get("exceptions", {}) if entry else {}
            cands = []
            for sym, txt in flags.items():
                if str(txt).strip().upper() in ("N/A", "N/A."):
                    continue
                if sym == "GBS" and "B" not in ctx.groups:
                    continue
                if sym == "STA":
                    continue
                cands.append(f"{sym} ({EXCEPTION_SECTIONS.get(sym, '740')}): {txt}")
            if ctx.groups & {"A:5", "A:6"}:
                cands.append("STA (740.20): destination in A:5/A:6, check the ECCN's STA conditions")
            r["license_exceptions"] = cands or "none"
            if cands:
                r["exceptions_note"] = "Candidates to check; the engine does not apply them itself."


def authorizations(ctx: Context) -> None:
    """Authorizations that overcome requirements: Authorization VEU (§ 748.15) for Country Chart
    requirements (and § 744.23(a)(2) for marked VEUs), never for the Entity List or GP4; and
    licences the exporter declares (``authorizations``)."""
    tx = ctx.tx
    veus = ctx.view("part_748.veu")
    for party in tx.parties:
        for key, p in veus.items():
            v = p.value
            if not any(_same(party.name, n) for n in v["names"]):
                continue
            fac = party.facility or next((a.facility for a in tx.authorizations
                                          if a.type == "VEU" and a.facility), None)
            if not fac:
                ctx.ask("veu_facility", f"{party.name} is a Validated End-User ({p.fr}); which "
                        f"facility receives the item? Eligible: {', '.join(v['facilities'])}.")
                continue
            if not any(f.lower() in fac.lower() or fac.lower() in f.lower() for f in v["facilities"]):
                ctx.note("748.15", cite(p), f"Facility {fac!r} is not an eligible VEU facility of "
                         f"{party.name} on {ctx.day}.", party.name)
                continue
            base, _ = split_eccn(tx.item.classification)
            if any(r.get("reason") in ("MT", "CC") for r in ctx.requirements):
                ctx.note("748.15", "15 CFR 748.15(c)", "MT/CC-controlled items are excluded from VEU.")
                continue
            if "military" in tx.end_uses:
                continue
            if v["items"] is None:
                ok = ctx.ask("veu_item_eligible", f"Is {tx.item.classification} an eligible item of "
                             f"{party.name}'s VEU (Supp. No. 7 to Part 748)? earcheck does not hold "
                             f"the eligible-item list.")
                if not ok:
                    continue
            elif base not in v["items"]:
                continue
            for r in ctx.requirements:
                if r.get("gp") or (r["rule"] == "744.23" and r.get("sub") == "a2" and v["carve_out_744_23"]):
                    r["authorized_by"] = f"Authorization VEU ({cite(p)}; 15 CFR 748.15)"
    for a in tx.authorizations:
        if a.type != "license":
            continue
        for r in ctx.requirements:
            if r.get("prohibited"):
                continue
            if not a.covers or r["rule"] in a.covers:
                r["authorized_by"] = f"BIS licence {a.number or '(number not given)'}"


#: The pipeline, in the order of Part 732's steps and § 736.2's General Prohibitions.
STEPS = [
    subject_to_ear,          # § 734.3, § 734.4 de minimis, § 734.9 FDP
    denial_orders,           # GP4
    not_an_export,           # §§ 734.13-734.16: destination in the United States
    country_chart,           # GP1-GP3
    entity_list,             # GP5: § 744.11
    affiliates_rule,         # GP5: § 744.11(a)(3)
    military_end_use,        # GP5: § 744.21
    military_intelligence,   # GP5: § 744.22
    advanced_computing_and_fabs,  # GP5: § 744.23
    sdn_parties,             # GP5: §§ 744.8, 744.12-744.14
    unverified_list,         # § 744.15
    embargoes,               # GP6: Part 746
    license_exceptions,      # Part 740 (§ 740.2 restrictions)
    authorizations,          # § 748.15 VEU, licences held
]
