"""Strict loader for the dated, cited rule tables in ``rules/data/`` (OpenFisca style, but loud).

Every file has the shape::

    description: ...            # required
    reference: 15 CFR ...       # required: the provision the table transcribes
    source: ...                 # optional: where the values were read
    last_verified_on: 2026-11-25  # required: when someone last checked the newest values
    values:
      <key>:                    # country code, group, rule name ...
        - valid_from: 2020-12-23      # required, ISO date
          valid_to: 2025-11-09        # optional, inclusive; open-ended when absent
          value: ...                  # required (any YAML)
          citation: 15 CFR 744.11     # required
          fr: 85 FR 83416             # optional Federal Register cite
          confidence: T|D|S|U         # optional (see ear-rules.md § 0)
          source, note, compliance_date, published   # optional

The loader refuses unknown keys, duplicate keys, non-ISO dates, overlapping intervals and
values without a citation; each error names the file and the key path. ``Table.at(day)``
returns a read-only view and raises :class:`NoRuleInForce` when no value is in force.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import yaml

DATA_DIR = Path(__file__).parent / "data"

FILE_KEYS = {"description", "reference", "source", "last_verified_on", "values"}
REQUIRED_FILE_KEYS = {"description", "reference", "last_verified_on", "values"}
PERIOD_KEYS = {"valid_from", "valid_to", "value", "citation", "fr", "confidence", "source",
               "note", "compliance_date", "published"}
REQUIRED_PERIOD_KEYS = {"valid_from", "value", "citation"}
DATE_KEYS = {"valid_from", "valid_to", "compliance_date", "published"}
CONFIDENCE = {"T", "D", "S", "U"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RuleDataError(ValueError):
    """A rule table is malformed. The message is one line: ``<file>: <key path>: <problem>``."""


class NoRuleInForce(LookupError):
    """No value of a rule table is in force on the requested date (never a silent default)."""


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """SafeLoader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings (as in openfisca-core); ``iso()`` validates them and names the key path.
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp",
                              lambda loader, node: loader.construct_scalar(node))


def _dates_to_str(v: Any) -> Any:
    """Dates inside a value become ISO strings, so comparisons with the day never mix types."""
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _dates_to_str(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_dates_to_str(x) for x in v]
    return v


def iso(value: Any, where: str) -> str:
    """Return ``value`` as an ISO date string or raise :class:`RuleDataError` naming ``where``."""
    if isinstance(value, dt.datetime):
        raise RuleDataError(f"{where}: {value!r} is a timestamp, not an ISO date")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and ISO.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise RuleDataError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")


@dataclass(frozen=True)
class Period:
    """One dated value of a rule with its citation."""

    valid_from: str
    valid_to: str | None
    value: Any
    citation: str
    fr: str | None = None
    confidence: str | None = None
    note: str | None = None
    compliance_date: str | None = None
    source: str | None = None

    def covers(self, day: str) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def cite(self) -> str:
        """``15 CFR ...`` plus the FR cite when known."""
        return f"{self.citation} ({self.fr})" if self.fr else self.citation


