"""Cases, decisions, party history and the audit trail. They hold customer data, so reading
them needs the analyst role too (in local mode: this machine only)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import StreamingResponse

from earcheck.review import ReviewError

from ..deps import User, analyst, workspace
from ..schemas import DecisionRequest
from ..state import Workspace

router = APIRouter(tags=["Review and audit"])


@router.get("/cases", summary="The review queue")
def cases(status: str = Query("open", description="open | escalated | decided | all"),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
          ws: Workspace = Depends(workspace), _: User = Depends(analyst)) -> dict[str, Any]:
    try:
        items = ws.review.queue(status=status, limit=limit, offset=offset)
    except ReviewError as e:
        raise HTTPException(400, str(e)) from None
    return {"status": status, "results": items}


@router.get("/cases/{case_id}", summary="One case with its decisions")
def case(case_id: int, ws: Workspace = Depends(workspace), _: User = Depends(analyst)) -> dict[str, Any]:
    c = ws.review.case(case_id)
    if c is None:
        raise HTTPException(404, f"no case {case_id}")
    return c


@router.post("/cases/{case_id}/decisions", summary="Record a decision on a case (append-only)")
def decide(case_id: int, body: DecisionRequest, ws: Workspace = Depends(workspace),
           user: User = Depends(analyst)) -> dict[str, Any]:
    """``{"decision": "false_positive", "comment": "..."}``; committed before the answer."""
    if ws.review.case(case_id) is None:
        raise HTTPException(404, f"no case {case_id}")
    try:
        return ws.review.decide(case_id, body.decision, body.comment, user=user.name)
    except ReviewError as e:
        raise HTTPException(400, str(e)) from None


@router.get("/customers/{customer_id}", summary="A screened party's history")
def customer(customer_id: int, ws: Workspace = Depends(workspace),
             _: User = Depends(analyst)) -> dict[str, Any]:
    h = ws.review.history(customer_id)
    if h is None:
        raise HTTPException(404, f"no customer {customer_id}")
    return h


@router.get("/audit", summary="The audit trail, newest first")
def audit(action: str | None = None, limit: int = Query(100, ge=1, le=10_000),
          offset: int = Query(0, ge=0), ws: Workspace = Depends(workspace),
          _: User = Depends(analyst)) -> dict[str, Any]:
    return {"results": ws.review.audit_rows(action=action, limit=limit, offset=offset)}


@router.get("/audit.csv", summary="The whole audit trail as CSV")
def audit_csv(ws: Workspace = Depends(workspace), _: User = Depends(analyst)) -> StreamingResponse:
    return StreamingResponse(ws.review.audit_csv(), media_type="text/csv",
                             headers={"Content-Disposition": 'attachment; filename="earcheck-audit.csv"'})
