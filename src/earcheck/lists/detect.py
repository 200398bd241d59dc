"""Format detection from content (never from the extension) and the :func:`parse` dispatcher."""
from __future__ import annotations

import json
import re
from pathlib import Path

from earcheck.lists import DATASETS, ListFormatError, ParsedList
from earcheck.lists.common import decode, fail, read_bytes, sha256

_OFAC_ROW = re.compile(r'^\s*-?\d+\s*,')
TRIO_NAMES = ("sdn.csv", "add.csv", "alt.csv")


def _as_paths(source) -> list[Path] | None:
    """A list of paths for list/tuple sources and trio directories; ``None`` for one file."""
    if isinstance(source, (list, tuple)):
        if not source:
            raise ListFormatError("<no files>: empty list of files")
        paths = [Path(p) for p in source]
        return paths if len(paths) > 1 else None
    p = Path(source)
    if p.is_dir():
        found = {c.name.lower(): c for c in p.iterdir() if c.is_file()}
        if "sdn.csv" not in found:
            raise fail(p, "directory without an OFAC sdn.csv")
        return [found[n] for n in TRIO_NAMES if n in found]
    return None


def _single(source) -> Path:
    if isinstance(source, (list, tuple)):
        return Path(source[0])
    s = str(source)
    if s.startswith(("http://", "https://")):
        raise fail(s, "a URL, not a local file (download it first, e.g. with `earcheck lists load URL`)")
    return Path(source)


