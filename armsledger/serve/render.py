"""Plain-text views for the terminal: a deal with its claims side by side, a reconciliation."""
from __future__ import annotations

import re

from armsledger.models import Deal

# ANSI/VT escape sequences (CSI, OSC, other ESC forms) and the remaining C0/C1 controls except \n and \t
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` safe to print on a terminal: escape sequences and control characters removed."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def render_deal(d: Deal) -> str:
    lines = [f"Deal {d.id}: {d.family or d.category or '?'} ({d.category or '?'}), {d.supplier or '?'} → {d.recipient or '?'}",
             f"  {len(d.claims)} claim(s) from {len({c.article.get('id') for c in d.claims})} article(s)"]
    for t in d.tranches:
        lines.append(f"  tranche {t.date or '(undated)'}: quantity {t.quantity if t.quantity is not None else '?'} "
                     f"[{', '.join(t.claims)}]")
    lines.append("  Claims:")
    for c in d.claims:
        src = c.article.get("outlet") or c.article.get("path") or c.article.get("id")
        q = "" if c.quantity is None else f" ×{c.quantity}{'?' if c.uncertain else ''}"
        flags = (" hedged" if c.hedged else "") + (f" denies {c.denies}" if c.denies else "")
        lines.append(f"  - {c.id} [{src}] {c.kind}: {c.stage} {c.designation or ''}{q} "
                     f"{c.date or ''}{' (' + c.granularity + ')' if c.granularity else ''}"
                     f"{' — ' + c.attribution if c.attribution else ''}{flags}")
        for field, ev in c.evidence.items():
            if field == "sentence":
                continue
            lines.append(f"      {field:<12} “{ev.quote}” @{ev.start}-{ev.end}")
        if "sentence" in c.evidence:
            lines.append(f"      sentence     “{c.evidence['sentence'].quote}”")
    contradictions = list(d.contradictions) + list(getattr(d, "checks", []) or [])
    if contradictions:
        lines.append("  Contradictions:")
        for x in contradictions:
            lines.append(f"  ! {x.field}: {x.description}")
            for side in x.sides:
                lines.append(f"      {side.get('value')!s:<30} claims {', '.join(side.get('claims', []))}")
    else:
        lines.append("  No contradictions.")
    return "\n".join(lines)


def render_reconcile(result: dict) -> str:
    lines = []
    for key in ("matched", "ledger_only", "register_only"):
        rows = result.get(key) or []
        lines.append(f"{key.replace('_', ' ')}: {len(rows)}")
        for r in rows[:50]:
            lines.append(f"  {r}")
    return "\n".join(lines)
