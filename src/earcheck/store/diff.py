"""Differences between two versions of a list: parties added, removed and changed.

Parties are matched by their publisher id (``Party.id``). A party is *changed* when any field of
:meth:`Party.to_dict` differs; lists of strings (aliases, countries, programmes, ids) are compared
as sets, so a mere reordering by the publisher is not a change. The JSON shape of
:meth:`ListDiff.to_dict` is documented in ``docs/lists-json.md``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from earcheck.models import Party

#: Fields shown for an added or removed party in the JSON and the summary.
BRIEF_FIELDS = ("id", "list_code", "name", "kind", "federal_register", "start_date", "end_date")


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
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
            },
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
            f"{self.unchanged} unchanged",
        ]
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


def _norm(value: Any) -> Any:
    """Comparison form: lists of scalars become sorted unique tuples."""
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) or v is None for v in value):
        return tuple(sorted({str(v) for v in value}))
    return value


def compare_parties(old: Party, new: Party) -> dict[str, FieldChange]:
    """Fields whose values differ between two versions of one party."""
    a, b = old.to_dict(), new.to_dict()
    out: dict[str, FieldChange] = {}
    for k in a.keys() | b.keys():
        va, vb = a.get(k), b.get(k)
        if _norm(va) == _norm(vb):
            continue
        fc = FieldChange(old=va, new=vb)
        if isinstance(_norm(va), tuple) or isinstance(_norm(vb), tuple):
            sa = set(_norm(va) or ()) if isinstance(_norm(va), tuple) else set()
            sb = set(_norm(vb) or ()) if isinstance(_norm(vb), tuple) else set()
            fc.added, fc.removed = sorted(sb - sa), sorted(sa - sb)
        out[k] = fc
    return out


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


def diff_parties(old_side: DiffSide, old: list[Party], new_side: DiffSide, new: list[Party]) -> ListDiff:
    """Compare two party lists by party id."""
    a, b = _keyed(old), _keyed(new)
    result = ListDiff(old=old_side, new=new_side)
    result.added = sorted((b[k] for k in b.keys() - a.keys()), key=_order)
    result.removed = sorted((a[k] for k in a.keys() - b.keys()), key=_order)
    for k in a.keys() & b.keys():
        fields = compare_parties(a[k], b[k])
        if fields:
            result.changed.append(PartyChange(id=k, old=a[k], new=b[k], fields=fields))
        else:
            result.unchanged += 1
    result.changed.sort(key=lambda c: _order(c.new))
    return result
