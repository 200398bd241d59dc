"""``earcheck serve`` as a real process: a fresh install serves the shipped sample list."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from service_fixtures import free_port

EARCHECK = str(Path(sys.executable).with_name("earcheck"))


def test_fresh_install_serves_sample_list(tmp_path):
    port = free_port()
    env = dict(os.environ, EARCHECK_HOME=str(tmp_path))
    env.pop("EARCHECK_DB", None)
    env.pop("EARCHECK_API_KEYS", None)
    proc = subprocess.Popen([EARCHECK, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, "server not ready in 60 s"
            time.sleep(0.1)
        out = httpx.post(base + "/screen", json={"name": "SMIC", "country": "CN"}).json()
        assert out["decision"] == "match" and out["case_id"]
        assert any("SEMICONDUCTOR MANUFACTURING INTERNATIONAL" in h["name"].upper() for h in out["hits"])
        assert "<h1>Screen a party</h1>" in httpx.get(base + "/").text
        assert httpx.get(base + "/openapi.json").json()["info"]["title"] == "earcheck"
    finally:
        proc.terminate()
        proc.wait(10)


def test_bad_api_keys_setting_is_one_line_error(tmp_path):
    env = dict(os.environ, EARCHECK_HOME=str(tmp_path), EARCHECK_API_KEYS="k1:superuser")
    res = subprocess.run([EARCHECK, "serve", "--port", str(free_port())], env=env,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().startswith("error: EARCHECK_API_KEYS") and "Traceback" not in res.stderr
