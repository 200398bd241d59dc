"""Sourced enrichment aliases: the Chinese names of listed organisations (data/zh_names.yaml).

The official lists hold almost no Han-script names, and no glossary turns 中芯国际 into
"Semiconductor Manufacturing International". This table of public facts (each entry with its
source) supplies them: the index adds each Chinese name as an extra alias of the parties whose
name matches the entry, and :func:`expand_variants` lets a Han-script query meet the English
name directly in :func:`earcheck.screening.compare`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .normalize import clean, normalize


@dataclass(frozen=True)
class ZhName:
    """One enrichment entry: listed English name, Chinese name, public source."""

    name: str
    zh: str
    source: str


def _zh_key(text: str) -> str:
    return "".join(clean(text).split())


@lru_cache(maxsize=1)
def zh_names() -> tuple[ZhName, ...]:
    """All entries of data/zh_names.yaml (every entry must give name, zh and source)."""
    text = resources.files("earcheck.screening").joinpath("data/zh_names.yaml").read_text("utf-8")
    out = []
    for i, e in enumerate(yaml.safe_load(text)["entries"]):
        if not (e.get("name") and e.get("zh") and e.get("source")):
            raise ValueError(f"zh_names.yaml: entry {i} lacks name, zh or source")
        out.append(ZhName(str(e["name"]), str(e["zh"]), str(e["source"])))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_zh() -> dict[str, list[ZhName]]:
    out: dict[str, list[ZhName]] = {}
    for e in zh_names():
        out.setdefault(_zh_key(e.zh), []).append(e)
    return out


@lru_cache(maxsize=1)
def by_english_key() -> dict[str, list[ZhName]]:
    """Entries keyed by the normalised form of their listed English name."""
    out: dict[str, list[ZhName]] = {}
    for e in zh_names():
        out.setdefault(normalize(e.name).key, []).append(e)
    return out


def expand_variants(name: str) -> list[str]:
    """The name itself, plus the listed English names when it is a known Chinese name."""
    hits = _by_zh().get(_zh_key(name))
    if not hits:
        return [name]
    return [name] + [e.name for e in hits]
