"""What-if scenarios: change the lists, re-run the ledger, compare with a reference.

A scenario file (YAML or JSON) holds ``scenarios:``, each with

* ``name`` (an identifier), ``title`` (the question it answers), optional ``period``
  (``{from: 2021-01-01, to: 2021-12-31}``) for the headline figure;
* ``changes``: a list of changes to the lists;
* ``against`` (optional): changes that define the *reference* the scenario is compared with.
  The scenario's own lists are ``against`` followed by ``changes``. Without ``against`` the
  reference is the baseline (the lists as loaded).

Changes:

* ``list: {name, aliases, countries, list_code, start_date, end_date, license_requirement,
  license_policy, federal_register}`` -- add a synthetic list entry (or a list of them);
* ``remove: {name: [...], name_contains: [...], id: [...], federal_register: [...],
  list_code: [...]}`` -- drop every entry whose name or an alias equals / contains one of the
  strings (case-insensitive), whose id is given, or whose Federal Register citation contains
  one of the given ones (e.g. ``85 FR 83420``: everything that rule listed); ``list_code``
  restricts the removal to those lists;
* ``fifty_percent_rule: {owners: FILE}`` -- a customer owned 50 % or more, in aggregate, by
  listed parties is treated as listed itself, with the most restrictive owner's requirement and
  policy, from the date the listed share reached 50 %. Owners come from ``FILE`` (CSV with
  ``customer,owner,percent``, relative to the scenario file) and from the ledger's ``owners``
  column.

Example -- "what would listing SMIC on 2020-12-18 have cost in 2021?" against a store where SMIC
is already listed: ``against: [{remove: {name_contains: [SMIC]}}]`` (a world where SMIC was
never listed), ``changes: [{list: {name: SMIC, start_date: 2020-12-18, ...}}]``.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from earcheck.lists.countries import iso2
from earcheck.models import Party

CHANGE_KINDS = ("list", "remove", "fifty_percent_rule")
REMOVE_KEYS = ("name", "name_contains", "id", "federal_register")


class ScenarioError(ValueError):
    """A scenario file that cannot be used (one-line message)."""


@dataclass
class Scenario:
    name: str
    title: str
    changes: list[dict]
    against: list[dict] = field(default_factory=list)
    period: tuple[str | None, None | str] = (None, None)

    @property
    def world(self) -> list[dict]:
        return self.against + self.changes

    def in_period(self, date: str) -> bool:
        lo, hi = self.period
        return (lo is None or date >= lo) and (hi is None or date <= hi)

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "changes": self.changes,
                "against": self.against,
                "period": {"from": self.period[0], "to": self.period[1]}}


def _iso(v: Any, where: str) -> str | None:
    if v is None or v == "":
        return None
    import datetime as dt
    if isinstance(v, dt.date):
        return v.isoformat()
    try:
        return dt.date.fromisoformat(str(v)).isoformat()
    except ValueError:
        raise ScenarioError(f"{where}: {v!r} is not an ISO date (YYYY-MM-DD)") from None


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _check_change(ch: Any, where: str, base: Path) -> dict:
    if not isinstance(ch, dict) or len(ch) != 1 or next(iter(ch)) not in CHANGE_KINDS:
        raise ScenarioError(f"{where}: each change must be one of {', '.join(CHANGE_KINDS)}, got {ch!r}")
    kind, body = next(iter(ch.items()))
    if kind == "list":
        entries = []
        for i, e in enumerate(_as_list(body)):
            if not isinstance(e, dict) or not str(e.get("name") or "").strip():
                raise ScenarioError(f"{where}: list entry {i + 1} needs a name")
            e = dict(e)
            e["start_date"] = _iso(e.get("start_date") or e.get("from"), where)
            e["end_date"] = _iso(e.get("end_date") or e.get("to"), where)
            e.pop("from", None)
            e.pop("to", None)
            entries.append(e)
        return {"list": entries}
    if kind == "remove":
        if isinstance(body, str):
            body = {"name": [body]}
        if not isinstance(body, dict) or not any(body.get(k) for k in REMOVE_KEYS):
            raise ScenarioError(f"{where}: remove needs one of {', '.join(REMOVE_KEYS)}")
        return {"remove": {k: [str(x) for x in _as_list(body.get(k))]
                           for k in REMOVE_KEYS + ("list_code",) if body.get(k)}}
    body = dict(body or {})
    if body.get("owners"):
        p = Path(body["owners"])
        body["owners"] = str(p if p.is_absolute() else (base / p))
        if not Path(body["owners"]).is_file():
            raise ScenarioError(f"{where}: owners file {body['owners']} not found")
    return {"fifty_percent_rule": body}


def load_scenarios(source: str | Path | dict | list | None) -> list[Scenario]:
    """Scenarios from a YAML/JSON file path, or an already-parsed dict/list."""
    if source is None:
        return []
    base = Path.cwd()
    where = "scenarios"
    if isinstance(source, (str, Path)):
        p = Path(source)
        where = str(p)
        base = p.parent
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise ScenarioError(f"{p}: cannot read scenario file ({e.strerror or e})") from None
        except UnicodeDecodeError:
            raise ScenarioError(f"{p}: not a YAML or JSON text file (not UTF-8)") from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        except (yaml.YAMLError, json.JSONDecodeError) as e:
            raise ScenarioError(f"{p}: not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: "
                                f"{str(e).splitlines()[0]}") from None
    else:
        data = source
    items = data.get("scenarios") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ScenarioError(f"{where}: expected a non-empty 'scenarios:' list")
    out: list[Scenario] = []
    seen = set()
    for i, s in enumerate(items):
        w = f"{where}: scenario {i + 1}"
        if not isinstance(s, dict):
            raise ScenarioError(f"{w}: must be a mapping")
        name = str(s.get("name") or f"scenario_{i + 1}")
        if name in seen:
            raise ScenarioError(f"{w}: duplicate name {name!r}")
        seen.add(name)
        changes = [_check_change(c, f"{w} ({name})", base) for c in _as_list(s.get("changes"))]
        against = [_check_change(c, f"{w} ({name}) against", base) for c in _as_list(s.get("against"))]
        if not changes:
            raise ScenarioError(f"{w} ({name}): no changes")
        period = s.get("period") or {}
        if not isinstance(period, dict):
            raise ScenarioError(f"{w} ({name}): period must be {{from: DATE, to: DATE}}")
        out.append(Scenario(name, str(s.get("title") or name), changes, against,
                            (_iso(period.get("from"), w), _iso(period.get("to"), w))))
    return out


# -- applying changes -----------------------------------------------------------------------

def synthetic_party(e: dict, n: int) -> Party:
    """A list entry described in a scenario."""
    code = str(e.get("list_code") or "EL")
    return Party(
        id=str(e.get("id") or f"whatif:{n}:{e['name']}"),
        list_code=code,
        name=str(e["name"]).strip(),
        kind=str(e.get("kind") or "organization"),
        aliases=[str(a) for a in _as_list(e.get("aliases"))],
        countries=[iso2(str(c)) or str(c).upper() for c in _as_list(e.get("countries") or e.get("country"))],
        start_date=e.get("start_date"),
        end_date=e.get("end_date"),
        license_requirement=e.get("license_requirement") or "For all items subject to the EAR. (See § 744.11 of the EAR)",
        license_policy=e.get("license_policy") or "Presumption of denial",
        federal_register=e.get("federal_register"),
        remarks="what-if scenario entry",
        extra={"scenario": True},
    )


def _removed(p: Party, rm: dict) -> bool:
    if rm.get("list_code") and p.list_code not in rm["list_code"]:
        return False
    if p.id in rm.get("id", []) or any(s in rm.get("id", []) for s in p.source_ids):
        return True
    fr = " ".join((p.federal_register or "").split())
    if fr and any(" ".join(c.split()) in fr for c in rm.get("federal_register", [])):
        return True
    names = [" ".join(n.casefold().split()) for n in p.names]
    exact = {" ".join(s.casefold().split()) for s in rm.get("name", [])}
    if exact & set(names):
        return True
    subs = [s.casefold() for s in rm.get("name_contains", [])]
    return any(s in n for s in subs for n in names)


def apply_list_changes(parties: list[Party], changes: list[dict]) -> list[Party]:
    """The parties after the ``list`` and ``remove`` changes, in order."""
    out = list(parties)
    n = 0
    for ch in changes:
        if "remove" in ch:
            out = [p for p in out if not _removed(p, ch["remove"])]
        elif "list" in ch:
            for e in ch["list"]:
                n += 1
                out.append(synthetic_party(e, n))
    return out


def removal_predicate(changes: list[dict]) -> Callable[[Party], bool] | None:
    """True for a base entry that one of the ``remove`` changes drops."""
    rms = [ch["remove"] for ch in changes if "remove" in ch]
    if not rms:
        return None
    return lambda p: any(_removed(p, rm) for rm in rms)


def read_owners(path: str | Path, names: dict[str, str] | None = None,
                ) -> dict[str, list[tuple[str, float]]]:
    """Owners CSV: ``customer,owner,percent`` -> {normalised customer: [(owner, percent)]}.

    ``names`` (if given) receives normalised name -> the customer's name as written."""
    out: dict[str, list[tuple[str, float]]] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), start=2):
            try:
                cust, owner, pct = row["customer"].strip(), row["owner"].strip(), float(row["percent"])
            except (KeyError, AttributeError, TypeError, ValueError):
                raise ScenarioError(f"{path}: row {i}: need customer, owner, percent") from None
            out.setdefault(norm(cust), []).append((owner, pct))
            if names is not None:
                names.setdefault(norm(cust), cust)
    return out


