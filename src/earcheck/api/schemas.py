"""Pydantic wire types of the service's request bodies (responses are plain JSON dicts that
follow the trade.gov CSL API v1 and yente shapes; see the routers)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .config import MAX_NAME_CHARS


class EntityExample(BaseModel):
    """One yente ``/match`` query: a FollowTheMoney-style entity example."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Company"])
    properties: dict[str, list[str] | str] = Field(
        default_factory=dict, examples=[{"name": ["SMIC"], "country": ["cn"]}])

    def values(self, prop: str) -> list[str]:
        v = self.properties.get(prop) or []
        return [v] if isinstance(v, str) else [str(x) for x in v]


class MatchRequest(BaseModel):
    """Body of ``POST /match/{dataset}`` (yente): named queries plus optional weights/config."""

    queries: dict[str, EntityExample] = Field(
        examples=[{"q1": {"schema": "Company", "properties": {"name": ["SMIC"], "country": ["cn"]}}}])
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)


class ScreenRequest(BaseModel):
    """Body of ``POST /screen``: one party, recorded (a case opens for a new alert)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, examples=["SMIC"])
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", examples=["CN"])
    address: str | None = Field(default=None, max_length=MAX_NAME_CHARS)
    limit: int = Field(default=10, ge=1, le=100)


class DecisionRequest(BaseModel):
    """Body of ``POST /cases/{id}/decisions``."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field(examples=["false_positive"],
                          description="true_match | false_positive | escalated")
    comment: str = Field(default="", max_length=4000, examples=["Different company: Shanghai, not Beijing"])


class ListUpdateRequest(BaseModel):
    """Body of ``POST /lists/update``: a list file path on the server, or a URL."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, examples=["/data/consolidated.csv"])
    format: str | None = Field(default=None, examples=["csl_csv"])
    force: bool = Field(default=False, description="Load even a list under half the size of the "
                        "current one, or an older publication (otherwise refused with 409).")
