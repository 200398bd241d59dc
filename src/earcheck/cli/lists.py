"""``earcheck lists ...``: load, update, inspect and compare the stored restricted-party lists.

A thin layer over :class:`earcheck.store.Store`. Bad input gives one line
``error: <file>: <problem>`` on stderr and exit code 2; the store is left unchanged. JSON output
(``--json``) has stable keys, documented in docs/lists-json.md.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

#: ``lists load``/``update`` refuse a list with fewer parties than this share of the current
#: snapshot (the store's guard, :data:`earcheck.store.MIN_LOAD_RATIO`).
MIN_UPDATE_RATIO = 0.5

lists_app = typer.Typer(
    help="Load, update and inspect the restricted-party lists (versioned local store).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Attach the ``lists`` sub-app."""
    app.add_typer(lists_app, name="lists")


# -- helpers ------------------------------------------------------------------------------------


def _one_line(msg: str) -> str:
    return " ".join(str(msg).split())


@contextmanager
def _errors(what: str = "") -> Iterator[None]:
    """Turn known failures into ``error: <file>: <problem>`` and exit 2 (no traceback).

    Unexpected exceptions are reported the same way; set ``EARCHECK_DEBUG=1`` to see them raw.
    """
    from earcheck.lists import ListFormatError
    from earcheck.store import LoadRefused, StoreError

    try:
        yield
    except LoadRefused as e:
        typer.echo(f"error: {_one_line(e.source)}: {_one_line(e.reason)}; "
                   "use --force to load it anyway", err=True)
        raise typer.Exit(2) from None
    except (ListFormatError, StoreError) as e:
        typer.echo(f"error: {_one_line(str(e))}", err=True)
        raise typer.Exit(2) from None
    except typer.Exit:
        raise
    except Exception as e:  # noqa: BLE001 - the CLI must never show a traceback
        if os.environ.get("EARCHECK_DEBUG"):
            raise
        prefix = f"{what}: " if what else ""
        typer.echo(f"error: {prefix}{type(e).__name__}: {_one_line(str(e))}", err=True)
        raise typer.Exit(2) from None


def _fail(msg: str) -> None:
    typer.echo(f"error: {_one_line(msg)}", err=True)
    raise typer.Exit(2)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _row(table, *cells: Any) -> None:
    """Add a row whose cells are plain text (list data may contain rich markup brackets)."""
    from rich.text import Text

    table.add_row(*(Text("" if c is None else str(c)) for c in cells))


def _console():
    from rich.console import Console

    return Console()


def _is_url(s: str) -> bool:
    return s.split("://", 1)[0].lower() in ("http", "https")


def _check_paths(sources: list[str]) -> None:
    for s in sources:
        if not _is_url(s) and not Path(s).exists():
            _fail(f"{s}: no such file or directory")


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def _load_report(results, store, as_json: bool) -> None:
    if as_json:
        _echo_json({
            "results": [{"created": r.created, "snapshot": r.snapshot.to_dict()} for r in results],
            "version": store.version(),
        })
        return
    from rich.table import Table

    table = Table(title=f"Loaded into {store.path}")
    for col in ("snapshot", "dataset", "format", "published", "parties", "status"):
        table.add_column(col)
    for r in results:
        s = r.snapshot
        status = "new snapshot" if r.created else "unchanged (same checksum)"
        if s.warnings:
            status += f"; {len(s.warnings)} warnings"
        _row(table, str(s.id), s.dataset, s.format, s.published or "-", str(s.total), status)
    console = _console()
    console.print(table)
    for r in results:
        console.print(f"snapshot {r.snapshot.id}: {_counts_text(r.snapshot.counts)}", markup=False)
        for w in r.snapshot.warnings[:5]:
            console.print(f"  warning: {w}", markup=False)
        if len(r.snapshot.warnings) > 5:
            console.print(f"  ... and {len(r.snapshot.warnings) - 5} more warnings")


# -- commands -----------------------------------------------------------------------------------