def norm(name: str) -> str:
    return " ".join(name.casefold().split())


def affiliate_parties(owners: dict[str, list[tuple[str, float]]], customers: dict[str, str],
                      screen_all: Callable[[str], Any]) -> list[Party]:
    """Deemed-listed entries for customers owned >= 50 % in aggregate by listed parties.

    ``customers`` maps the normalised name to the name as written in the ledger (the synthetic
    entry carries that name so the customer matches it exactly). ``screen_all(owner)`` returns a
    screening result with all hits whatever their dates.
    """
    from earcheck.exposure.engine import POLICIES, policy_bucket

    out = []
    for key, own in sorted(owners.items()):
        listed = []  # (start, percent, party)
        for owner, pct in own:
            hits = [h for h in screen_all(owner).hits if h.decision == "match"]
            if hits:
                # the entry that carries a licence requirement and the strictest policy
                best = max((h.party for h in hits),
                           key=lambda p: (bool(p.license_requirement),
                                          POLICIES.index(policy_bucket(p.license_policy))))
                listed.append((best.start_date or "0000-00-00", pct, best))
        if sum(p for _, p, _ in listed) < 50:
            continue
        start = None
        for d in sorted({s for s, _, _ in listed}):
            if sum(p for s, p, _ in listed if s <= d) >= 50:
                start = d
                break
        worst = max(listed, key=lambda t: (bool(t[2].license_requirement),
                                           POLICIES.index(policy_bucket(t[2].license_policy))))[2]
        shares = "; ".join(f"{p.name} ({pct:g} %)" for _, pct, p in listed)
        out.append(Party(
            id=f"affiliate:{key}", list_code=worst.list_code, name=customers.get(key, key),
            start_date=None if start == "0000-00-00" else start,
            license_requirement=worst.license_requirement, license_policy=worst.license_policy,
            federal_register=worst.federal_register,
            remarks=f"deemed listed under the 50 % rule (what-if): owned by {shares}",
            extra={"scenario": True, "affiliate_of": [p.id for _, _, p in listed]},
        ))
    return out


