"""``earcheck lists ...`` through typer's CliRunner (and once as a real subprocess).

Real files from ../shared/data; every failure must print one line ``error: <file>: <problem>``,
exit 2, and leave the store exactly as it was.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.lists import parse
from earcheck.store import Store

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, ["lists", *args], env=env, catch_exceptions=False)


def run_json(*args: str):
    r = run(*args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def assert_error(r, *needles: str) -> str:
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert "Traceback" not in r.output
    for n in needles:
        assert n in err, err
    return err


def dump(path: Path) -> str:
    if not path.exists():
        return ""
    conn = Store(path).connect()
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def csl(shared_data) -> Path:
    return shared_data / "csl" / "consolidated_2022-05.csv"


@pytest.fixture(scope="module")
def csl_parsed(csl):
    return parse(csl)


@pytest.fixture(scope="module")
def home(tmp_path_factory, csl):
    """One store with the 2022 CSL loaded through the CLI, shared by the read-only tests."""
    h = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("EARCHECK_HOME", str(h))
    mp.delenv("EARCHECK_DB", raising=False)
    r = run("load", str(csl), "--json")
    assert r.exit_code == 0, r.output
    yield h
    mp.undo()


# -- load / status / show ---------------------------------------------------------------------


def test_load_reports_snapshot_and_is_idempotent(home, csl, csl_parsed):
    again = run_json("load", str(csl))
    res = again["results"][0]
    assert res["created"] is False
    snap = res["snapshot"]
    assert snap["dataset"] == "csl" and snap["format"] == "csl_csv"
    assert snap["total"] == len(csl_parsed.parties)
    assert snap["checksum"] == csl_parsed.checksum
    assert set(snap) == {"id", "dataset", "format", "source", "checksum", "loaded_at", "published",
                         "counts", "total", "warnings"}


def test_status_json(home, csl_parsed):
    st = run_json("status")
    assert list(st) == ["db_path", "version", "snapshots", "total", "counts", "datasets",
                        "shadowing", "superseded"]
    assert st["shadowing"] == [] and st["superseded"] == [] and st["datasets"][0]["shadowed"] == 0
    assert st["db_path"] == str(home / "earcheck.sqlite")
    assert st["total"] == len(csl_parsed.parties)
    expected = {}
    for p in csl_parsed.parties:
        expected[p.list_code] = expected.get(p.list_code, 0) + 1
    assert st["counts"] == dict(sorted(expected.items()))
    assert st["counts"]["EL"] > 1900 and st["counts"]["SDN"] > 10000
    assert st["datasets"][0]["published"] == csl_parsed.published
    assert run_json("status", "--all")["all_snapshots"][0]["id"] == st["datasets"][0]["id"]


def test_status_human(home):
    r = run("status")
    assert r.exit_code == 0
    assert "Entity List (EL)" in r.stdout and "csl_csv" in r.stdout


def test_show_smic_json(home, csl_parsed):
    smic = next(p for p in csl_parsed.parties
                if p.list_code == "EL" and p.name.startswith("Semiconductor Manufacturing International Corporation"))
    out = run_json("show", smic.id)
    assert out["current"] is True and out["id"] == smic.id
    assert out["party"] == smic.to_dict()
    assert "Presumption of denial" in out["party"]["license_policy"]
    assert [s["id"] for s in out["snapshots"]] == [out["snapshot_id"]]
    human = run("show", smic.id)
    assert human.exit_code == 0 and "SMIC" in human.stdout


def test_show_unknown_id(home):
    assert_error(run("show", "no-such-party-id"), "no-such-party-id", "no party")


def test_empty_store_status(earcheck_home):
    r = run("status")
    assert r.exit_code == 0 and "no lists loaded" in r.stdout
    assert run_json("status")["datasets"] == []


# -- bad input: one line, exit 2, store unchanged -----------------------------------------------


@pytest.fixture
def small_store(earcheck_home, shared_data):
    """A store holding the small 2025 CSL sample (fast to load)."""
    r = run("load", str(shared_data / "csl" / "consolidated_sample_2025-06.csv"))
    assert r.exit_code == 0, r.output
    return earcheck_home / "earcheck.sqlite"


def _bad_files(tmp: Path, csl: Path) -> dict[str, Path]:
    raw = csl.read_bytes()
    files = {
        "truncated": raw[: len(raw) // 3],
        "empty": b"",
        "missing_columns": b"name,country\nACME,CN\n",
        "binary": bytes(range(256)) * 50,
        "unknown": b"hello world\nthis is not a list\n",
    }
    out = {}
    for name, data in files.items():
        p = tmp / f"{name}.csv"
        p.write_bytes(data)
        out[name] = p
    return out


def test_bad_files_leave_store_unchanged(small_store, tmp_path, csl):
    before = dump(small_store)
    for name, path in _bad_files(tmp_path, csl).items():
        err = assert_error(run("load", str(path)), str(path))
        assert dump(small_store) == before, name
        if name == "truncated":
            assert "truncated" in err


def test_nonexistent_path(small_store, tmp_path):
    before = dump(small_store)
    assert_error(run("load", str(tmp_path / "nope.csv")), "nope.csv", "no such file")
    assert dump(small_store) == before


def test_one_bad_file_among_several_stores_nothing(small_store, tmp_path, shared_data, csl):
    before = dump(small_store)
    good = shared_data / "csl" / "csl_sample_2019-12.csv"
    bad = _bad_files(tmp_path, csl)["truncated"]
    assert_error(run("load", str(good), str(bad)), str(bad))
    assert dump(small_store) == before


def test_unknown_forced_format(small_store, csl):
    before = dump(small_store)
    assert_error(run("load", str(csl), "--format", "nonsense"))
    assert dump(small_store) == before


def test_corrupt_db_file(tmp_path, monkeypatch, shared_data):
    db = tmp_path / "corrupt.sqlite"
    db.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("EARCHECK_DB", str(db))
    for args in (["status"], ["load", str(shared_data / "csl" / "consolidated_sample_2025-06.csv")]):
        assert_error(run(*args), str(db), "not a valid SQLite store")
    assert db.read_bytes() == b"garbage" * 1000


def test_show_party_no_longer_listed(small_store, shared_data):
    """Load 2019 then 2025: a party only in 2019 is shown from the old snapshot, not current."""
    store = Store(small_store)
    old = parse(shared_data / "csl" / "csl_sample_2019-12.csv")
    r = run("load", str(shared_data / "csl" / "csl_sample_2019-12.csv"),
            str(shared_data / "csl" / "consolidated_sample_2025-06.csv"), "--force")
    assert r.exit_code == 0, r.output
    current_ids = {p.id for p in store.parties()}
    gone = next(p for p in old.parties if p.id not in current_ids)
    out = run_json("show", gone.id)
    assert out["current"] is False and out["party"]["name"] == gone.name
    assert all(not s["current"] for s in out["snapshots"])


def test_diff_unknown_snapshot(small_store):
    assert_error(run("diff", "1", "42"), "no snapshot 42")


# -- diff -----------------------------------------------------------------------------------------


def test_diff_snapshot_against_file(small_store, shared_data):
    """2025 sample (stored, snapshot 1) vs the 2019 sample in the older layout (a file)."""
    old = shared_data / "csl" / "csl_sample_2019-12.csv"
    out = run_json("diff", str(old), "1")
    a, b = parse(old), Store().parties([1])
    ids_a, ids_b = {p.id for p in a.parties}, {p.id for p in b}
    assert {p["id"] for p in out["added"]} == ids_b - ids_a
    assert {p["id"] for p in out["removed"]} == ids_a - ids_b
    c = out["counts"]
    assert c["changed"] + c["unchanged"] == len(ids_a & ids_b)
    assert out["old"]["kind"] == "file" and out["new"]["kind"] == "snapshot"
    human = run("diff", str(old), "1")
    assert human.exit_code == 0 and "added" in human.stdout


# -- update against a local HTTP server ---------------------------------------------------------


class _Truncating(SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/rows/"):  # the first 2000 complete rows: a valid, shorter CSV
            lines = (Path(self.directory) / self.path.split("/")[-1]).read_bytes().splitlines(True)
            data = b"".join(lines[:2001])
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if self.path.startswith("/lying/"):  # promises the whole file, sends a third, hangs up
            data = (Path(self.directory) / self.path.split("/")[-1]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 3])
            self.close_connection = True
            return
        if self.path.startswith("/short/"):  # honest Content-Length, first third of the file
            data = (Path(self.directory) / self.path.split("/")[-1]).read_bytes()
            data = data[: len(data) // 3]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def http_csl(shared_data):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                partial(_Truncating, directory=str(shared_data / "csl")))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_update_from_local_server(earcheck_home, http_csl, monkeypatch, csl_parsed):
    monkeypatch.setenv("EARCHECK_CSL_URL", f"{http_csl}/consolidated_2022-05.csv")
    db = earcheck_home / "earcheck.sqlite"
    out = run_json("update", "--sha256", csl_parsed.checksum)
    assert out["results"][0]["created"] is True
    assert out["results"][0]["snapshot"]["total"] == len(csl_parsed.parties)
    assert out["results"][0]["snapshot"]["source"] == f"{http_csl}/consolidated_2022-05.csv"
    before = dump(db)
    bad = [
        (["--url", f"{http_csl}/short/consolidated_2022-05.csv"], "truncated"),
        (["--url", f"{http_csl}/lying/consolidated_2022-05.csv", "--retries", "0"], "truncated"),
        (["--sha256", "0" * 64], "checksum mismatch"),
        (["--url", f"{http_csl}/missing.csv"], "HTTP 404"),
    ]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bad.append((["--url", f"http://127.0.0.1:{port}/consolidated.csv", "--retries", "0"], "cannot connect"))
    bad.append((["--url", f"{http_csl}/rows/consolidated_2022-05.csv"], "suspiciously small"))
    for args, needle in bad:
        assert_error(run("update", *args), needle)
        assert dump(db) == before, args
    forced = run_json("update", "--url", f"{http_csl}/rows/consolidated_2022-05.csv", "--force")
    assert forced["results"][0]["created"] and forced["results"][0]["snapshot"]["total"] < 2001
    assert not [p for p in (earcheck_home / "downloads").iterdir() if p.name.startswith(".part")]


# -- real subprocess ------------------------------------------------------------------------------


def test_real_subprocess(tmp_path, shared_data):
    exe = ROOT / ".venv" / "bin" / "earcheck"
    if not exe.exists():
        exe = Path(sys.executable).parent / "earcheck"
    env = {**os.environ, "EARCHECK_HOME": str(tmp_path)}
    env.pop("EARCHECK_DB", None)
    sample = shared_data / "csl" / "consolidated_sample_2025-06.csv"
    ok = subprocess.run([str(exe), "lists", "load", str(sample), "--json"], env=env,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["results"][0]["created"] is True
    st = subprocess.run([str(exe), "lists", "status", "--json"], env=env, capture_output=True,
                        text=True, timeout=120)
    assert json.loads(st.stdout)["datasets"][0]["source"] == str(sample)
    bad = subprocess.run([str(exe), "lists", "load", str(tmp_path / "missing.csv")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == f"error: {tmp_path / 'missing.csv'}: no such file or directory"


# -- loads that would replace the current list by a much smaller or older one -------------------


def test_load_refuses_small_list_over_full_csl(home, shared_data):
    """QA repro: the 13-row 2025 sample loaded over the full CSL used to become the current
    list, so ``earcheck screen SMIC`` said CLEAR."""
    db = home / "earcheck.sqlite"
    before = dump(db)
    for name in ("consolidated_sample_2025-06.csv", "csl_sample_2019-12.csv"):
        err = assert_error(run("load", str(shared_data / "csl" / name)),
                           name, "suspiciously small list", "14073", "--force")
        assert dump(db) == before, err
    assert any(p.name.startswith("Semiconductor Manufacturing International")
               for p in Store(db).parties())


def test_load_refuses_older_publication_then_force(small_store, shared_data):
    older = shared_data / "csl" / "csl_sample_2019-12.csv"
    before = dump(small_store)
    assert_error(run("load", str(older)), "older list: published 2019-08-13", "2023-07-19", "--force")
    assert dump(small_store) == before
    forced = run_json("load", str(older), "--force")
    assert forced["results"][0]["created"]
    assert forced["results"][0]["snapshot"]["published"] == "2019-08-13"


def test_load_refuses_older_ofac_trio_after_2024_sdn(earcheck_home, shared_data):
    sdn = shared_data / "ofac_sdn"
    assert run("load", str(sdn / "2024-05-03" / "sdn.csv")).exit_code == 0
    db = earcheck_home / "earcheck.sqlite"
    before = dump(db)
    trio = [str(sdn / "2022-01-31" / f) for f in ("sdn.csv", "add.csv", "alt.csv")]
    assert_error(run("load", "--together", *trio), "older list", "newest entry id", "--force")
    assert dump(db) == before


def test_readme_flow_sample_then_csl_screens_each_entry_once(earcheck_home, csl):
    """QA repro: ``earcheck demo`` (the shipped sample) then ``lists load`` of the 2022 CSL made
    ``earcheck screen SMIC`` list every entry twice (sample and CSL both current)."""
    from earcheck.lists import sample_path

    assert run("load", str(sample_path())).exit_code == 0
    assert run("load", str(csl)).exit_code == 0
    st = run_json("status")
    assert [d["dataset"] for d in st["datasets"]] == ["csl"]
    assert st["superseded"][0]["dataset"] == "sample"
    assert "dataset sample (snapshot 1) is stored but not current" in " ".join(run("status").stdout.split())
    r = runner.invoke(app, ["screen", "SMIC", "--json"], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    hits = json.loads(r.stdout)["hits"]
    keys = [(h["list"], h["id"]) for h in hits]
    assert any(h["list"] == "EL" for h in hits) and len(keys) == len(set(keys)), keys
