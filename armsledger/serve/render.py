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
    # the deal's own contradictions (the count every view gives), then the running-total checks
    sections = [("Contradictions", list(d.contradictions)),
                ("Running totals that do not add up", list(getattr(d, "checks", []) or []))]
    for heading, contradictions in sections:
        if not contradictions:
            continue
        lines.append(f"  {heading} ({len(contradictions)}):")
        for x in contradictions:
            lines.append(f"  ! {x.field}: {x.description}")
            for side in x.sides:
                srcs = side.get("sources") or []
                named = "; ".join(f"{s.get('outlet') or s.get('article') or '?'}"
                                  f"{', ' + s['published'] if s.get('published') else ''}" for s in srcs)
                more = (side.get("n_sources") or 0) - len(srcs)
                if named and more > 0:
                    named += f"; and {more} more"
                lines.append(f"      {side.get('value')!s:<30} claims {', '.join(side.get('claims', []))}"
                             + (f" ({named})" if named else ""))
    if not d.contradictions:
        lines.append("  No contradictions.")
    totals = getattr(d, "totals", None) or []
    if totals:
        lines.append(f"  Running totals stated ({len(totals)}):")
        for t in totals:
            verdict = {True: "agrees with", False: "does not match", None: "cannot be checked against"}[t["consistent"]]
            src = t.get("source") or {}
            lines.append(f"  = {t['stated']} {t['scope'] or 'items'} as of {t['as_of'] or '?'} "
                         f"({src.get('outlet') or '?'}, {src.get('published') or '?'}) {verdict} the ledger sum "
                         f"{t['ledger_sum']}  [{t['claim']}]")
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


def _plain(v) -> str:
    if isinstance(v, (list, tuple, set)):
        return ", ".join(str(x) for x in v) or "none"
    return str(v)


def _diff_text(diffs: dict) -> str:
    return "; ".join(f"{k}: {_plain(v.get('ledger'))} (ledger) vs {_plain(v.get('register'))} (register)"
                     for k, v in diffs.items())


def _years_text(row: dict) -> str:
    order = f"ordered {row['order_year']}" if row.get("order_year") else ""
    delivered = ("delivered " + ", ".join(map(str, row["delivery_years"]))) if row.get("delivery_years") else ""
    return "; ".join(p for p in (order, delivered) if p)


def reconcile_rows(result: dict) -> list[dict]:
    """One flat row per matched pair, ledger-only deal and register-only row (CSV and table)."""
    rows = []
    for m in result.get("matched") or []:
        r = m["register"]
        rows.append({"section": "matched", "deal": m["deal"], "supplier": m.get("supplier") or "",
                     "recipient": m.get("recipient") or "", "ledger": m.get("family") or "",
                     "register": r["designation"], "register_line": r.get("line") or "",
                     "register_years": _years_text(r), "why": m.get("why", ""),
                     "differences": _diff_text(m.get("differences") or {})})
    for d in result.get("ledger_only") or []:
        rows.append({"section": "ledger only", "deal": d["deal"], "supplier": d.get("supplier") or "",
                     "recipient": d.get("recipient") or "", "ledger": d.get("family") or d.get("designation") or "",
                     "register": "", "register_line": "", "register_years": "", "why": "no register row matches",
                     "differences": ""})
    for r in result.get("register_only") or []:
        rows.append({"section": "register only", "deal": "", "supplier": r["supplier"], "recipient": r["recipient"],
                     "ledger": "", "register": r["designation"], "register_line": r.get("line") or "",
                     "register_years": _years_text(r), "why": "no ledger deal matches", "differences": ""})
    return rows


def render_reconcile(result: dict, limit: int | None = None) -> str:
    """Matched pairs (with why and differences), ledger-only deals and register-only rows as
    tables; ``limit`` cuts each section to that many rows and says how many were left out."""
    import io

    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=200, no_color=True, highlight=False)
    rows = reconcile_rows(result)
    for section, cols in (("matched", ("deal", "supplier", "recipient", "ledger", "register", "register_line",
                                       "register_years", "why", "differences")),
                          ("ledger only", ("deal", "supplier", "recipient", "ledger")),
                          ("register only", ("supplier", "recipient", "register", "register_line",
                                             "register_years"))):
        mine = [r for r in rows if r["section"] == section]
        console.print(f"{section}: {len(mine)}", markup=False)
        shown = mine if not limit else mine[:limit]
        if shown:
            t = Table(show_lines=False)
            for c in cols:
                t.add_column(c.replace("_", " "), overflow="fold")
            for r in shown:
                t.add_row(*[strip_controls(str(r[c])) for c in cols])
            console.print(t)
        if len(shown) < len(mine):
            console.print(f"  ... {len(mine) - len(shown)} more (--limit 0 lists all)", markup=False)
    return buf.getvalue().rstrip("\n")
