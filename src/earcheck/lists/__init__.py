"""Restricted-party list sources: parse the published formats into :class:`~earcheck.models.Party`.

The public surface is :func:`parse`, :func:`detect_format`, :func:`sample_path`,
:class:`ParsedList` and :class:`ListFormatError` (see docs/architecture.md).
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
