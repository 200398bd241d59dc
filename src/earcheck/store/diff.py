"""Differences between two versions of a list: parties added, removed and changed.

Parties are matched by their publisher id (``Party.id``); parties left unmatched on both sides are
then paired by list code and normalised name when that pairing is unambiguous (publishers, or two
formats of one list, do not always keep ids: the 2022 CSL CSV gives Entity List rows hash ids, the
2026 compact JSON has none). A party is *changed* when a compared field of :meth:`Party.to_dict`
differs. Text is compared ignoring letter case and spacing, and lists of strings (aliases,
countries, programmes) as sets, so re-casing or reordering by the publisher is not a change.

Not compared: ``source_url`` (link metadata), and, when the two sides are in different formats,
any field -- or ``extra`` key -- that one side's format does not carry (filled for under a tenth
of the share of parties the other side fills it for: the compact JSON has no addresses, remarks
or dates). Both lists are reported in ``ignored_fields``. The JSON shape of
:meth:`ListDiff.to_dict` is documented in ``docs/lists-json.md``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from earcheck.models import Party

#: Fields shown for an added or removed party in the JSON and the summary.
BRIEF_FIELDS = ("id", "list_code", "name", "kind", "federal_register", "start_date", "end_date")

#: Fields never compared, with the reason shown in ``ignored_fields``.
DEFAULT_IGNORE = {"source_url": "link metadata"}

#: Identity fields: for a pair matched by name, a different id is reported as ``old_id``.
_ID_FIELDS = ("id", "source_ids")


def brief(p: Party) -> dict[str, Any]:
    """The short record of a party used in diff output."""
    return {k: getattr(p, k) for k in BRIEF_FIELDS}


@dataclass
class FieldChange:
    """One changed field. For lists of strings, ``added``/``removed`` hold the element changes."""

    old: Any
    new: Any
    added: list[Any] | None = None
    removed: list[Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"old": self.old, "new": self.new}
        if self.added is not None:
            d["added"] = self.added
            d["removed"] = self.removed
        return d


@dataclass
class PartyChange:
    """A party present in both versions with different field values."""

    id: str
    old: Party
    new: Party
    fields: dict[str, FieldChange]
    matched_by: str = "id"  # "id" | "name"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.new.id,
            "old_id": self.old.id,
            "matched_by": self.matched_by,
            "list_code": self.new.list_code,
            "name": self.new.name,
            "fields": {k: v.to_dict() for k, v in sorted(self.fields.items())},
        }


@dataclass
class DiffSide:
    """What one side of a diff was: a stored snapshot or a parsed (not stored) file."""

    ref: str  # as given by the caller
    kind: str  # "snapshot" | "file"
    snapshot_id: int | None
    dataset: str
    format: str
    source: str
    checksum: str
    published: str | None
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "snapshot_id": self.snapshot_id,
            "dataset": self.dataset,
            "format": self.format,
            "source": self.source,
            "checksum": self.checksum,
            "published": self.published,
            "total": self.total,
        }


@dataclass
class ListDiff:
    """Result of :meth:`earcheck.store.Store.diff`."""

    old: DiffSide
    new: DiffSide
    added: list[Party] = field(default_factory=list)
    removed: list[Party] = field(default_factory=list)
    changed: list[PartyChange] = field(default_factory=list)
    unchanged: int = 0
    matched_by_name: int = 0
    ignored_fields: dict[str, str] = field(default_factory=dict)

    def by_list(self) -> dict[str, dict[str, int]]:
        """Counts of added / removed / changed per list code."""
        out: dict[str, dict[str, int]] = {}
        for key, items in (
            ("added", [p.list_code for p in self.added]),
            ("removed", [p.list_code for p in self.removed]),
            ("changed", [c.new.list_code for c in self.changed]),
        ):
            for code, n in Counter(items).items():
                out.setdefault(code, {"added": 0, "removed": 0, "changed": 0})[key] = n
        return dict(sorted(out.items()))

    def field_counts(self) -> dict[str, int]:
        """How many changed parties changed each field."""
        c = Counter(f for ch in self.changed for f in ch.fields)
        return dict(sorted(c.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
                "matched_by_name": self.matched_by_name,
            },
            "ignored_fields": dict(sorted(self.ignored_fields.items())),
            "by_list": self.by_list(),
            "changed_fields": self.field_counts(),
            "added": [brief(p) for p in self.added],
            "removed": [brief(p) for p in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }

    def summary(self, limit: int = 10) -> str:
        """A short human-readable account (plain text)."""

        def side(s: DiffSide) -> str:
            what = f"snapshot {s.snapshot_id}" if s.kind == "snapshot" else s.source
            pub = f", published {s.published}" if s.published else ""
            return f"{what} ({s.dataset}/{s.format}, {s.total} parties{pub})"

        lines = [
            f"old: {side(self.old)}",
            f"new: {side(self.new)}",
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed, "
            f"{self.unchanged} unchanged"
            + (f" ({self.matched_by_name} matched by list and name, not id)" if self.matched_by_name else ""),
        ]
        if self.ignored_fields:
            lines.append("not compared: " + ", ".join(f"{k} ({v})" for k, v in sorted(self.ignored_fields.items())))
        for code, c in self.by_list().items():
            lines.append(f"  {code}: +{c['added']} -{c['removed']} ~{c['changed']}")
        for title, items in (("added", self.added), ("removed", self.removed)):
            if items:
                lines.append(f"{title}:")
                for p in items[:limit]:
                    fr = f" [{p.federal_register}]" if p.federal_register else ""
                    lines.append(f"  {p.list_code} {p.id}: {p.name}{fr}")
                if len(items) > limit:
                    lines.append(f"  ... and {len(items) - limit} more")
        if self.changed:
            lines.append("changed:")
            for c in self.changed[:limit]:
                lines.append(f"  {c.new.list_code} {c.id}: {c.new.name} ({', '.join(sorted(c.fields))})")
            if len(self.changed) > limit:
                lines.append(f"  ... and {len(self.changed) - limit} more")
        return "\n".join(lines)


def _text_key(v: Any) -> str:
    """Comparison form of a scalar: letter case and spacing do not count."""
    return " ".join(str(v).casefold().split())


def _elements(value: Any) -> dict[str, Any] | None:
    """A list of scalars as {comparison key: first original element}; None for anything else."""
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) or v is None for v in value):
        out: dict[str, Any] = {}
        for v in value:
            out.setdefault(_text_key(v), v)
        return out
    return None


def _same(va: Any, vb: Any) -> bool:
    ea, eb = _elements(va), _elements(vb)
    if ea is not None and eb is not None:
        return ea.keys() == eb.keys()
    if isinstance(va, str) and isinstance(vb, str):
        return _text_key(va) == _text_key(vb)
    return va == vb


#: The fields of an entry that matter to a screening decision and that every list format
#: carries: a cleared alert stays cleared while these are unchanged (see :func:`decision_content`).
DECISION_FIELDS = ("list_code", "name", "aliases", "license_requirement", "license_policy",
                   "programs", "countries")


def comparable(value: Any) -> Any:
    """The form :func:`compare_parties` compares a value in: text ignoring letter case and
    spacing, lists of strings as sorted sets of such text; anything else as is."""
    elements = _elements(value)
    if elements is not None:
        return sorted(elements)
    if isinstance(value, str):
        return _text_key(value)
    return value


def decision_content(p: Party) -> dict[str, Any]:
    """The :data:`DECISION_FIELDS` of a party in :func:`comparable` form: equal for two versions
    of an entry that ``diff`` reports unchanged in those fields, whatever their file format."""
    return {f: comparable(getattr(p, f)) for f in DECISION_FIELDS}


def compare_parties(old: Party, new: Party, ignore: set[str] = frozenset(),
                    skip_extra: set[str] = frozenset()) -> dict[str, FieldChange]:
    """Fields whose values differ between two versions of one party.

    ``ignore``: fields not compared; ``skip_extra``: keys of ``extra`` not compared.
    """
    a, b = old.to_dict(), new.to_dict()
    if skip_extra:
        a["extra"] = {k: v for k, v in a["extra"].items() if k not in skip_extra}
        b["extra"] = {k: v for k, v in b["extra"].items() if k not in skip_extra}
    out: dict[str, FieldChange] = {}
    for k in a.keys() | b.keys():
        if k in ignore:
            continue
        va, vb = a.get(k), b.get(k)
        if _same(va, vb):
            continue
        fc = FieldChange(old=va, new=vb)
        ea, eb = _elements(va), _elements(vb)
        if ea is not None or eb is not None:
            ea, eb = ea or {}, eb or {}
            fc.added = [eb[x] for x in sorted(eb.keys() - ea.keys())]
            fc.removed = [ea[x] for x in sorted(ea.keys() - eb.keys())]
        out[k] = fc
    return out


def coverage(parties: list[Party]) -> tuple[dict[str, float], dict[str, float]]:
    """Share of parties with a value, per field and per ``extra`` key."""
    n = len(parties) or 1
    fields_: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    names = [f for f in Party.__dataclass_fields__ if f != "extra"]
    for p in parties:
        fields_.update(f for f in names if getattr(p, f) not in (None, "", [], {}))
        extra.update(k for k, v in p.extra.items() if v not in (None, "", [], {}))
    if extra:
        fields_["extra"] = n
    return {k: v / n for k, v in fields_.items()}, {k: v / n for k, v in extra.items()}


#: Across formats, a field one side fills for under this share of what the other side fills
#: (proportionally) is treated as not carried by that side's format.
CARRIED_RATIO = 0.1


def _not_carried(ca: dict[str, float], cb: dict[str, float]) -> dict[str, str]:
    out = {}
    for k in ca.keys() | cb.keys():
        a, b = ca.get(k, 0.0), cb.get(k, 0.0)
        if min(a, b) < CARRIED_RATIO * max(a, b):
            out[k] = f"not in the {'new' if a > b else 'old'} list's data"
    return out


def name_key(p: Party) -> tuple[str, str]:
    """List code and a normalised name: case, punctuation and spacing ignored."""
    return p.list_code, " ".join(re.findall(r"\w+", p.name.casefold()))


def _keyed(parties: list[Party]) -> dict[str, Party]:
    """Parties by id; a repeated id gets a ``#2``, ``#3`` suffix so nothing is lost."""
    out: dict[str, Party] = {}
    for p in parties:
        key, n = p.id, 1
        while key in out:
            n += 1
            key = f"{p.id}#{n}"
        out[key] = p
    return out


