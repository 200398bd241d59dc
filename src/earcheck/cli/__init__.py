"""The ``earcheck`` command line: a thin typer layer over the Python API.

Each sub-module registers its own commands; nothing here holds logic, and nothing imports
this package.
"""
from __future__ import annotations

import typer

app = typer.Typer(
    help="earcheck: restricted-party screening and EAR licence determination as of a date.",
    no_args_is_help=True,
    add_completion=False,
)

from . import demo, exposure, license, lists, screen, serve  # noqa: E402

for _mod in (lists, screen, license, serve, exposure, demo):
    _mod.register(app)


def main() -> None:
    app()
