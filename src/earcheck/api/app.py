"""``create_app(settings)``: the FastAPI application, one router per API area (yente layout).

Error policy: user input never produces a 500. Validation problems become ``400`` with a
one-line ``detail``; oversized bodies ``413``; unknown routes and records ``404``.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException


from .config import ApiSettings
from .routers import csl, license, lists, review, screen, ui, yente
from .state import NoListLoaded, Workspace

HERE = Path(__file__).parent

TAGS = [
    {"name": "Consolidated Screening List API v1", "description": "trade.gov CSL search, same shapes"},
    {"name": "yente-compatible matching", "description": "OpenSanctions yente /match, /search, /entities"},
    {"name": "Screening and batches", "description": "Recorded screenings; CSV/Excel batches"},
    {"name": "Review and audit", "description": "Cases, append-only decisions, audit trail"},
    {"name": "Licence determination", "description": "EAR licence check for a transaction"},
    {"name": "Lists", "description": "Loaded lists, updates, diffs"},
]


class BodyLimit:
    """ASGI middleware: refuse request bodies above a size (413), declared or streamed."""

    def __init__(self, app: Any, settings: ApiSettings):
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        multipart = any(k == b"content-type" and v.startswith(b"multipart/") for k, v in scope["headers"])
        limit = self.settings.max_upload_bytes if multipart else self.settings.max_body_bytes
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _too_large(limit)(scope, receive, send)
        seen = 0

        async def counting_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message
        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await _too_large(limit)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"request body larger than {limit} bytes"}, status_code=413)


def _one_line(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": _one_line(exc)}, status_code=400)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _no_list(request: Request, exc: NoListLoaded) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": f"internal error ({type(exc).__name__})"}, status_code=500)


HANDLERS = {
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    HTTPException: _http_error,
    NoListLoaded: _no_list,
    Exception: _unexpected,
}


def create_app(settings: ApiSettings | None = None, *, workspace: Workspace | None = None,
               **workspace_kw: Any) -> FastAPI:
    """Build the service. ``settings`` defaults to :meth:`ApiSettings.from_env`; ``workspace``
    (or keyword arguments for :class:`Workspace`, e.g. ``store=``) lets tests inject state."""
    settings = settings or ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Screening is CPU-bound under one GIL: a few worker threads beat forty contending ones.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        stop = app.state.workspace.watch_store(settings.watch_seconds) if settings.watch_seconds else None
        yield
        if stop is not None:
            stop.set()

    app = FastAPI(title=settings.title, description=settings.description, version="0.1.0",
                  openapi_tags=TAGS, exception_handlers=HANDLERS, lifespan=lifespan)
    app.state.settings = settings
    app.state.workspace = workspace or Workspace(settings, **workspace_kw)
    for module in (csl, yente, screen, review, license, lists, ui):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BodyLimit, settings=settings)
    return app