def _order(p: Party) -> tuple[str, str]:
    return (p.list_code, p.id)


def _unique_by_name(parties: dict[str, Party], keys: set[str]) -> dict[tuple[str, str], str]:
    seen: dict[tuple[str, str], list[str]] = {}
    for k in keys:
        seen.setdefault(name_key(parties[k]), []).append(k)
    return {nk: ks[0] for nk, ks in seen.items() if len(ks) == 1}


def diff_parties(old_side: DiffSide, old: list[Party], new_side: DiffSide, new: list[Party],
                 ignore: dict[str, str] | None = None) -> ListDiff:
    """Compare two party lists: by id, then unmatched parties by list code and name."""
    a, b = _keyed(old), _keyed(new)
    ignored = dict(DEFAULT_IGNORE if ignore is None else ignore)
    if old_side.format != new_side.format:  # a lossy format does not carry every field
        (fa, ea), (fb, eb) = coverage(old), coverage(new)
        for k, why in sorted(_not_carried(fa, fb).items()):
            ignored.setdefault(k, why)
        for k, why in sorted(_not_carried(ea, eb).items()):
            ignored.setdefault(f"extra.{k}", why)
    skip = set(ignored)
    extra_keys = {k[6:] for k in ignored if k.startswith("extra.")}

    pairs = [(k, k, "id") for k in a.keys() & b.keys()]
    only_a, only_b = a.keys() - b.keys(), b.keys() - a.keys()
    by_name_a, by_name_b = _unique_by_name(a, only_a), _unique_by_name(b, only_b)
    for nk in by_name_a.keys() & by_name_b.keys():
        ka, kb = by_name_a[nk], by_name_b[nk]
        pairs.append((ka, kb, "name"))
        only_a.discard(ka)
        only_b.discard(kb)

    result = ListDiff(old=old_side, new=new_side, ignored_fields=ignored)
    result.added = sorted((b[k] for k in only_b), key=_order)
    result.removed = sorted((a[k] for k in only_a), key=_order)
    for ka, kb, how in pairs:
        fields = compare_parties(a[ka], b[kb], skip | (set(_ID_FIELDS) if how == "name" else set()),
                                 skip_extra=extra_keys)
        if how == "name":
            result.matched_by_name += 1
        if fields:
            result.changed.append(PartyChange(id=kb, old=a[ka], new=b[kb], fields=fields, matched_by=how))
        else:
            result.unchanged += 1
    result.changed.sort(key=lambda c: _order(c.new))
    return result
