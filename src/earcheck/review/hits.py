"""Turn screening hits into the plain records the review layer stores.

Each record carries an ``entry_key`` (list code and party id), an ``entry_name_key`` (list code
and normalised name, for formats whose ids differ) and an ``entry_hash``, so a later screening
can tell an entry it has already alerted on from a new entry or a changed one.

The hash covers only what matters to a decision and what every list format carries (list code,
name, aliases, licence requirement and policy, programmes, countries:
:data:`earcheck.store.diff.DECISION_FIELDS`), normalised as ``lists diff`` compares them (case,
spacing, order of aliases). So loading the same list in another format (the 2022 CSV, then the
compact JSON) does not re-raise a cleared alert, while a changed name, alias, policy, programme
or country does. ``entry_hash_v1`` is the hash of the earlier scheme (every field), kept so that
decisions recorded before this change still count (see ``Review.record_screening``).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from earcheck.models import Party
from earcheck.store.diff import decision_content, name_key


#: Prefix of the current hash scheme (hashes without it are :func:`entry_hash_v1`).
HASH_SCHEME = "d2:"


def entry_key(party: Party) -> str:
    """Stable key of a list entry across snapshots: ``<list code>:<party id>``."""
    return f"{party.list_code}:{party.id}"


def entry_name_key(party: Party) -> str:
    """Key of an entry by list code and normalised name (``lists diff``'s pairing for formats
    that do not share ids): ``<list code>:n:<name>``."""
    code, name = name_key(party)
    return f"{code}:n:{name}"


def entry_hash(party: Party) -> str:
    """Hash of the entry's decision-relevant content (:func:`decision_content`)."""
    blob = json.dumps(decision_content(party), sort_keys=True, ensure_ascii=False, default=str)
    return HASH_SCHEME + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def entry_hash_v1(party: Party) -> str:
    """The earlier scheme: sha256 of every field in canonical JSON (format-dependent)."""
    blob = json.dumps(party.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def hit_record(hit: Any) -> dict[str, Any]:
    """One hit (``earcheck.screening.Hit``) as a JSON-able record, with its entry key and hash."""
    party: Party = hit.party
    return {
        "entry_key": entry_key(party),
        "entry_name_key": entry_name_key(party),
        "entry_hash": entry_hash(party),
        "entry_hash_v1": entry_hash_v1(party),
        "id": party.id,
        "list": party.list_code,
        "list_name": party.list_name,
        "name": party.name,
        "matched_name": getattr(hit, "matched_name", None) or party.name,
        "score": round(float(hit.score), 4),
        "decision": getattr(hit, "decision", None),
        "explanation": getattr(hit, "explanation", "") or "",
        "countries": list(party.countries),
        "programs": list(party.programs),
        "federal_register": party.federal_register,
        "start_date": party.start_date,
        "license_requirement": party.license_requirement,
        "license_policy": party.license_policy,
        "source_url": party.source_url,
    }


def is_alert(decision: str | None) -> bool:
    """A screening decision that needs an analyst (``match`` or ``review``)."""
    return decision in ("match", "review")
