"""Render an exposure report as one self-contained HTML file (inline CSS and SVG charts)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from earcheck.exposure.charts import LABELS, svgs
from earcheck.exposure.engine import DECISIONS, RESTRICTED
from earcheck.exposure.scenarios import describe

if TYPE_CHECKING:  # pragma: no cover
    from earcheck.exposure.report import ExposureReport

POLICY_LABELS = {
    "policy_of_denial": "policy of denial",
    "presumption_of_denial": "presumption of denial",
    "mixed": "mixed (denial for some items, case-by-case for others)",
    "case_by_case": "case-by-case",
    "presumption_of_approval": "presumption of approval",
    "other": "other / unclassified",
}


def money(v, cur: str = "") -> str:
    if v is None:
        return "–"
    s = f"{v:,.0f}"
    return f"{s} {cur}".strip()


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def render_html(rep: "ExposureReport") -> str:
    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = money
    tpl = env.get_template("report.html")
    return tpl.render(r=rep, j=rep.to_json(), charts=svgs(rep), DECISIONS=DECISIONS, LABELS=LABELS,
                      RESTRICTED=RESTRICTED, POLICY_LABELS=POLICY_LABELS, pct=pct,
                      restricted=rep.license_required, describe=describe)
