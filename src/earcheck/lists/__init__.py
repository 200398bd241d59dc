"""Restricted-party list sources: parse the published formats into :class:`~earcheck.models.Party`.

The public surface is :func:`parse`, :func:`detect_format`, :func:`sample_path`,
:class:`ParsedList` and :class:`ListFormatError` (see docs/architecture.md).

=================  =========  ==============================================================
format             dataset    what (module)
=================  =========  ==============================================================
``csl_csv``        csl        trade.gov Consolidated Screening List CSV, 29 or 28 columns (csl)
``csl_json``       csl        the same list as JSON, API ``{"results": [...]}`` or a list (csl)
``compact_json``   csl        compact 2026 re-encoding ``screening-list.json`` (compact)
``ofac_sdn_csv``   ofac_sdn   OFAC ``sdn.csv`` alone, aliases from Remarks (ofac)
``ofac_sdn_trio``  ofac_sdn   ``sdn.csv`` + ``add.csv`` + ``alt.csv`` (a directory or 3 paths)
``ftm_jsonl``      opensanctions  FollowTheMoney entities, one per line (ftm)
``sample_json``    sample     the shipped sample ``data/sample.json`` (sample)
=================  =========  ==============================================================

Formats are detected from content, never from the file name (:mod:`.detect`). Shared cleaning
(whitespace, mis-encoded characters, ``; ``-joined cells, addresses, dates) is in
:mod:`.common`; affiliate names and links in :mod:`.affiliates`; party kinds in :mod:`.kinds`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from earcheck.models import Party


class ListFormatError(ValueError):
    """A list file that cannot be read. The message is one line: ``<file>: <problem>``."""


@dataclass
class ParsedList:
    """The result of parsing one list publication (one file, or a set such as the OFAC trio)."""

    dataset: str  # "csl", "ofac_sdn", "opensanctions", "sample", ...
    format: str  # "csl_csv", "csl_json", "ofac_sdn_csv", "ofac_sdn_trio", "ftm_jsonl", "compact_json", "sample_json"
    source: str
    checksum: str  # sha256 hex of the raw bytes
    published: str | None = None
    parties: list[Party] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


#: Format name -> dataset family (snapshots of one family replace each other in the store).
DATASETS: dict[str, str] = {
    "csl_csv": "csl",
    "csl_json": "csl",
    "compact_json": "csl",
    "ofac_sdn_csv": "ofac_sdn",
    "ofac_sdn_trio": "ofac_sdn",
    "ftm_jsonl": "opensanctions",
    "sample_json": "sample",
}
FORMATS = tuple(DATASETS)


def detect_format(path) -> str:
    """The format of a list file (or OFAC trio directory / list of files), from its content.

    Raises :class:`ListFormatError` for an unknown format, a missing file or binary junk.
    """
    from earcheck.lists.detect import detect_format as _detect

    return _detect(path)


def parse(source, fmt: str | None = None) -> ParsedList:
    """Parse a list publication into a :class:`ParsedList` (format detected unless ``fmt``).

    ``source`` is a path, a directory holding OFAC ``sdn.csv``/``add.csv``/``alt.csv``, or a list
    of paths (the OFAC trio). Every problem raises :class:`ListFormatError` ("<file>: <problem>").
    """
    from earcheck.lists.detect import parse as _parse

    return _parse(source, fmt)


def sample_path():
    """Path of the shipped sample list (real entries typed from the public record)."""
    from earcheck.lists.sample import sample_path as _sample_path

    return _sample_path()


__all__ = ["DATASETS", "FORMATS", "ListFormatError", "ParsedList", "detect_format", "parse", "sample_path"]
