"""``earcheck serve``: the HTTP API and web workspace (FastAPI on uvicorn)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach ``serve``."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on"),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port"),
        db: str = typer.Option(None, "--db", help="SQLite store (default: $EARCHECK_DB or the data dir)"),
    ) -> None:
        """Serve the API (OpenAPI at /docs) and the web workspace at http://HOST:PORT/."""
        import uvicorn

        from earcheck.api import ApiSettings, create_app

        try:
            settings = ApiSettings.from_env()
        except ValueError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None
        if db:
            from pathlib import Path
            settings.db_path = Path(db)
        try:
            application = create_app(settings)
        except Exception as e:  # a store or list problem: one line, no traceback
            msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            typer.echo(f"error: {msg}", err=True)
            raise typer.Exit(2) from None
        if not settings.api_keys:
            typer.echo("note: no EARCHECK_API_KEYS set: write routes are open to this machine only",
                       err=True)
        typer.echo(f"earcheck serving on http://{host}:{port}/ (API docs at /docs)", err=True)
        # keep-alive longer than clients' own idle expiry (httpx: 5 s) so a reused connection
        # is never closed under a request in flight
        uvicorn.run(application, host=host, port=port, log_level="warning", timeout_keep_alive=65)

    @app.command("audit-export")
    def audit_export(
        output: str = typer.Option("-", "--output", "-o", help="CSV file to write ('-' for stdout)"),
        db: str = typer.Option(None, "--db", help="SQLite store (default: $EARCHECK_DB or the data dir)"),
    ) -> None:
        """Export the whole audit trail (screenings, decisions, list updates) as CSV."""
        import sys
        from pathlib import Path

        from earcheck.review import Review
        from earcheck.store import Store

        try:
            store = Store(Path(db) if db else None)
            chunks = Review(store.connect).audit_csv()
            if output == "-":
                for chunk in chunks:
                    sys.stdout.write(chunk)
            else:
                with open(output, "w", encoding="utf-8", newline="") as f:
                    for chunk in chunks:
                        f.write(chunk)
        except (OSError, RuntimeError) as e:
            msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            typer.echo(f"error: {msg}", err=True)
            raise typer.Exit(2) from None