def sniff(head: str, source: object) -> str:
    """Format of a decoded file from its first characters."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text:
        raise fail(source, "empty file")
    if text[0] in "{[":
        first_line = text.split("\n", 1)[0]
        if text[0] == "{" and '"schema"' in first_line and '"properties"' in first_line \
                and '"fieldKey"' not in first_line and '"parties"' not in first_line:
            return "ftm_jsonl"  # one FtM entity per line (a line may exceed the sniffed head)
        window = text[:65536]
        if '"earcheck_sample"' in window or '"sample_json"' in window:
            return "sample_json"
        if '"fieldKey"' in window and '"entries"' in window or '"fieldKey"' in window and '"tables"' in window:
            return "compact_json"
        if '"source"' in window and '"name"' in window:
            return "csl_json"
        raise fail(source, "unknown JSON list format (not CSL JSON, FtM JSON lines, compact or sample)")
    first = text.split("\n", 1)[0].rstrip("\r")
    from earcheck.lists.csl import looks_like_csl_header

    if looks_like_csl_header(first):
        return "csl_csv"
    if _OFAC_ROW.match(first):
        from earcheck.lists.ofac import sniff_ofac

        kind = sniff_ofac(first)
        if kind == "sdn":
            return "ofac_sdn_csv"
        if kind in ("add", "alt"):
            raise fail(source, f"an OFAC {kind}.csv: load it together with sdn.csv (a directory or all three files)")
    if "," in first and "name" in first.lower():
        raise fail(source, "CSV without the required CSL columns (name, source)")
    raise fail(source, "unknown list format")


def detect_format(source) -> str:
    paths = _as_paths(source)
    if paths is not None:
        names = {p.name.lower() for p in paths}
        if "sdn.csv" not in names:
            raise fail("; ".join(map(str, paths)), "several files given but no OFAC sdn.csv among them")
        return "ofac_sdn_trio" if names & {"add.csv", "alt.csv"} else "ofac_sdn_csv"
    path = _single(source)
    raw = read_bytes(path, limit=65537)
    text, _ = decode(raw[:65536], path, partial=len(raw) > 65536)
    return sniff(text, path)


def parse(source, fmt: str | None = None) -> ParsedList:
    if fmt is not None and fmt not in DATASETS:
        raise ListFormatError(f"{source}: unknown format {fmt!r} (known: {', '.join(DATASETS)})")
    paths = _as_paths(source)
    if paths is not None:
        return _parse_many(paths, fmt)
    path = _single(source)
    raw = read_bytes(path)
    text, warnings = decode(raw, path)
    fmt = fmt or sniff(text[:65536], path)
    if fmt == "ofac_sdn_trio":
        return _parse_many([path], fmt)
    try:
        parties, more, published = _parse_text(fmt, text, path)
    except ListFormatError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        # a safety net: content that the format parser did not expect is still a format error
        raise fail(path, f"unexpected content for {fmt} ({type(exc).__name__}: {exc})") from None
    if not parties:
        raise fail(path, "no parties found")
    label = "; ".join(map(str, source)) if isinstance(source, (list, tuple)) else str(source)
    return ParsedList(dataset=DATASETS[fmt], format=fmt, source=label, checksum=sha256(raw),
                      published=published, parties=parties, warnings=warnings + more)


def _parse_text(fmt: str, text: str, path: Path):
    """``(parties, warnings, published)`` of one decoded file in format ``fmt``."""
    published = None
    if fmt == "csl_csv":
        from earcheck.lists.csl import parse_csv_text, published_from

        parties, more = parse_csv_text(text, path)
        published = published_from(parties)
    elif fmt == "csl_json":
        from earcheck.lists.csl import build_parties, json_rows, published_from

        more = []
        parties = build_parties(json_rows(_load_json(text, path), path), path, more)
        published = published_from(parties)
    elif fmt == "ofac_sdn_csv":
        from earcheck.lists.ofac import parse_sdn

        parties, more = parse_sdn({"sdn.csv": (path, text)})
    elif fmt == "ftm_jsonl":
        from earcheck.lists.ftm import parse_ftm

        parties, more, published = parse_ftm(text, path)
    elif fmt == "compact_json":
        from earcheck.lists.compact import parse_compact

        parties, more, published = parse_compact(_load_json(text, path), path)
    elif fmt == "sample_json":
        from earcheck.lists.sample import parse_sample

        parties, more, published = parse_sample(_load_json(text, path), path)
    else:  # pragma: no cover - guarded above
        raise fail(path, f"unknown format {fmt!r}")
    return parties, more, published


def _load_json(text: str, path: object):
    try:
        return json.loads(text)
    except RecursionError:
        raise fail(path, "invalid JSON (nested too deeply)") from None
    except ValueError as exc:
        raise fail(path, f"invalid or truncated JSON ({exc})") from None


def _parse_many(paths: list[Path], fmt: str | None) -> ParsedList:
    from earcheck.lists.ofac import parse_sdn

    label = "; ".join(str(p) for p in paths)
    if fmt not in (None, "ofac_sdn_trio", "ofac_sdn_csv"):
        raise fail(label, f"several files can only be an OFAC trio, not {fmt}")
    files: dict[str, tuple[Path, str]] = {}
    raws: list[tuple[str, bytes]] = []
    warnings: list[str] = []
    names = [p.name.lower() for p in paths]
    for p, key in zip(paths, names):
        if key not in TRIO_NAMES:
            raise fail(p, "not part of an OFAC trio (expected sdn.csv, add.csv, alt.csv)")
        if names.count(key) > 1:
            raise fail(p, f"{key} given twice")
    for p in paths:
        key = p.name.lower()
        raw = read_bytes(p)
        text, w = decode(raw, p)
        warnings += w
        files[key] = (p, text)
        raws.append((p.name, raw))
    if "sdn.csv" not in files:
        raise fail(label, "no OFAC sdn.csv among the files")
    try:
        parties, more = parse_sdn(files)
    except ListFormatError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise fail(label, f"unexpected content ({type(exc).__name__}: {exc})") from None
    if not parties:
        raise fail(label, "no parties found")
    raws.sort(key=lambda t: t[0])
    fmt = "ofac_sdn_trio" if len(files) > 1 else "ofac_sdn_csv"
    return ParsedList(dataset="ofac_sdn", format=fmt, source=label,
                      checksum=sha256(*(r for _, r in raws)), published=None,
                      parties=parties, warnings=warnings + more)
