"""``POST /license``: the EAR licence determination, same JSON in and out as
``earcheck license check``."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request

from ..deps import current_user, workspace
from ..state import Workspace

router = APIRouter(tags=["Licence determination"])


@router.post("/license", summary="Licence determination for one transaction")
def license_check(request: Request, tx: dict[str, Any] = Body(..., examples=[{
        "date": "2021-03-01", "from_country": "US", "destination": "CN",
        "item": {"classification": "EAR99", "kind": "commodity", "made_in": "US"},
        "parties": [{"role": "end_user", "name": "Semiconductor Manufacturing International "
                     "Corporation", "country": "CN"}]}]),
        ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """The transaction JSON of issue 4; answers decision, requirements, screening,
    open_questions, as_of and lists_snapshot."""
    try:
        from earcheck.rules import check_license
    except ImportError:
        raise HTTPException(503, "licence rules are not available in this installation") from None
    if not isinstance(tx, dict):
        raise HTTPException(400, "the transaction must be a JSON object")
    view = ws.view
    try:
        out = check_license(tx, store=ws.store, screener=view.screener)
    except (ValueError, TypeError, KeyError) as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise HTTPException(400, f"bad transaction: {msg}") from None
    ws.review.audit(user=current_user(request).name, action="license", inputs=tx,
                    snapshot=view.checksum, result={"decision": out.get("decision")})
    return out
