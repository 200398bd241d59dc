"""Recorded screening: ``POST /screen`` (one party) and ``POST /batches`` (a CSV or Excel
customer file, screened in the background; ``GET /batches/{id}`` reports progress).

Every alert that is new for the party opens a case; every screening is audited. Each row of
a batch is committed on its own, so a killed server loses at most the row in flight.
"""
from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile

from earcheck.review import ReviewError, read_rows

from ..deps import User, analyst, workspace
from ..schemas import ScreenRequest
from ..state import Workspace
from .util import check_name

router = APIRouter(tags=["Screening and batches"])


@router.post("/screen", summary="Screen one party and record it (opens a case for a new alert)")
def screen(body: ScreenRequest, ws: Workspace = Depends(workspace),
           user: User = Depends(analyst)) -> dict[str, Any]:
    """``{"name": "SMIC", "country": "CN"}`` -> ``{"decision": "match", "hits": [...],
    "case_id": 12, "known_cases": [], "lists_snapshot": "csl:..."}``."""
    name = check_name(body.name)
    if body.address is not None:
        check_name(body.address, "address")
    return ws.screen_and_record(name, body.country.upper() if body.country else None, body.address,
                                user=user.name, origin="single", limit=body.limit)


def run_batch(ws: Workspace, batch_id: int, rows: list[dict[str, Any]], user: str) -> None:
    """Screen the rows one by one, committing each; progress lives in ``review_batches``."""
    done = alerts = failed = 0
    try:
        for row in rows:
            name = " ".join((row.get("name") or "").split())[:1000]
            if name:
                country = (row.get("country") or "").strip().upper() or None
                if country and (len(country) != 2 or not country.isalpha()):
                    country = None
                try:
                    out = ws.screen_and_record(name, country, row.get("address"), user=user,
                                               origin="batch", batch_id=batch_id)
                    alerts += out["case_id"] is not None
                except Exception as e:  # a bad row is counted and the batch goes on
                    failed += 1
                    ws.review.audit(user=user, action="screening_error",
                                    inputs={"batch_id": batch_id, "row": row.get("row"), "name": name},
                                    snapshot=ws.view.checksum, result={"error": type(e).__name__})
            done += 1
            if done % 25 == 0 or done == len(rows):
                ws.review.batch_progress(batch_id, done=done, alerts=alerts,
                                         error=f"{failed} rows could not be screened" if failed else None)
        ws.review.batch_progress(batch_id, done=done, alerts=alerts, status="done",
                                 error=f"{failed} rows could not be screened" if failed else None)
        ws.review.audit(user=user, action="batch", inputs={"batch_id": batch_id, "rows": len(rows)},
                        snapshot=ws.view.checksum, result={"alerts": alerts, "done": done,
                                                           "failed": failed})
    except Exception as e:  # record the failure; the rows already done stay committed
        ws.review.batch_progress(batch_id, done=done, alerts=alerts, status="failed",
                                 error=f"{type(e).__name__}: {e}"[:500])


def start_batch(ws: Workspace, data: bytes, filename: str, name_column: str | None,
                user: str) -> dict[str, Any]:
    rows = read_rows(data, filename, name_column)
    batch_id = ws.review.create_batch(filename, len(rows), user=user)
    threading.Thread(target=run_batch, args=(ws, batch_id, rows, user), daemon=True,
                     name=f"batch-{batch_id}").start()
    return ws.review.batch(batch_id)


@router.post("/batches", summary="Upload a CSV or Excel file of parties to screen in the background")
async def upload(request: Request, file: UploadFile = File(...), name_column: str | None = Form(None),
                 ws: Workspace = Depends(workspace), user: User = Depends(analyst)) -> dict[str, Any]:
    """Multipart upload (field ``file``); answers the batch record, poll ``GET /batches/{id}``."""
    limit = request.app.state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"file larger than {limit} bytes")
    try:
        return start_batch(ws, data, file.filename or "upload.csv", name_column, user.name)
    except ReviewError as e:
        raise HTTPException(400, str(e)) from None


@router.get("/batches/{batch_id}", summary="Progress of a batch")
def batch(batch_id: int, ws: Workspace = Depends(workspace),
          _: User = Depends(analyst)) -> dict[str, Any]:
    b = ws.review.batch(batch_id)
    if b is None:
        raise HTTPException(404, f"no batch {batch_id}")
    return b
