"""Download a list file safely: stream to a temp file, retry, verify, then rename into place.

:func:`fetch` never leaves a partial file under the destination name: the body is streamed to a
temporary file in the same directory, its length is checked against ``Content-Length`` (a
truncated transfer is an error), its sha256 against ``expected_sha256`` when given, and only then
is it renamed over the destination (``os.replace`` is atomic). Connection errors, timeouts,
truncated bodies and HTTP 5xx are retried with exponential backoff; other HTTP errors are not.
The store then loads the file only if it parses.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from . import ListFormatError

USER_AGENT = "earcheck (restricted-party list updater; +https://github.com/)"


class DownloadError(ListFormatError):
    """A download that failed. The message is one line: ``<url>: <problem>``."""


class _Retryable(Exception):
    """Internal: a failure worth another attempt."""


def filename_for(url: str) -> str:
    """Local file name for a URL: the last path segment, or ``download``."""
    name = Path(unquote(urlparse(url).path)).name
    return name or "download"


def fetch(
    url: str,
    dest_dir: str | Path,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    expected_sha256: str | None = None,
    backoff: float = 1.0,
    filename: str | None = None,
) -> Path:
    """Download ``url`` into ``dest_dir`` and return the final path.

    ``retries`` is the number of extra attempts after the first; the wait before attempt *n* is
    ``backoff * 2**(n-1)`` seconds. Raises :class:`DownloadError` on any failure, leaving any
    existing file at the destination untouched.
    """
    dest_dir = Path(dest_dir)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"{url}: cannot create {dest_dir} ({e.strerror or e})") from None
    dest = dest_dir / (filename or filename_for(url))
    expected = expected_sha256.strip().lower() if expected_sha256 else None
    last: str = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            tmp, digest = _download_once(url, dest_dir, timeout)
        except _Retryable as e:
            last = str(e)
            continue
        if expected and digest != expected:
            os.unlink(tmp)
            raise DownloadError(f"{url}: checksum mismatch (expected sha256 {expected}, got {digest})")
        os.replace(tmp, dest)
        return dest
    tries = f" after {retries + 1} attempts" if retries else ""
    raise DownloadError(f"{url}: {last}{tries}")


def _download_once(url: str, dest_dir: Path, timeout: float) -> tuple[str, str]:
    """One attempt: returns (temp file path, sha256 hex) or raises."""
    fd, tmp = tempfile.mkstemp(prefix=".part-", dir=dest_dir)
    ok = False
    try:
        sha = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        ) as client:
            with client.stream("GET", url) as r:
                if r.status_code >= 500:
                    raise _Retryable(f"HTTP {r.status_code} {r.reason_phrase}".strip())
                if r.status_code >= 400:
                    raise DownloadError(f"{url}: HTTP {r.status_code} {r.reason_phrase}".strip())
                declared = r.headers.get("content-length")
                for chunk in r.iter_bytes(1 << 16):
                    out.write(chunk)
                    sha.update(chunk)
                raw = r.num_bytes_downloaded
            if declared is not None and declared.isdigit() and raw != int(declared):
                raise _Retryable(f"truncated download: got {raw} of {declared} bytes")
            if raw == 0:
                raise _Retryable("empty response body")
        ok = True
        return tmp, sha.hexdigest()
    except httpx.TimeoutException as e:
        raise _Retryable(f"timed out after {timeout:g}s ({type(e).__name__})") from None
    except httpx.RemoteProtocolError as e:
        raise _Retryable(f"truncated download: connection closed early ({e})") from None
    except httpx.TransportError as e:
        raise _Retryable(f"cannot connect ({type(e).__name__}: {e})") from None
    except httpx.InvalidURL as e:
        raise DownloadError(f"{url}: invalid URL ({e})") from None
    except OSError as e:
        raise DownloadError(f"{url}: cannot write to {dest_dir} ({e.strerror or e})") from None
    finally:
        if not ok:
            try:
                os.unlink(tmp)
            except OSError:
                pass
