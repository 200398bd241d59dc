"""Shared request dependencies: the workspace, the caller's identity and role checks."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from .state import Workspace

LOOPBACK = ("127.0.0.1", "::1", "localhost", "testclient")


@dataclass
class User:
    name: str
    role: str  # anonymous | analyst | admin


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def _presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization") or ""
    for prefix in ("apikey ", "bearer "):
        if auth.lower().startswith(prefix):
            return auth[len(prefix):].strip()
    return request.headers.get("x-api-key") or request.cookies.get("earcheck_key") or None


def _cross_site(request: Request) -> bool:
    """A browser request sent by another site's page (its ``Origin`` is not this host)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return origin.split("://", 1)[-1].rstrip("/") != request.headers.get("host", "")


def _explicit_key(request: Request) -> bool:
    return bool(request.headers.get("authorization") or request.headers.get("x-api-key"))


def current_user(request: Request) -> User:
    """Who is calling: a configured API key, ``local`` in local mode, else anonymous.

    Ambient credentials (local mode, the workspace cookie) never count for a request that
    another site's page made the browser send (cross-site request forgery)."""
    keys = request.app.state.settings.api_keys
    key = _presented_key(request)
    if _cross_site(request) and not _explicit_key(request):
        return User("anonymous", "anonymous")
    if keys:
        if key is None:
            return User("anonymous", "anonymous")
        found = keys.get(key)
        if found is None:
            raise HTTPException(401, "unknown API key")
        return User(found.user, found.role)
    host = request.client.host if request.client else ""
    if host in LOOPBACK:
        return User("local", "admin")
    return User("anonymous", "anonymous")


def analyst(request: Request) -> User:
    """Write routes (cases, decisions, uploads): analyst or admin."""
    user = current_user(request)
    if user.role not in ("analyst", "admin"):
        raise HTTPException(401, "this route needs an API key with role analyst or admin "
                                 "(header 'Authorization: ApiKey <key>')")
    return user


def admin(request: Request) -> User:
    """Admin routes (list updates): admin only."""
    user = current_user(request)
    if user.role == "anonymous":
        raise HTTPException(401, "this route needs an API key with role admin")
    if user.role != "admin":
        raise HTTPException(403, "this route needs an API key with role admin")
    return user