def describe(changes: list[dict]) -> list[str]:
    """One readable sentence per change, for the report."""
    out = []
    for ch in changes:
        if "remove" in ch:
            rm = ch["remove"]
            parts = []
            if rm.get("name"):
                parts.append("named " + ", ".join(repr(x) for x in rm["name"]))
            if rm.get("name_contains"):
                parts.append("whose name contains " + " or ".join(repr(x) for x in rm["name_contains"]))
            if rm.get("id"):
                parts.append("with id " + ", ".join(rm["id"]))
            if rm.get("federal_register"):
                parts.append("citing " + " or ".join(rm["federal_register"]))
            where = f" on the {', '.join(rm['list_code'])} list" if rm.get("list_code") else ""
            out.append(f"remove every entry{where} {' or '.join(parts)}")
        elif "list" in ch:
            for e in ch["list"]:
                when = f"from {e['start_date']}" if e.get("start_date") else "from the start"
                if e.get("end_date"):
                    when += f" to {e['end_date']}"
                aka = f" (a.k.a. {', '.join(e['aliases'])})" if e.get("aliases") else ""
                pol = e.get("license_policy") or "Presumption of denial"
                out.append(f"list {e['name']}{aka} on the {e.get('list_code') or 'EL'} {when}; "
                           f"policy: {pol}")
        elif "fifty_percent_rule" in ch:
            src = ch["fifty_percent_rule"].get("owners")
            out.append("treat customers owned 50 % or more by listed parties as listed"
                       + (f" (owners from {Path(src).name} and the ledger)" if src else " (owners from the ledger)"))
    return out
