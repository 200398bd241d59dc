"""Re-screening the saved customer base after a list update.

Every party ever screened or uploaded is screened again against the new lists; a case is
opened only for alerting hits whose list entry is new to that party or whose content changed
(see :meth:`earcheck.review.cases.Review.record_screening`). One audit row summarises the run.
"""
from __future__ import annotations

from typing import Any, Callable

from .cases import Review

#: screen(name, country, address) -> (decision, hit records)
ScreenFn = Callable[[str, "str | None", "str | None"], "tuple[str, list[dict[str, Any]]]"]


def rescreen(review: Review, screen: ScreenFn, *, user: str, snapshot: str,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Re-screen every saved customer; returns ``{"screened", "new_cases": [ids], "quiet"}``."""
    customers = review.customers()
    new_cases: list[int] = []
    quiet = 0
    for i, cust in enumerate(customers, 1):
        decision, hits = screen(cust["name"], cust["country"], cust["address"])
        out = review.record_screening(
            {"name": cust["name"], "country": cust["country"], "address": cust["address"]},
            decision, hits, user=user, origin="rescreen", snapshot=snapshot)
        if out["case_id"] is not None:
            new_cases.append(out["case_id"])
        elif hits and decision in ("match", "review"):
            quiet += 1
        if progress:
            progress(i, len(customers))
    summary = {"screened": len(customers), "new_cases": new_cases, "quiet": quiet}
    review.audit(user=user, action="rescreen", inputs={"customers": len(customers)},
                 snapshot=snapshot, result=summary)
    return summary
