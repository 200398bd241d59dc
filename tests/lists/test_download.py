"""lists.download.fetch and Store.load(URL) against a local HTTP server on 127.0.0.1.

Failure cases (truncated body with an honest short Content-Length, with a lying Content-Length,
wrong checksum, 404, unreachable port) must each leave the store exactly as it was.
"""
from __future__ import annotations

import hashlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from earcheck.lists import ListFormatError
from earcheck.lists.download import DownloadError, fetch
from earcheck.store import Store

PAYLOAD = b"".join(b"line %d of a small list file\n" % i for i in range(5000))


class Server:
    """Serves named byte strings with a few misbehaviours (see ``Handler.do_GET``)."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output quiet
                pass

            def do_GET(self):  # noqa: N802
                name = self.path.lstrip("/").split("?")[0]
                server.hits[name] = server.hits.get(name, 0) + 1
                kind, _, fname = name.partition("/")
                if kind == "flaky" and server.hits[name] <= 2:
                    return self._send(503, b"busy")
                if kind == "slow":
                    time.sleep(1.0)
                body = server.files.get(fname)
                if body is None:
                    return self._send(404, b"not found")
                if kind == "lying":  # promise the whole file, send half, hang up
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if kind == "short":  # honest headers, but only the first half of the file
                    body = body[: len(body) // 2]
                self._send(200, body)

            def _send(self, code, body):
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, kind: str, name: str) -> str:
        return f"{self.base}/{kind}/{name}"


@pytest.fixture(scope="module")
def server(shared_data):
    csl = (shared_data / "csl" / "consolidated_2022-05.csv").read_bytes()
    sample = (shared_data / "csl" / "consolidated_sample_2025-06.csv").read_bytes()
    s = Server({"small.txt": PAYLOAD, "consolidated.csv": csl, "sample.csv": sample})
    yield s
    s.httpd.shutdown()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- fetch --------------------------------------------------------------------------------------


def test_fetch_ok_with_checksum(server, tmp_path):
    p = fetch(server.url("ok", "small.txt"), tmp_path, expected_sha256=hashlib.sha256(PAYLOAD).hexdigest())
    assert p == tmp_path / "small.txt" and p.read_bytes() == PAYLOAD
    assert [x.name for x in tmp_path.iterdir()] == ["small.txt"]  # no temp files left


def test_fetch_retries_5xx_then_succeeds(server, tmp_path):
    p = fetch(server.url("flaky", "small.txt"), tmp_path, retries=3, backoff=0.01)
    assert p.read_bytes() == PAYLOAD
    assert server.hits["flaky/small.txt"] == 3


def _assert_fails(url, tmp_path, match, **kw):
    dest = tmp_path / Path(url).name
    dest.write_bytes(b"previous good download")
    with pytest.raises(DownloadError, match=match) as e:
        fetch(url, tmp_path, retries=kw.pop("retries", 1), backoff=0.01, **kw)
    msg = str(e.value)
    assert msg.startswith(url) and "\n" not in msg
    assert dest.read_bytes() == b"previous good download"  # atomic: old file untouched
    assert sorted(x.name for x in tmp_path.iterdir()) == [dest.name]
    return msg


def test_fetch_lying_content_length_is_truncation(server, tmp_path):
    msg = _assert_fails(server.url("lying", "small.txt"), tmp_path, "truncated")
    assert "after 2 attempts" in msg


def test_fetch_wrong_checksum(server, tmp_path):
    _assert_fails(server.url("ok", "small.txt"), tmp_path, "checksum mismatch", expected_sha256="0" * 64)


def test_fetch_404_is_not_retried(server, tmp_path):
    _assert_fails(server.url("ok", "missing.txt"), tmp_path, "HTTP 404", retries=3)
    assert server.hits["ok/missing.txt"] == 1


def test_fetch_unreachable_port(tmp_path):
    _assert_fails(f"http://127.0.0.1:{free_port()}/x.csv", tmp_path, "cannot connect")


def test_fetch_timeout(server, tmp_path):
    _assert_fails(server.url("slow", "small.txt"), tmp_path, "timed out", timeout=0.2, retries=0)


# -- Store.load(URL): the store is unchanged by every failure -------------------------------------


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory, shared_data, server):
    """A store that already holds a list (so 'unchanged' is not trivially empty)."""
    home = tmp_path_factory.mktemp("home")
    store = Store(home / "s.sqlite")
    store.load(shared_data / "csl" / "consolidated_sample_2025-06.csv")
    return store


def _state(store: Store):
    return [(s.id, s.checksum, s.total) for s in store.snapshots()], len(store.parties())


@pytest.mark.parametrize(
    "kind,kw,match",
    [
        ("short", {}, "truncated"),  # honest short Content-Length: the parser catches it
        ("lying", {}, "truncated"),
        ("ok", {"expected_sha256": "ab" * 32}, "checksum mismatch"),
        ("ok-missing", {}, "HTTP 404"),
    ],
)
def test_failed_url_load_leaves_store_unchanged(loaded_store, server, monkeypatch, tmp_path,
                                                kind, match, kw):
    monkeypatch.setenv("EARCHECK_HOME", str(tmp_path))
    before = _state(loaded_store)
    (tmp_path / "downloads").mkdir()
    previous = tmp_path / "downloads" / "consolidated.csv"
    previous.write_bytes(b"previous good download")
    url = server.url("ok", "nothing.csv") if kind == "ok-missing" else server.url(kind, "consolidated.csv")
    with pytest.raises(ListFormatError, match=match):
        loaded_store.load(url, retries=1, **kw)
    assert _state(loaded_store) == before
    # the previous download is kept and no staging files are left behind
    assert previous.read_bytes() == b"previous good download"
    assert [p.name for p in (tmp_path / "downloads").iterdir()] == ["consolidated.csv"]


def test_unreachable_url_load_leaves_store_unchanged(loaded_store, monkeypatch, tmp_path):
    monkeypatch.setenv("EARCHECK_HOME", str(tmp_path))
    before = _state(loaded_store)
    with pytest.raises(DownloadError, match="cannot connect"):
        loaded_store.load(f"http://127.0.0.1:{free_port()}/consolidated.csv", retries=0)
    assert _state(loaded_store) == before


def test_url_load_then_reload_is_idempotent(server, tmp_path, monkeypatch):
    monkeypatch.setenv("EARCHECK_HOME", str(tmp_path))
    store = Store(tmp_path / "u.sqlite")
    url = server.url("ok", "sample.csv")  # the full CSL over HTTP: tests/cli/test_lists_cli.py
    first = store.load(url)
    assert first.created and first.snapshot.source == url and first.snapshot.dataset == "csl"
    assert (tmp_path / "downloads" / "sample.csv").exists()
    again = store.load(url)
    assert not again.created and len(store.snapshots()) == 1
