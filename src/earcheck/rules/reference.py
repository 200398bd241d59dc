"""Generate the rules reference (docs/rules.md) from ``STEPS`` and the rule tables.

    python -m earcheck.rules.reference --write docs/rules.md

The reference is the pipeline (each step's docstring) and every dated table value with its
citation, so the documentation cannot drift from the code; ``tests/rules/test_docs.py``
checks that docs/rules.md contains the current output.
"""
from __future__ import annotations

import inspect

from .loader import load_all
from .steps import STEPS

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m earcheck.rules.reference) -->"
END = "<!-- END GENERATED REFERENCE -->"
SUMMARISED = {"part_738.country_chart", "part_740.country_groups", "part_774.ccl_ecfr"}


def _doc(obj) -> str:
    return " ".join(inspect.getdoc(obj).split())


def reference_markdown() -> str:
    out = [BEGIN, "", "### The pipeline (`earcheck.rules.steps.STEPS`)", ""]
    for i, step in enumerate(STEPS, 1):
        out.append(f"{i}. **`{step.__name__}`** - {_doc(step)}")
    out += ["", "### Rule tables (`src/earcheck/rules/data/`)", ""]
    for name, t in load_all().items():
        out.append(f"#### `{name}` - {t.reference}")
        out.append("")
        out.append(f"{' '.join(t.description.split())} Last verified {t.last_verified_on}.")
        out.append("")
        if name in SUMMARISED:
            n = sum(len(p) for p in t.values.values())
            dated = sorted({(k, p.valid_from, p.valid_to) for k, ps in t.values.items() for p in ps
                            if p.valid_to or p.valid_from not in ("1996-03-25", "2026-07-23")})
            out.append(f"{len(t.values)} keys, {n} dated values, converted from the eCFR of "
                       f"2026-07-23 by `earcheck.rules.convert`. Values dated otherwise than "
                       f"1996-03-25 onwards (all values of the CCL conversion start 2026-07-23): "
                       + (", ".join(f"{k} {a}..{b or ''}" for k, a, b in dated) or "none") + ".")
            out.append("")
            continue
        out.append("| key | in force | citation | conf. | note |")
        out.append("|---|---|---|---|---|")
        for key, periods in t.values.items():
            for p in periods:
                cite = p.citation + (f" ({p.fr})" if p.fr else "")
                note = " ".join((p.note or "").split()).replace("|", "/")
                out.append(f"| `{key}` | {p.valid_from} .. {p.valid_to or ''} | {cite} | "
                           f"{p.confidence or ''} | {note} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def update(path: str) -> None:
    """Replace the generated block of ``path`` (docs/rules.md) with the current reference."""
    from pathlib import Path

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    p.write_text(text[:start] + reference_markdown() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--write"]:
        update(sys.argv[2])
    else:
        print(reference_markdown())
