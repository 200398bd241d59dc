"""``GET /lists`` (loaded snapshots and counts), ``GET /lists/diff`` (the last update) and
``POST /lists/update`` (admin: load a newer list, swap it in atomically, re-screen)."""
from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from ..deps import User, admin, workspace
from ..schemas import ListUpdateRequest
from ..state import Workspace

router = APIRouter(tags=["Lists"])


def _snap(s: Any) -> dict[str, Any]:
    if hasattr(s, "to_dict"):
        return s.to_dict()
    return dataclasses.asdict(s) if dataclasses.is_dataclass(s) else dict(s)


@router.get("/lists", summary="Loaded lists: current snapshots, counts, all snapshots")
def lists(ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    view = ws.view
    return {"current": [_snap(s) for s in view.snapshots], "checksum": view.checksum,
            "version": view.version, "parties": len(view.parties), "loaded_at": view.loaded_at,
            "snapshots": [_snap(s) for s in ws.store.snapshots()]}


@router.get("/lists/diff", summary="The diff of the last list update")
def lists_diff(ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    return {"last_update": ws.last_diff()}


@router.post("/lists/update", summary="Load a newer list (admin), then re-screen saved parties")
def update(body: ListUpdateRequest, ws: Workspace = Depends(workspace),
           user: User = Depends(admin)) -> dict[str, Any]:
    """``{"source": "/path/consolidated.csv"}`` (or a URL). Answers the snapshot, whether it
    is new, the diff against the previous snapshot and the re-screening summary."""
    from earcheck.lists import ListFormatError
    from earcheck.store import LoadRefused

    try:
        return ws.update_lists(body.source, body.format, user=user.name, force=body.force)
    except LoadRefused as e:
        raise HTTPException(409, f"{e.source}: {e.reason}; send \"force\": true to load it "
                                 "anyway") from None
    except ListFormatError as e:
        raise HTTPException(400, str(e).splitlines()[0]) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        raise HTTPException(400, f"{body.source}: cannot read ({type(e).__name__})") from None
    except ValueError as e:
        raise HTTPException(400, str(e).splitlines()[0] if str(e) else "bad list source") from None
    except RuntimeError as e:  # the store itself (disk, database) failed: not the caller's input
        raise HTTPException(503, str(e).splitlines()[0] if str(e) else "store unavailable") from None
