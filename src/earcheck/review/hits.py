"""Turn screening hits into the plain records the review layer stores.

Each record carries an ``entry_key`` (list code and party id) and an ``entry_hash`` (sha256
of the list entry's full content), so a later screening can tell an entry it has already
alerted on from a new entry or a changed one.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from earcheck.models import Party


def entry_key(party: Party) -> str:
    """Stable key of a list entry across snapshots: ``<list code>:<party id>``."""
    return f"{party.list_code}:{party.id}"


def entry_hash(party: Party) -> str:
    """sha256 of the entry's content (every field), in canonical JSON."""
    blob = json.dumps(party.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def hit_record(hit: Any) -> dict[str, Any]:
    """One hit (``earcheck.screening.Hit``) as a JSON-able record, with its entry key and hash."""
    party: Party = hit.party
    return {
        "entry_key": entry_key(party),
        "entry_hash": entry_hash(party),
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
