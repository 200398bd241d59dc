"""The web workspace: server-rendered pages (Jinja) over the same workspace as the API.

Pages: screen a name (``/``), upload a customer file (``/ui/upload``), the review queue with
decision buttons (``/ui/queue``), a case (``/ui/cases/{id}``), a party's history
(``/ui/parties/{id}``), list status and the last update's diff (``/ui/lists``) and the
audit trail with its CSV export (``/ui/audit``). Write actions need the same roles as the
API; with API keys configured, the key is entered once and kept in a SameSite cookie.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from earcheck.review import DECISIONS, ReviewError

from ..deps import admin, analyst, current_user, workspace
from ..state import NoListLoaded, Workspace
from .screen import start_batch
from .util import check_name

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))


def _page(request: Request, name: str, **ctx: Any) -> HTMLResponse:
    ws: Workspace = request.app.state.workspace
    user = current_user(request)
    may_read_cases = user.role in ("analyst", "admin")  # the same rule as GET /cases
    ctx.update(request=request, user=user, view=ws.view,
               open_cases=ws.review.count_open() if may_read_cases else None,
               need_key=bool(request.app.state.settings.api_keys) and user.role == "anonymous",
               decisions=DECISIONS)
    return templates.TemplateResponse(request, name, ctx, status_code=ctx.pop("http_status", 200))


def _error(request: Request, exc: HTTPException) -> HTMLResponse:
    return _page(request, "error.html", message=exc.detail, http_status=exc.status_code)


def _denied(request: Request) -> HTMLResponse | None:
    """Pages with customer data need the analyst role: the error page when missing."""
    try:
        analyst(request)
    except HTTPException as e:
        return _error(request, e)
    return None


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _page(request, "screen.html", result=None)


@router.post("/ui/screen", response_class=HTMLResponse)
def ui_screen(request: Request, name: str = Form(""), country: str = Form(""),
              ws: Workspace = Depends(workspace)) -> HTMLResponse:
    try:
        user = analyst(request)
        name = check_name(name)
        country = country.strip().upper() or None
        if country and (len(country) != 2 or not country.isalpha()):
            raise HTTPException(400, "country must be an ISO-2 code such as CN")
    except HTTPException as e:
        return _error(request, e)
    try:
        result = ws.screen_and_record(name, country, None, user=user.name, origin="single")
    except NoListLoaded as e:
        return _error(request, HTTPException(503, str(e)))
    return _page(request, "screen.html", result=result)


@router.get("/ui/upload", response_class=HTMLResponse)
def upload_page(request: Request, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    return _page(request, "upload.html", batches=ws.review.batches())


@router.post("/ui/upload")
async def upload(request: Request, file: UploadFile = File(...), name_column: str = Form(""),
                 ws: Workspace = Depends(workspace)):
    try:
        user = analyst(request)
        limit = request.app.state.settings.max_upload_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"file larger than {limit} bytes")
        batch = start_batch(ws, data, file.filename or "upload.csv", name_column or None, user.name)
    except HTTPException as e:
        return _error(request, e)
    except ReviewError as e:
        return _error(request, HTTPException(400, str(e)))
    return RedirectResponse(f"/ui/batches/{batch['id']}", status_code=303)


@router.get("/ui/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: int, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    b = ws.review.batch(batch_id)
    if b is None:
        return _error(request, HTTPException(404, f"no batch {batch_id}"))
    return _page(request, "batch.html", batch=b)


@router.get("/ui/queue", response_class=HTMLResponse)
def queue(request: Request, status: str = "open", ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    try:
        cases = ws.review.queue(status=status, limit=200)
    except ReviewError as e:
        return _error(request, HTTPException(400, str(e)))
    return _page(request, "queue.html", cases=cases, status=status)


@router.get("/ui/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    c = ws.review.case(case_id)
    if c is None:
        return _error(request, HTTPException(404, f"no case {case_id}"))
    return _page(request, "case.html", case=c)


@router.post("/ui/cases/{case_id}/decide")
def decide(request: Request, case_id: int, decision: str = Form(...), comment: str = Form(""),
           back: str = Form(""), ws: Workspace = Depends(workspace)):
    try:
        user = analyst(request)
        ws.review.decide(case_id, decision, comment, user=user.name)
    except HTTPException as e:
        return _error(request, e)
    except ReviewError as e:
        return _error(request, HTTPException(400, str(e)))
    target = back if back.startswith("/ui/") else f"/ui/cases/{case_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/ui/parties", response_class=HTMLResponse)
def parties(request: Request, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    return _page(request, "parties.html", customers=ws.review.customers(limit=500))


@router.get("/ui/parties/{customer_id}", response_class=HTMLResponse)
def party_page(request: Request, customer_id: int, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    h = ws.review.history(customer_id)
    if h is None:
        return _error(request, HTTPException(404, f"no party {customer_id}"))
    return _page(request, "party.html", party=h)


@router.get("/ui/lists", response_class=HTMLResponse)
def lists_page(request: Request, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    return _page(request, "lists.html", snapshots=ws.store.snapshots(), last=ws.last_diff(),
                 update=None)


@router.post("/ui/lists/update", response_class=HTMLResponse)
def lists_update(request: Request, source: str = Form(...), force: bool = Form(False),
                 ws: Workspace = Depends(workspace)):
    from .lists import update
    from ..schemas import ListUpdateRequest

    try:
        user = admin(request)
        out = update(ListUpdateRequest(source=source.strip() or "-", force=force), ws, user)
    except HTTPException as e:
        return _error(request, e)
    return _page(request, "lists.html", snapshots=ws.store.snapshots(), last=ws.last_diff(),
                 update=out)


@router.get("/ui/audit", response_class=HTMLResponse)
def audit_page(request: Request, ws: Workspace = Depends(workspace)) -> HTMLResponse:
    if (denied := _denied(request)) is not None:
        return denied
    return _page(request, "audit.html", rows=ws.review.audit_rows(limit=200))


@router.post("/ui/login")
def login(request: Request, key: str = Form(...)):
    if key not in request.app.state.settings.api_keys:
        return _error(request, HTTPException(401, "unknown API key"))
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie("earcheck_key", key, httponly=True, samesite="strict")
    return resp
