"""``check_license``: run the STEPS pipeline on one transaction and build issue 4's output."""
from __future__ import annotations

from typing import Any

from .context import Context
from .loader import NoRuleInForce, load_all
from .model import Transaction, parse_transaction
from earcheck.models import listing_start

from .steps import EAR_LISTS, LIST_SECTIONS, STEPS, screen_parties

DECISIONS = ("not_subject_to_ear", "no_license_required", "license_required", "authorized",
             "prohibited", "indeterminate")


class NoListsLoaded(RuntimeError):
    """Parties need screening but no list snapshot is loaded."""


def _destination(tables, tx: Transaction) -> tuple[str, set[str]]:
    day = tx.day
    aliases = tables["part_738.destinations"].at(day)
    dest = aliases.value(tx.destination) if tx.destination in aliases else tx.destination
    groups = {g for g, p in tables["part_740.country_groups"].at(day).items() if dest in p.value}
    return dest, groups


def _snapshot_label(store, screener) -> str | None:
    if store is not None:
        try:
            snaps = store.current_snapshots()
        except Exception:  # a store without lists
            snaps = []
        if snaps:
            return "; ".join(f"{s.dataset}#{s.id} ({s.published or str(s.loaded_at)[:10]}, "
                             f"{s.checksum[:12]})" for s in snaps)
        return None
    return getattr(screener, "snapshot", None)


def _screener_for(store, screener, tx: Transaction):
    if screener is not None:
        return store, screener
    needs = bool(tx.parties) or bool(tx.item.designed_by) or any(
        not isinstance(k, str) and k.party for k in tx.knowledge)
    if not needs:
        return store, None
    from earcheck.screening import Screener  # noqa: PLC0415 - optional layer
    from earcheck.store import Store  # noqa: PLC0415
    store = store if store is not None else Store()
    if not store.current_snapshots():
        raise NoListsLoaded("no lists loaded: run `earcheck lists load <file>` first "
                            "(parties cannot be screened)")
    key = (str(getattr(store, "path", id(store))), store.version())
    if key not in _SCREENERS:
        if len(_SCREENERS) >= 4:
            _SCREENERS.pop(next(iter(_SCREENERS)))
        _SCREENERS[key] = Screener.from_store(store)
    return store, _SCREENERS[key]


#: Screeners built in this process, by (store path, store version): repeated determinations
#: (API, exposure reports) do not rebuild the index; a new list snapshot changes the version.
_SCREENERS: dict[tuple[str, str], object] = {}


def check_license(tx: dict | Transaction, *, store=None, screener=None) -> dict[str, Any]:
    """Determine whether a BIS licence is needed for ``tx`` as of its date (issue 4 output).

    ``screener`` is anything with ``screen(name, country=, as_of=)`` returning an object with
    ``hits`` (each with ``party``, ``decision``, ``score``). Without one, the default store's
    current snapshots are screened; :class:`NoListsLoaded` is raised if there are none and the
    transaction names parties.
    """
    tx = parse_transaction(tx)
    tables = load_all()
    store, screener = _screener_for(store, screener, tx)
    dest, groups = _destination(tables, tx)

    def new_context() -> Context:
        c = Context(tx=tx, tables=tables, day=tx.day, destination=dest, groups=groups)
        note = tables["part_738.destination_notes"].at(c.day)
        if tx.destination in note:
            c.ask(f"destination_note:{tx.destination}", " ".join(note.value(tx.destination).split()),
                  blocking=True)
        return c

    ctx = new_context()
    screen_parties(ctx, screener)
    unsure = _resolve_uncertain(ctx)
    if unsure:
        # Decide twice, with and without the entries whose listing date is in doubt.
        alt = new_context()
        alt.screening, alt.notes = ctx.screening, list(ctx.notes)
        alt.questions, alt.blocking = list(ctx.questions), list(ctx.blocking)
        alt.hits = [h for h in ctx.hits if h not in unsure]
        _run(ctx)
        _run(alt)
        decides = decide(ctx) != decide(alt)
        if decides:
            extra = [r for r in ctx.requirements if _req_key(r) not in {_req_key(a) for a in alt.requirements}]
            ctx = alt
            for r in extra:
                ctx.note(r["rule"], r["citation"], "If the entry was in force on the date: "
                         + r["summary"], r.get("party"))
        for h in unsure:
            _ask_listed(ctx, h, blocking=decides)
    else:
        _run(ctx)
    _stale_lists(ctx, lists_published(store, screener))
    return _output(ctx, store, screener)


def _run(ctx: Context) -> None:
    try:
        for step in STEPS:
            step(ctx)
            ctx.trace.append({"step": step.__name__, "requirements": len(ctx.requirements)})
            if ctx.stop:
                break
    except NoRuleInForce as e:  # a rule table has a gap on this date: say so, never guess
        ctx.ask("no_rule_in_force", str(e), blocking=True)


def _req_key(r: dict) -> tuple:
    return (r.get("rule"), r.get("citation"), r.get("party"), r.get("summary"))


def _listed_qid(h) -> str:
    return f"listed_on_date:{h.party.id}"


def _resolve_uncertain(ctx: Context) -> list:
    """Hits on BIS/SDN entries whose listing date is in doubt on the date (only the FR volume
    year is known and it is the date's year, or the date falls just before the FR
    publication). An answer ``listed_on_date:<entry id>`` settles one: yes keeps the hit, no
    drops it. Returns the unanswered ones (kept, treated as listed for now)."""
    unsure = []
    for h in list(ctx.hits):
        if h.listing != "uncertain" or h.list_code not in EAR_LISTS or h.decision != "match":
            continue
        ans = ctx.tx.answers.get(_listed_qid(h))
        if ans is False:
            ctx.hits.remove(h)
        elif ans is None:
            unsure.append(h)
    return unsure