@lists_app.command("load")
def load_cmd(
    sources: List[str] = typer.Argument(..., help="List files or http(s) URLs."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help="Force the format (default: detected from content)."),
    together: bool = typer.Option(False, "--together", "-t",
                                  help="Parse all SOURCES as ONE publication (e.g. OFAC sdn/add/alt)."),
    timeout: float = typer.Option(60.0, help="Seconds per download attempt (URLs)."),
    retries: int = typer.Option(3, help="Extra download attempts on network errors (URLs)."),
    force: bool = typer.Option(False, "--force", help=f"Load even a list with under "
                                                      f"{MIN_UPDATE_RATIO:.0%} of the current one's "
                                                      "parties, or an older publication."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Parse list files (or URLs) and store each as a snapshot.

    Every source is parsed before anything is written; the snapshots are then stored in one
    transaction, so one bad file leaves the store unchanged. A list that would replace its
    dataset's current one by a much smaller (under half) or older publication is refused
    unless ``--force``.
    """
    from earcheck.store import Store

    _check_paths(sources)
    with _errors(sources[0] if len(sources) == 1 else ""):
        store = Store()
        groups: list[Any] = [list(sources)] if together else list(sources)
        parsed = []
        for g in groups:
            with _errors(str(g)):
                parsed.append(store.parse(g, fmt, timeout=timeout, retries=retries))
        results = store.load_many(parsed, force=force)
        _load_report(results, store, as_json)


@lists_app.command("update")
def update_cmd(
    url: Optional[str] = typer.Option(None, help="Download from here instead of the official CSL "
                                                 "(default: $EARCHECK_CSL_URL or trade.gov)."),
    sha256: Optional[str] = typer.Option(None, "--sha256", help="Expected sha256 of the file."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Force the format."),
    timeout: float = typer.Option(60.0, help="Seconds per attempt."),
    retries: int = typer.Option(3, help="Extra attempts on network errors and HTTP 5xx."),
    force: bool = typer.Option(False, "--force", help=f"Load even if the new list has under "
                                                      f"{MIN_UPDATE_RATIO:.0%} of the current one's parties, "
                                                      "or is an older publication."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Download the official Consolidated Screening List and load it (only if it parses).

    As a guard against a download cut short at a row boundary (which still parses), a list with
    under half the parties of the dataset's current snapshot, or published before it, is refused
    unless ``--force``.
    """
    from earcheck import settings
    from earcheck.store import Store

    url = url or settings.csl_url()
    with _errors(url):
        store = Store()
        parsed = store.parse(url, fmt, timeout=timeout, retries=retries, expected_sha256=sha256)
        result = store.load_parsed(parsed, force=force)
        _load_report([result], store, as_json)


@lists_app.command("status")
def status_cmd(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    all_snapshots: bool = typer.Option(False, "--all", help="Also list every stored snapshot."),
) -> None:
    """Current snapshot of each list: source, as-of date, counts per list."""
    from earcheck.store import Store

    with _errors():
        store = Store()
        st = store.status()
        if all_snapshots or as_json:
            st["all_snapshots"] = [s.to_dict() for s in store.snapshots()] if all_snapshots else None
        if as_json:
            if not all_snapshots:
                st.pop("all_snapshots")
            _echo_json(st)
            return
        from rich.table import Table

        console = _console()
        console.print(f"store: {st['db_path']}  version {st['version']}  "
                      f"({st['snapshots']} snapshots stored)", markup=False)
        if not st["datasets"]:
            console.print("no lists loaded: run `earcheck lists load PATH` or `earcheck lists update`")
            return
        t = Table(title="Current snapshots")
        for col in ("dataset", "snapshot", "format", "published", "loaded at", "parties", "source"):
            t.add_column(col)
        for d in st["datasets"]:
            _row(t, d["dataset"], str(d["id"]), d["format"], d["published"] or "-",
                      d["loaded_at"], str(d["total"]), d["source"])
        console.print(t)
        for sh in st["shadowing"]:
            console.print(f"{sh['parties']} {sh['dataset']} entries (snapshot {sh['snapshot_id']}) are "
                          f"shadowed by the newer {sh['shadowed_by']} snapshot {sh['by_snapshot_id']}, "
                          "which carries the same entries (served once, from the newer)", markup=False)
        for sup in st["superseded"]:
            console.print(f"dataset {sup['dataset']} (snapshot {sup['id']}) is stored but not current: "
                          f"{sup['reason']}", markup=False)
        from earcheck.models import LIST_NAMES

        c = Table(title=f"Parties per list in the current snapshots ({st['total']} distinct entries "
                        "in total)")
        c.add_column("code")
        c.add_column("list")
        c.add_column("parties", justify="right")
        for code, n in st["counts"].items():
            _row(c, code, LIST_NAMES.get(code, code), str(n))
        console.print(c)
        if all_snapshots:
            a = Table(title="All snapshots")
            for col in ("id", "dataset", "format", "published", "loaded at", "parties", "checksum"):
                a.add_column(col)
            for s in st["all_snapshots"]:
                _row(a, str(s["id"]), s["dataset"], s["format"], s["published"] or "-",
                          s["loaded_at"], str(s["total"]), s["checksum"][:12])
            console.print(a)


@lists_app.command("diff")
def diff_cmd(
    old: str = typer.Argument(..., help="Snapshot id or list file."),
    new: str = typer.Argument(..., help="Snapshot id or list file."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output (full)."),
    limit: int = typer.Option(20, help="Rows shown per section in the human output."),
) -> None:
    """Parties added, removed and changed (which fields) between two snapshots or files."""
    from earcheck.store import Store

    for ref in (old, new):
        if not ref.isdigit():
            _check_paths([ref])
    with _errors():
        d = Store().diff(old, new)
        if as_json:
            _echo_json(d.to_dict())
            return
        from rich.table import Table

        console = _console()
        head = [ln for ln in d.summary(limit=0).splitlines() if not ln.startswith(" ")]
        console.print("\n".join(ln for ln in head if not ln.endswith(":")), markup=False)
        by = d.by_list()
        if by:
            t = Table(title="Per list")
            for col in ("list", "added", "removed", "changed"):
                t.add_column(col, justify="right" if col != "list" else "left")
            for code, c in by.items():
                _row(t, code, str(c["added"]), str(c["removed"]), str(c["changed"]))
            console.print(t)
        for title, items in (("Added", d.added), ("Removed", d.removed)):
            if not items:
                continue
            t = Table(title=f"{title} ({len(items)}{', first ' + str(limit) if len(items) > limit else ''})")
            for col in ("list", "id", "name", "federal register", "start"):
                t.add_column(col)
            for p in items[:limit]:
                _row(t, p.list_code, p.id, p.name, p.federal_register or "", p.start_date or "")
            console.print(t)
        if d.changed:
            t = Table(title=f"Changed ({len(d.changed)}"
                            f"{', first ' + str(limit) if len(d.changed) > limit else ''})")
            for col in ("list", "id", "name", "field", "old", "new"):
                t.add_column(col)
            for ch in d.changed[:limit]:
                for i, (f, fc) in enumerate(sorted(ch.fields.items())):
                    if fc.added is not None:
                        old_v = "- " + "; ".join(fc.removed) if fc.removed else ""
                        new_v = "+ " + "; ".join(fc.added) if fc.added else ""
                    else:
                        old_v, new_v = _short(fc.old), _short(fc.new)
                    _row(t, ch.new.list_code if i == 0 else "", ch.id if i == 0 else "",
                              ch.new.name if i == 0 else "", f, old_v, new_v)
            console.print(t)


def _short(v: Any, n: int = 80) -> str:
    s = "" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    return s if len(s) <= n else s[: n - 1] + "…"


@lists_app.command("show")
def show_cmd(
    party_id: str = typer.Argument(..., metavar="ID", help="Party id (CSL _id, OFAC ent_num, ...)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """One party: its newest stored version and the snapshots that hold it."""
    from earcheck.store import Store

    with _errors():
        store = Store()
        history = store.party_history(party_id)
        if not history:
            _fail(f"{party_id}: no party with this id in {store.path}")
        current_ids = {s.id for s in store.current_snapshots()}
        current = [(s, p) for s, p in history if s.id in current_ids]
        snap, party = (current or history)[-1]
        data = {
            "id": party_id,
            "current": bool(current),
            "snapshot_id": snap.id,
            "party": party.to_dict(),
            "snapshots": [
                {"id": s.id, "dataset": s.dataset, "published": s.published,
                 "loaded_at": s.loaded_at, "current": s.id in current_ids}
                for s, _ in history
            ],
        }
        if as_json:
            _echo_json(data)
            return
        from rich.table import Table

        from rich.text import Text

        t = Table(title=Text(f"{party.name} ({party.list_code} {party.id}) — snapshot {snap.id}"
                             f"{'' if current else ', NOT in any current snapshot'}"), show_header=False)
        t.add_column("field", style="bold")
        t.add_column("value")
        for k, v in party.to_dict().items():
            if v in (None, [], {}, ""):
                continue
            if k == "addresses":
                v = "\n".join(a.get("text") or ", ".join(x for x in a.values() if x) for a in v)
            elif k == "links":
                v = "\n".join(f"{x['kind']}: {x['target_name']}" + (f" ({x['target_id']})" if x.get("target_id") else "")
                              for x in v)
            elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                v = "; ".join(v)
            elif not isinstance(v, str):
                v = json.dumps(v, ensure_ascii=False)
            _row(t, k, v)
        console = _console()
        console.print(t)
        console.print("in snapshots: " + ", ".join(
            f"{s['id']}{'*' if s['current'] else ''} ({s['dataset']}, {s['published'] or s['loaded_at']})"
            for s in data["snapshots"]) + "   (* = current)", markup=False)
