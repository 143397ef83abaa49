"""What the pages draw: evidence highlights, the deal timeline, flows and year charts.

Charts are SVG drawn on the server (no JavaScript, no CDN: the workbench works
offline). Every string that reaches markup goes through :func:`markupsafe.escape`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any, Iterable

from markupsafe import Markup, escape

from ...models import Claim

# fields with a highlight colour; anything else is "other"
FIELD_CLASSES = ("supplier", "recipient", "designation", "quantity", "stage", "date", "attribution", "hedged",
                 "terms", "maker", "category", "sentence")
STAGE_COLOURS = {"ordered": "#2b6cb0", "delivered": "#2f855a", "expected": "#b7791f", "pledged": "#6b46c1",
                 "denied": "#c53030"}


def field_class(name: str) -> str:
    base = name.split(".", 1)[0]
    return base if base in FIELD_CLASSES else "other"


@dataclass
class Segment:
    """A run of article text and the evidence spans covering it."""
    text: str
    marks: list[tuple[int, str]] = field(default_factory=list)  # (claim number, field)

    @property
    def css(self) -> str:
        """The class of the most telling field covering the segment (a field over the sentence)."""
        fields = [f for _, f in self.marks]
        named = [f for f in fields if f != "sentence"]
        return field_class(named[0] if named else fields[0]) if fields else ""

    @property
    def title(self) -> str:
        return "; ".join(f"claim {n}: {f}" for n, f in self.marks)

    @property
    def fields(self) -> str:
        return " ".join(sorted({f for _, f in self.marks}))


def segments(text: str, claims: Iterable[tuple[int, Claim]], with_sentences: bool = False) -> list[Segment]:
    """Split ``text`` at every evidence boundary; each piece lists the (claim, field) spans
    over it. Offsets outside the text are clipped; spans are never trusted as markup."""
    spans: list[tuple[int, int, int, str]] = []
    n = len(text)
    for num, c in claims:
        for name, ev in (c.evidence or {}).items():
            if name == "sentence" and not with_sentences:
                continue
            s, e = max(0, min(n, int(ev.start))), max(0, min(n, int(ev.end)))
            if e > s:
                spans.append((s, e, num, name))
    cuts = sorted({0, n, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out: list[Segment] = []
    # spans sorted by length, so the narrowest field comes first in a segment's marks
    spans.sort(key=lambda x: (x[1] - x[0], x[2]))
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        marks = [(num, name) for s, e, num, name in spans if s <= a and b <= e]
        out.append(Segment(text[a:b], marks))
    return out


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (``javascript:`` and the like are never linked)."""
    if not url:
        return None
    u = url.strip()
    low = u.lower()
    if (low.startswith("http://") or low.startswith("https://")) and not any(ch in u for ch in "\"'<> \n\r\t"):
        return u
    return None


# ---------------------------------------------------------------------------- svg helpers
def _attrs(**kw: Any) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in kw.items() if v is not None)


def _el(tag: str, text: str | None = None, **kw: Any) -> str:
    if text is None:
        return f"<{tag} {_attrs(**kw)}/>"
    return f"<{tag} {_attrs(**kw)}>{escape(text)}</{tag}>"


def _day_number(value: str | None) -> float | None:
    """A date string (YYYY, YYYY-MM, YYYY-MM-DD) as a day count (the middle of a month or year)."""
    if not value or len(value) < 4 or not value[:4].isdigit():
        return None
    try:
        y = int(value[:4])
        if len(value) >= 10:
            return _date(y, int(value[5:7]), int(value[8:10])).toordinal()
        if len(value) >= 7:
            return _date(y, int(value[5:7]), 15).toordinal()
        return _date(y, 7, 1).toordinal()
    except ValueError:
        return None