class View(Mapping[str, Period]):
    """Read-only view of a table on one day: ``key -> Period`` for the keys in force."""

    def __init__(self, table: "Table", day: str):
        self.table, self.day = table, day
        self._data = MappingProxyType(
            {k: p for k, ps in table.values.items() for p in ps if p.covers(day)})

    def __getitem__(self, key: str) -> Period:
        try:
            return self._data[key]
        except KeyError:
            raise NoRuleInForce(
                f"{self.table.name}: no value for {key!r} in force on {self.day}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def value(self, key: str) -> Any:
        return self[key].value


@dataclass
class Table:
    """One rule file: dated values per key."""

    name: str
    description: str
    reference: str
    last_verified_on: str
    values: dict[str, list[Period]]
    source: str | None = None

    def at(self, day: str | dt.date) -> View:
        return View(self, day.isoformat() if isinstance(day, dt.date) else iso(day, self.name))

    def get(self, key: str, day: str) -> Period:
        """The period of ``key`` in force on ``day``; raises :class:`NoRuleInForce`."""
        return self.at(day)[key]

    def periods(self, key: str) -> list[Period]:
        return list(self.values.get(key, []))


def _check_keys(mapping: dict, allowed: frozenset | set, required: frozenset | set, where: str) -> None:
    """Refuse unknown and missing keys of one mapping, naming where it is."""
    unknown = set(mapping) - allowed
    if unknown:
        raise RuleDataError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = required - set(mapping)
    if missing:
        raise RuleDataError(f"{where}: missing key(s) {sorted(missing)}")


def parse_table(doc: Any, name: str) -> Table:
    """Validate one parsed YAML document; ``name`` is used in error messages."""
    if not isinstance(doc, dict):
        raise RuleDataError(f"{name}: top level must be a mapping")
    _check_keys(doc, FILE_KEYS, REQUIRED_FILE_KEYS, name)
    verified = iso(doc["last_verified_on"], f"{name}: last_verified_on")
    if not isinstance(doc["values"], dict) or not doc["values"]:
        raise RuleDataError(f"{name}: values: must be a non-empty mapping")
    values: dict[str, list[Period]] = {}
    for key, periods in doc["values"].items():
        where = f"{name}: values.{key}"
        if not isinstance(periods, list) or not periods:
            raise RuleDataError(f"{where}: must be a non-empty list of dated values")
        parsed = []
        for i, p in enumerate(periods):
            pw = f"{where}[{i}]"
            if not isinstance(p, dict):
                raise RuleDataError(f"{pw}: must be a mapping")
            _check_keys(p, PERIOD_KEYS, REQUIRED_PERIOD_KEYS, pw)
            if not isinstance(p["citation"], str) or not p["citation"].strip():
                raise RuleDataError(f"{pw}.citation: a value needs a non-empty citation")
            if not p["citation"].startswith("15 CFR"):
                raise RuleDataError(f"{pw}.citation: must start with '15 CFR', got {p['citation']!r}")
            dates = {k: iso(p[k], f"{pw}.{k}") for k in DATE_KEYS if p.get(k) is not None}
            if dates.get("valid_to") and dates["valid_to"] < dates["valid_from"]:
                raise RuleDataError(f"{pw}: valid_to {dates['valid_to']} before valid_from")
            if p.get("confidence") is not None and p["confidence"] not in CONFIDENCE:
                raise RuleDataError(f"{pw}.confidence: {p['confidence']!r} not one of {sorted(CONFIDENCE)}")
            parsed.append(Period(valid_from=dates["valid_from"], valid_to=dates.get("valid_to"),
                                 value=_dates_to_str(p["value"]), citation=p["citation"], fr=p.get("fr"),
                                 confidence=p.get("confidence"), note=p.get("note"),
                                 compliance_date=dates.get("compliance_date"),
                                 source=p.get("source")))
        parsed.sort(key=lambda x: x.valid_from)
        for a, b in zip(parsed, parsed[1:]):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise RuleDataError(
                    f"{where}: periods overlap ({a.valid_from}..{a.valid_to or 'open'} "
                    f"and {b.valid_from}..)")
        values[str(key)] = parsed
    return Table(name=name, description=str(doc["description"]), reference=str(doc["reference"]),
                 last_verified_on=verified, values=values, source=doc.get("source"))


def load_file(path: Path, name: str | None = None) -> Table:
    name = name or str(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise RuleDataError(f"{name}:{line}: {problem}") from None
    return parse_table(doc, name)


@lru_cache(maxsize=4)
def load_all(data_dir: str | None = None) -> dict[str, Table]:
    """Load every ``*.yaml`` under ``data_dir`` keyed by dotted name (``part_744.entity_list``)."""
    root = Path(data_dir) if data_dir else DATA_DIR
    tables = {}
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).with_suffix("")
        tables[".".join(rel.parts)] = load_file(path, str(path.relative_to(root.parent)))
    return tables
