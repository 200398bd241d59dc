"""Charts of an exposure report with matplotlib (Agg): inline SVG for the HTML, PNG files.

matplotlib is imported only here, when a chart is drawn.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from earcheck.exposure.engine import DECISIONS

if TYPE_CHECKING:  # pragma: no cover
    from earcheck.exposure.report import ExposureReport

COLOURS = {
    "not_subject_to_ear": "#9aa5b1",
    "no_license_required": "#3f8f5f",
    "authorized": "#6cb4d8",
    "indeterminate": "#e6b800",
    "license_required": "#e07b24",
    "prohibited": "#b3261e",
}
LABELS = {
    "not_subject_to_ear": "not subject to the EAR",
    "no_license_required": "no licence required",
    "authorized": "authorised (VEU / licence held)",
    "indeterminate": "indeterminate",
    "license_required": "licence required",
    "prohibited": "prohibited",
}


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.hashsalt": "earcheck"})
    return plt


def _money(x: float, _pos=None) -> str:
    a = abs(x)
    if a >= 1e9:
        return f"{x / 1e9:.1f}B"
    if a >= 1e6:
        return f"{x / 1e6:.1f}M"
    if a >= 1e3:
        return f"{x / 1e3:.0f}k"
    return f"{x:.0f}"


def _stacked(ax, labels, series: dict[str, list[float]], horizontal=False):
    import numpy as np

    base = np.zeros(len(labels))
    for dec in DECISIONS:
        vals = np.array(series.get(dec, [0.0] * len(labels)), dtype=float)
        if not vals.any():
            continue
        if horizontal:
            ax.barh(labels, vals, left=base, color=COLOURS[dec], label=LABELS[dec])
        else:
            ax.bar(labels, vals, bottom=base, color=COLOURS[dec], label=LABELS[dec])
        base += vals


def fig_quarters(rep: "ExposureReport"):
    plt = _plt()
    qs = list(rep.by_quarter)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    _stacked(ax, qs, {d: [rep.by_quarter[q][d] for q in qs] for d in DECISIONS})
    ax.set_title(f"Revenue by quarter and licence decision ({rep.currency})", loc="left", pad=22)
    ax.yaxis.set_major_formatter(_money)
    ax.tick_params(axis="x", labelrotation=90)
    ax.legend(fontsize=8, frameon=False, ncols=3, loc="lower right", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def fig_customers(rep: "ExposureReport", top: int = 15):
    plt = _plt()
    custs = list(rep.by_customer)[:top][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.32 * max(len(custs), 3) + 1.2))
    _stacked(ax, custs, {d: [rep.by_customer[c].get(d, 0.0) for c in custs] for d in DECISIONS},
             horizontal=True)
    ax.set_title(f"Top {len(custs)} customers by revenue and licence decision ({rep.currency})")
    ax.xaxis.set_major_formatter(_money)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    fig.tight_layout()
    return fig


def fig_decisions(rep: "ExposureReport"):
    plt = _plt()
    items = [(d, v) for d, v in rep.by_decision.items() if v]
    fig, ax = plt.subplots(figsize=(9, 1.7))
    left = 0.0
    for d, v in items:
        ax.barh([0], [v], left=left, color=COLOURS[d], label=f"{LABELS[d]}: {_money(v)}")
        left += v
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(_money)
    ax.set_title(f"Revenue by licence decision ({rep.currency})")
    ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    fig.tight_layout()
    return fig


def fig_scenarios(rep: "ExposureReport"):
    import numpy as np

    plt = _plt()
    years = sorted({y for s in rep.scenarios for y in s.newly_by_year} | set(rep.by_year))
    fig, ax = plt.subplots(figsize=(9, 3.2))
    n = max(len(rep.scenarios), 1)
    width = 0.8 / n
    x = np.arange(len(years))
    for i, s in enumerate(rep.scenarios):
        ax.bar(x + i * width - 0.4 + width / 2, [s.newly_by_year.get(y, 0.0) for y in years], width,
               label=s.scenario.name)
    ax.set_xticks(x, years)
    ax.yaxis.set_major_formatter(_money)
    ax.set_title(f"What-if: revenue newly needing a licence, by year ({rep.currency})")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def figures(rep: "ExposureReport") -> dict:
    figs = {"decisions": fig_decisions, "quarters": fig_quarters, "customers": fig_customers}
    if rep.scenarios:
        figs["scenarios"] = fig_scenarios
    return figs


def svg(fig) -> str:
    """The figure as an inline ``<svg>`` element (no XML prologue)."""
    plt = _plt()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def svgs(rep: "ExposureReport") -> dict[str, str]:
    return {name: svg(make(rep)) for name, make in figures(rep).items()} if rep.lines else {}


def write_png(rep: "ExposureReport", d: Path) -> list[Path]:
    plt = _plt()
    d.mkdir(parents=True, exist_ok=True)
    out = []
    if not rep.lines:
        return out
    for name, make in figures(rep).items():
        fig = make(rep)
        p = d / f"{name}.png"
        fig.savefig(p, format="png", dpi=120)
        plt.close(fig)
        out.append(p)
    return out