def _ask_listed(ctx: Context, h, *, blocking: bool) -> None:
    ls = listing_start(h.party)
    when = (f"listed in {ls.year} per {ls.cite}" if not ls.day else
            f"published in {ls.cite} on {ls.day} (an order or rule can take effect before it is published)")
    ctx.ask(_listed_qid(h), f"{h.party.name} ({h.list_code}) was {when}: was the entry in force on "
            f"{ctx.day}? " + ("The answer decides the outcome." if blocking else
                              "Treated as listed; the outcome is the same either way."),
            blocking=blocking)
    if not blocking:
        ctx.note(LIST_SECTIONS.get(h.list_code, "744.11"),
                 f"15 CFR {LIST_SECTIONS.get(h.list_code, '744.11')} ({ls.cite})",
                 f"{h.party.name}: listing date not exact ({ls.label()}); treated as listed on {ctx.day}.",
                 h.query)


def lists_published(store, screener=None) -> str | None:
    """The as-of date of the oldest current list snapshot (published, else loaded)."""
    if store is not None:
        try:
            snaps = store.current_snapshots()
        except Exception:  # a store without lists
            snaps = []
        days = [str(s.published or s.loaded_at)[:10] for s in snaps if s.published or s.loaded_at]
        return min(days) if days else None
    got = getattr(screener, "lists_published", None)
    return got if isinstance(got, str) else None


def _stale_lists(ctx: Context, published: str | None) -> None:
    """Lists older than the transaction date: say so; blocking when the answer is "not subject"
    or "no licence" and a party matched an Entity List entry (its footnote designations or
    requirement may have changed since)."""
    if not published or ctx.day <= published:
        return
    el = any(h.list_code == "EL" and h.decision == "match" and not h.role.startswith("owner of")
             for h in ctx.hits)
    blocking = el and decide(ctx) in ("not_subject_to_ear", "no_license_required")
    ans = ctx.ask("lists_as_of", f"The lists loaded are as of {published}; entries added or amended "
                  f"after that (e.g. Entity List footnote designations) are not known. Were the "
                  f"parties' entries unchanged on {ctx.day}? (Or load lists current on that date.)"
                  + (" An Entity List party is involved and the outcome turns on its entry."
                     if blocking else ""), blocking=blocking)
    if ans is True:
        ctx.note("lists_as_of", "15 CFR 744.11", f"Lists as of {published}; the parties' entries "
                 f"were confirmed unchanged on {ctx.day}.")


def decide(ctx: Context) -> str:
    if ctx.subject is False:
        return "indeterminate" if "lists_as_of" in ctx.blocking else "not_subject_to_ear"
    open_reqs = [r for r in ctx.requirements if not r.get("authorized_by")]
    if any(r.get("prohibited") for r in ctx.requirements):
        return "prohibited"
    if open_reqs:
        return "license_required"
    if ctx.blocking:
        return "indeterminate"
    if ctx.requirements:
        return "authorized"
    return "no_license_required"


def _question(text: str, blocking: list[str]) -> dict[str, Any]:
    """``"[id] text"`` -> ``{"id", "text", "blocking"}`` (blocking: the answer could add a requirement)."""
    qid, _, rest = text[1:].partition("] ")
    return {"id": qid, "text": rest, "blocking": qid in blocking}


def _output(ctx: Context, store, screener) -> dict[str, Any]:
    tx = ctx.tx
    basis = ", ".join(ctx.basis)
    if tx.destination != ctx.destination:
        ctx.notes.insert(0, {"rule": "738.3", "citation": "15 CFR part 738, Supp. No. 1 (85 FR 83765)",
                             "summary": f"{tx.destination} is treated as {ctx.destination} on {ctx.day}.",
                             "party": None})
    unknown_uses = [u for u in tx.end_uses if u not in {
        "military", "military_intelligence", "advanced_node_ic", "ic_production_unknown_node",
        "backend_assembly_test", "supercomputer", "standards_activity", "food_or_medicine"}]
    for u in unknown_uses:
        ctx.questions.append(f"[end_use:{u}] End use {u!r} is not evaluated by earcheck; check Part 744 by hand.")
    known = {"is_informed_744.21", "fdp_incorporation"}
    for k in tx.knowledge:
        fact = k if isinstance(k, str) else k.fact
        if fact not in known:
            ctx.questions.append(f"[knowledge:{fact}] Declared knowledge {fact!r} is not evaluated by "
                                 f"earcheck (known: {', '.join(sorted(known))}); weigh it by hand.")
            ctx.blocking.append(f"knowledge:{fact}")
    if ctx.screening and all(s["decision"] == "not_screened" for s in ctx.screening):
        ctx.questions.append("[not_screened] No screener: parties were not screened against any list.")
        ctx.blocking.append("not_screened")
    return {
        "decision": decide(ctx),
        "subject_to_ear": {"subject": bool(ctx.subject), "basis": basis},
        "requirements": ctx.requirements,
        "notes": ctx.notes,
        "screening": ctx.screening,
        "open_questions": ctx.questions,
        "questions": [_question(q, ctx.blocking) for q in ctx.questions],
        "as_of": ctx.day,
        "destination": ctx.destination,
        "lists_snapshot": _snapshot_label(store, screener),
        "steps": [t["step"] for t in ctx.trace if "requirements" in t],
    }
