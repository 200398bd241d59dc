"""Readable text of a determination (used by the CLI; reusable by the web layer)."""
from __future__ import annotations

#: On equal scores the BIS lists come first, so another list's entry for the same name (CMIC
#: for SMIC) never hides the Entity List entry the requirement rests on.
BIS_LISTS = ("EL", "DPL", "UVL", "MEU")


def render_text(res: dict) -> str:
    """The readable answer: decision, requirements with citations and policies, questions."""
    lines = [f"Decision: {res['decision'].upper().replace('_', ' ')}   (as of {res['as_of']}, "
             f"destination {res['destination']})"]
    s = res["subject_to_ear"]
    lines.append(f"Subject to the EAR: {'yes' if s['subject'] else 'no'}"
                 f"{' - 15 CFR ' + s['basis'] if s['basis'] else ''}")
    lines.append(f"Lists: {res.get('lists_snapshot') or 'none'}")
    if res["requirements"]:
        lines.append("Requirements:")
        for i, r in enumerate(res["requirements"], 1):
            who = f" [{r['party']}]" if r.get("party") else ""
            lines.append(f"  {i}. {r['rule']}{who}: {r['summary']}")
            lines.append(f"     citation: {r['citation']}")
            if r.get("review_policy"):
                lines.append(f"     review policy: {r['review_policy']}")
            exc = r.get("license_exceptions")
            exc_txt = exc if isinstance(exc, str) else "; ".join(exc)
            lines.append(f"     licence exceptions: {exc_txt}")
            if r.get("authorized_by"):
                lines.append(f"     authorized by: {r['authorized_by']}")
    else:
        lines.append("Requirements: none")
    for n in res.get("notes", []):
        lines.append(f"Note ({n['citation']}): {n['summary']}")
    if any(s["hits"] for s in res["screening"]):
        lines.append("Screening (lists as of the date):")
    for s in res["screening"]:
        if not s["hits"]:
            continue
        hits = sorted(s["hits"], key=lambda h: (-round(h["score"], 3), h["list_code"] not in BIS_LISTS))
        shown = [h for h in hits if h["decision"] == "match"] or hits[:3]
        lines.append(f"  {s['name']} ({s['role']}): {s['decision']}")
        for h in shown:
            lines.append(f"    - {h['name']} ({h['list_code']}, {h['decision']}, score {h['score']:.2f}, "
                         f"listed {h.get('listed_from') or h['start_date'] or 'n/a'})")
        if len(s["hits"]) > len(shown):
            lines.append(f"    (+{len(s['hits']) - len(shown)} weaker hits; see --json)")
    if res["open_questions"]:
        lines.append("Open questions:")
        lines.extend(f"  ? {q}" for q in res["open_questions"])
    return "\n".join(lines)
