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


def _source_line(meta: dict) -> str:
    """"Coastal Daily · 2023-05-13 · “title” · https://..." from an article's metadata."""
    parts = [meta.get("outlet") or "(outlet unknown)", meta.get("published") or "(date unknown)"]
    if meta.get("title"):
        parts.append(f"“{meta['title']}”")
    parts.append(meta.get("url") or meta.get("path") or f"article {meta.get('id')}")
    return " · ".join(str(p) for p in parts)


def render_deal(d: Deal) -> str:
    """A deal for the terminal: its tranches, every claim with its source (outlet, date, title,
    URL) and quotes, and its contradictions naming the outlet and date on each side."""
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
        lines.append(f"      source       {_source_line(c.article)}")
        sent = c.evidence.get("sentence")
        for field, ev in c.evidence.items():
            if field == "sentence":
                continue
            elsewhere = sent is not None and not (sent.start <= ev.start and ev.end <= sent.end)
            lines.append(f"      {field:<12} “{ev.quote}” @{ev.start}-{ev.end}"
                         + ("  (from another sentence; see `armsledger article`)" if elsewhere else ""))
        if sent is not None:
            lines.append(f"      sentence     “{sent.quote}”")
    contradictions = list(d.contradictions) + list(getattr(d, "checks", []) or [])
    if contradictions:
        lines.append("  Contradictions:")
        for x in contradictions:
            lines.append(f"  ! {x.field}: {x.description}")
            for side in x.sides:
                srcs = side.get("sources") or []
                named = "; ".join(f"{s.get('outlet') or s.get('article') or '?'}"
                                  f"{', ' + s['published'] if s.get('published') else ''}" for s in srcs)
                lines.append(f"      {side.get('value')!s:<30} claims {', '.join(side.get('claims', []))}"
                             + (f" ({named})" if named else ""))
    else:
        lines.append("  No contradictions.")
    return strip_controls("\n".join(lines))


def render_article(article, claims: list) -> str:
    """A stored article with each claim's evidence marked in its text: «quote»[field #n], where #n
    is the claim's number in the list below the text."""
    marks: dict[tuple[int, int], list[str]] = {}
    for n, c in enumerate(claims):
        for field, ev in c.evidence.items():
            if field != "sentence" and 0 <= ev.start < ev.end <= len(article.text):
                marks.setdefault((ev.start, ev.end), []).append(f"{field} #{n}")
    opens: dict[int, list[tuple[int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}
    for (start, end), labels in marks.items():
        label = "[" + ", ".join(dict.fromkeys(labels)) + "]"
        opens.setdefault(start, []).append((end, "«"))
        closes.setdefault(end, []).append((start, "»" + label))
    text = article.text
    out: list[str] = []
    for i in range(len(text) + 1):
        for _start, label in sorted(closes.get(i, []), reverse=True):  # inner spans close first
            out.append(label)
        for _end, mark in sorted(opens.get(i, []), reverse=True):  # outer spans open first
            out.append(mark)
        if i < len(text):
            out.append(text[i])
    lines = [f"Article {article.id}",
             f"  outlet     {article.outlet or '(unknown)'}",
             f"  published  {article.published or '(unknown)'}",
             f"  title      {article.title or '(none)'}",
             f"  url        {article.url or '(none)'}",
             f"  file       {article.path or '(none)'}",
             "", "".join(out), "", f"Claims ({len(claims)}):"]
    for n, c in enumerate(claims):
        q = "" if c.quantity is None else f" ×{c.quantity}"
        lines.append(f"  #{n} {c.id} {c.kind}: {c.supplier or '?'} → {c.recipient or '?'} {c.stage or '?'} "
                     f"{c.designation or c.category or '?'}{q} {c.date or ''}")
    return strip_controls("\n".join(lines))


def render_reconcile(result: dict) -> str:
    lines = []
    for key in ("matched", "ledger_only", "register_only"):
        rows = result.get(key) or []
        lines.append(f"{key.replace('_', ' ')}: {len(rows)}")
        for r in rows[:50]:
            lines.append(f"  {r}")
    return "\n".join(lines)
