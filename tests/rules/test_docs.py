"""docs/rules.md stays honest: the generated reference is current, the examples are real."""
from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.rules import STEPS, load_all
from earcheck.rules.reference import reference_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_generated_reference_is_current():
    assert reference_markdown() in DOC.read_text(encoding="utf-8"), \
        "run: python -m earcheck.rules.reference --write docs/rules.md"


def test_every_step_and_table_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for step in STEPS:
        assert f"`{step.__name__}`" in text
    for name in load_all():
        assert f"`{name}`" in text


def test_documented_examples_match_the_cli(case_home, store_screener, monkeypatch):
    """Each ``$ earcheck license check ...`` block in the docs: the decision and every
    requirement citation shown are what the CLI answers today."""
    monkeypatch.setenv("EARCHECK_HOME", str(case_home))
    try:
        from earcheck.screening import Screener
    except ImportError:
        pass
    else:  # reuse the session's screener over the same store (building one takes seconds)
        monkeypatch.setattr(Screener, "from_store", classmethod(lambda cls, store, as_of=None: store_screener))
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ earcheck license check (.*?)\n(Decision: .*?)\n```", text, flags=re.S)
    assert len(blocks) >= 2
    runner = CliRunner()
    for cmd, shown in blocks:
        args = re.findall(r'"[^"]*"|\S+', cmd.replace("\\\n", " "))
        args = [a.strip('"') for a in args]
        r = runner.invoke(app, ["license", "check", *args, "--json"])
        assert r.exit_code == 0, r.output
        res = json.loads(r.stdout)
        assert shown.splitlines()[0].startswith(
            f"Decision: {res['decision'].upper().replace('_', ' ')}"), (cmd, res["decision"])
        for req in res["requirements"]:
            assert f"citation: {req['citation']}" in shown, (cmd, req["citation"])