def timeline_svg(deal: Any, width: int = 860, max_points: int = 200) -> Markup:
    """Orders, tranches and every dated claim of a deal on one time axis."""
    rows: list[tuple[str, str | None, int | None, str, list[str]]] = []  # (lane, date, qty, stage, claims)
    for t in deal.orders:
        rows.append(("orders", t.date, t.quantity, "ordered", t.claims))
    for t in deal.tranches:
        rows.append(("tranches", t.date, t.quantity, "delivered", t.claims))
    others = [c for c in deal.claims if c.stage not in ("ordered", "delivered")]
    for c in others[:max_points]:
        rows.append(("other claims", c.date, c.quantity, c.stage or "?", [c.id]))
    rows = rows[:max_points * 3]
    days = [d for d in (_day_number(r[1]) for r in rows) if d is not None]
    lanes = ["orders", "tranches", "other claims"]
    height = 40 + 44 * len(lanes)
    parts = [f'<svg class="timeline" role="img" aria-label="timeline" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    if not days:
        parts.append(_el("text", "no dated orders or deliveries", x=10, y=24, class_="muted"))
        parts.append("</svg>")
        return Markup("".join(parts))
    lo, hi = min(days), max(days)
    if hi - lo < 60:
        lo, hi = lo - 45, hi + 45
    left, right = 110, width - 30

    def x(day: float) -> float:
        return round(left + (day - lo) / (hi - lo) * (right - left), 1)

    axis_y = height - 22
    parts.append(_el("line", x1=left, x2=right, y1=axis_y, y2=axis_y, class_="axis"))
    y0, y1 = _date.fromordinal(int(lo)).year, _date.fromordinal(int(hi)).year
    step = max(1, (y1 - y0 + 1) // 8)
    for year in range(y0, y1 + 1, step):
        d = _date(year, 1, 1).toordinal()
        if lo <= d <= hi:
            parts.append(_el("line", x1=x(d), x2=x(d), y1=axis_y, y2=axis_y + 5, class_="axis"))
            parts.append(_el("text", str(year), x=x(d), y=axis_y + 17, class_="tick"))
    for i, lane in enumerate(lanes):
        ly = 30 + 44 * i
        parts.append(_el("text", lane, x=8, y=ly + 4, class_="lane"))
        parts.append(_el("line", x1=left, x2=right, y1=ly, y2=ly, class_="lane-line"))
        k = 0
        for lane_name, when, qty, stage, claims in sorted((r for r in rows if r[0] == lane),
                                                          key=lambda r: _day_number(r[1]) or 0):
            d = _day_number(when)
            if d is None:
                continue
            k += 1
            label = f"{when}" + (f" ×{qty}" if qty is not None else "")
            colour = STAGE_COLOURS.get(stage, "#4a5568")
            parts.append(f'<g class="event stage-{escape(stage)}"><title>{escape(stage)} {escape(label)}: '
                         f'{escape(", ".join(claims))}</title>'
                         + _el("circle", cx=x(d), cy=ly, r=7, fill=colour)
                         + _el("text", label, x=x(d), y=ly - 11 if k % 2 else ly + 19, class_="ev-label") + "</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def flows_chart_data(flows: list[dict[str, Any]], years: list[dict[str, Any]], name: Any = str) -> dict[str, Any]:
    """What static/flows.js draws with the bundled Chart.js: Sankey links (a recipient node is kept
    apart from the same country as a supplier, "→ " marks it) with display labels, and years."""
    labels: dict[str, str] = {}
    links = []
    for f in flows:
        src, dst = f"s:{f['supplier']}", f"r:{f['recipient']}"
        labels[src] = str(name(f["supplier"]))
        labels[dst] = "→ " + str(name(f["recipient"]))
        links.append({"from": src, "to": dst, "deals": f["deals"], "units": f["units"]})
    return {"flows": links, "labels": labels,
            "years": [{"year": y["year"], "deals": y["deals"], "with_delivery": y["with_delivery"]} for y in years]}


def flows_svg(flows: list[dict[str, Any]], name: Any = str, width: int = 900) -> Markup:
    """A Sankey-style diagram: suppliers on the left, recipients on the right, one band
    per pair, as thick as its number of deals."""
    if not flows:
        return Markup('<p class="muted">No supplier → recipient flows for this filter.</p>')
    sup_tot: dict[str, int] = {}
    rec_tot: dict[str, int] = {}
    for f in flows:
        sup_tot[f["supplier"]] = sup_tot.get(f["supplier"], 0) + f["deals"]
        rec_tot[f["recipient"]] = rec_tot.get(f["recipient"], 0) + f["deals"]
    total = sum(f["deals"] for f in flows)
    gap = 8
    n_nodes = max(len(sup_tot), len(rec_tot))
    height = max(200, min(1400, 26 * n_nodes + 80))
    usable = height - 40 - gap * (n_nodes - 1)
    unit = max(0.5, usable / total)
    left_x, right_x, node_w = 170, width - 170, 14

    def place(tot: dict[str, int]) -> dict[str, list[float]]:
        pos, y = {}, 20.0
        for key, v in sorted(tot.items(), key=lambda kv: (-kv[1], kv[0])):
            pos[key] = [y, y]  # top, running offset for bands
            y += v * unit + gap
        return pos

    sp, rp = place(sup_tot), place(rec_tot)
    parts = [f'<svg class="flows" role="img" aria-label="supplier to recipient flows" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for f in sorted(flows, key=lambda f: (-f["deals"], f["supplier"], f["recipient"])):
        th = f["deals"] * unit
        s, r = sp[f["supplier"]], rp[f["recipient"]]
        ya, yb = s[1] + th / 2, r[1] + th / 2
        s[1] += th
        r[1] += th
        x0, x1 = left_x + node_w, right_x
        mid = (x0 + x1) / 2
        d = f"M{x0},{ya:.1f} C{mid},{ya:.1f} {mid},{yb:.1f} {x1},{yb:.1f}"
        parts.append(f'<path class="band" d="{escape(d)}" stroke-width="{max(1.0, th):.1f}">'
                     f'<title>{escape(name(f["supplier"]))} → {escape(name(f["recipient"]))}: '
                     f'{f["deals"]} deal(s), {f["units"]} unit(s)</title></path>')
    for pos, tot, x, anchor, tx in ((sp, sup_tot, left_x, "end", left_x - 6),
                                    (rp, rec_tot, right_x, "start", right_x + node_w + 6)):
        for key, (top, _) in pos.items():
            h = max(2.0, tot[key] * unit)
            parts.append(_el("rect", x=x, y=round(top, 1), width=node_w, height=round(h, 1), class_="node"))
            parts.append(_el("text", f"{name(key)} ({tot[key]})", x=tx, y=round(top + h / 2 + 4, 1),
                             text_anchor=anchor, class_="node-label"))
    parts.append("</svg>")
    return Markup("".join(parts))


def years_svg(years: list[dict[str, Any]], width: int = 900, height: int = 220) -> Markup:
    """Bars: deals per year, the part with a delivery darker."""
    if not years:
        return Markup('<p class="muted">No dated deals for this filter.</p>')
    top = max(y["deals"] for y in years) or 1
    n = len(years)
    left, bottom = 30, height - 24
    bw = max(4.0, min(40.0, (width - left - 10) / n - 4))
    parts = [f'<svg class="years" role="img" aria-label="deals by year" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(_el("line", x1=left, x2=width - 5, y1=bottom, y2=bottom, class_="axis"))
    for i, y in enumerate(years):
        x = left + i * (bw + 4)
        h = (bottom - 20) * y["deals"] / top
        hd = (bottom - 20) * y["with_delivery"] / top
        parts.append(f'<g class="bar"><title>{escape(str(y["year"]))}: {y["deals"]} deal(s), '
                     f'{y["with_delivery"]} with a delivery</title>'
                     + _el("rect", x=round(x, 1), y=round(bottom - h, 1), width=round(bw, 1), height=round(h, 1),
                           class_="bar-all")
                     + _el("rect", x=round(x, 1), y=round(bottom - hd, 1), width=round(bw, 1), height=round(hd, 1),
                           class_="bar-delivered") + "</g>")
        parts.append(_el("text", str(y["deals"]), x=round(x + bw / 2, 1), y=round(bottom - h - 4, 1),
                         text_anchor="middle", class_="tick"))
        if n <= 30 or i % max(1, n // 15) == 0:
            parts.append(_el("text", str(y["year"]), x=round(x + bw / 2, 1), y=bottom + 15, text_anchor="middle",
                             class_="tick"))
    parts.append("</svg>")
    return Markup("".join(parts))
