"""The README's first command ends in ``earcheck demo``: it must work offline on an empty home."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EARCHECK = Path(sys.executable).with_name("earcheck")


def run_demo(home: Path) -> subprocess.CompletedProcess:
    env = {"EARCHECK_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([str(EARCHECK), "demo"], capture_output=True, text=True, env=env, timeout=300)


def test_demo_runs_on_empty_home_and_is_idempotent(tmp_path):
    home = tmp_path / "home"
    first = run_demo(home)
    assert first.returncode == 0, first.stderr
    assert "Sample list loaded" in first.stdout
    # SMIC found, the unlisted name clear, the licence check names the Entity List rule.
    lines = {line.split("│")[1].strip(): line for line in first.stdout.splitlines()
             if line.startswith("│") and line.split("│")[1].strip()}
    assert " match " in lines["SMIC"]
    assert " clear " in lines["Acme Widgets Inc"]
    assert "license_required" in first.stdout
    assert "744.11" in first.stdout
    assert (home / "earcheck.sqlite").exists()

    second = run_demo(home)
    assert second.returncode == 0, second.stderr
    assert "Sample list already loaded" in second.stdout
