"""Reconcile a ledger with a SIPRI trade register (the CSV export).

``read_sipri(path)`` parses the register (11-line preamble, the three unnamed
"?" columns, country names). ``reconcile(deals, rows)`` matches ledger deals
to register rows by (recipient, supplier, family) — names ↔ ISO3 through the
gazetteer (with a built-in table of SIPRI spellings as fallback) — and
reports matches (with their differences), deals in the ledger only, and
register rows only, restricted to the supplier/recipient pairs present in
the ledger.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from ..models import Deal
from .export import _deal_facts, _row_facts, country_code

# positions in a register row
_COLS = ("recipient", "supplier", "order_year", "order_year_uncertain", "ordered", "ordered_uncertain",
         "designation", "description", "delivered", "delivered_uncertain", "delivery_years", "status",
         "comments", "tiv_unit", "tiv_order", "tiv_delivered")


def _int(v: str | None) -> int | None:
    v = (v or "").strip()
    return int(v) if re.fullmatch(r"\d+", v) else None


def _float(v: str | None) -> float | None:
    try:
        return float((v or "").strip())
    except ValueError:
        return None


def _read_text(path: str | Path) -> str:
    raw = Path(path).read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1", errors="replace")


def read_sipri(path: str | Path, recipients: Iterable[str] | None = None,
               suppliers: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Parse a SIPRI trade-register CSV export.

    Skips the preamble (everything before the ``Recipient,Supplier,...``
    header). Each row becomes a dict: recipient, supplier (names as SIPRI
    writes them), order_year (int|None), order_year_uncertain, ordered,
    ordered_uncertain, designation, description, delivered,
    delivered_uncertain, delivery_years (list[int]), status, comments,
    tiv_unit, tiv_order, tiv_delivered, line (1-based line number).
    ``recipients`` / ``suppliers``: keep only rows with these names.
    """
    rec = {r.lower() for r in recipients} if recipients else None
    sup = {s.lower() for s in suppliers} if suppliers else None
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[dict[str, Any]] = []
    header_seen = False
    for rownum, row in enumerate(reader, 1):
        if not header_seen:
            if len(row) >= 2 and row[0].strip() == "Recipient" and row[1].strip() == "Supplier":
                header_seen = True
            continue
        if len(row) < 13 or not row[0].strip() or _int(row[2]) is None and row[2].strip():
            continue  # blank or malformed line
        row = row + [""] * (len(_COLS) - len(row))
        d = dict(zip(_COLS, (x.strip() for x in row[:len(_COLS)])))
        if rec is not None and d["recipient"].lower() not in rec:
            continue
        if sup is not None and d["supplier"].lower() not in sup:
            continue
        out.append({
            "recipient": d["recipient"], "supplier": d["supplier"],
            "order_year": _int(d["order_year"]), "order_year_uncertain": d["order_year_uncertain"] == "?",
            "ordered": _int(d["ordered"]), "ordered_uncertain": d["ordered_uncertain"] == "?",
            "designation": d["designation"], "description": d["description"],
            "delivered": _int(d["delivered"]), "delivered_uncertain": d["delivered_uncertain"] == "?",
            "delivery_years": [int(y) for y in re.findall(r"\d{4}", d["delivery_years"])],
            "status": d["status"], "comments": d["comments"],
            "tiv_unit": _float(d["tiv_unit"]), "tiv_order": _float(d["tiv_order"]),
            "tiv_delivered": _float(d["tiv_delivered"]), "line": rownum,
        })
    if not header_seen:
        raise ValueError(f"{path}: no 'Recipient,Supplier,...' header found; not a SIPRI trade register")
    return out


# ---------------------------------------------------------------------------
# matching
# ---------------------------------------------------------------------------

def _tokens(s: str | None) -> list[str]:
    return [t for t in (re.sub(r"[^a-z0-9]", "", w) for w in re.split(r"[\s/,;()]+", (s or "").lower())) if t]


def _compact(s: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def family_match(family: str | None, designation: str | None, comments: str = "") -> int:
    """Strength of a ledger family ↔ SIPRI designation match: 3 same, 2 one is the
    other's leading words or a "/"-alternative ("59N6" ~ "59N6 Protivnik-GE",
    "Mi-35P" ~ "Mi-24P/Mi-35P"), 1 named in SIPRI's comments, 0 no match."""
    if not family or not designation:
        return 0
    f, d = _compact(family), _compact(designation)
    if not f or not d:
        return 0
    if f == d:
        return 3
    ft, dt = _tokens(family), _tokens(designation)
    if ft and dt and (dt[:len(ft)] == ft or ft[:len(dt)] == dt):
        return 2
    f_alts = {_compact(x) for x in family.split("/") if _compact(x)}
    d_alts = {_compact(x) for x in designation.split("/") if _compact(x)}
    if f_alts & d_alts:
        return 2
    if comments and len(f) >= 3:
        if any(re.search(r"(?<![a-z0-9])" + re.escape(a) + r"(?![0-9])", _compact_words(comments))
               for a in f_alts | {f}):
            return 1
    return 0


def _compact_words(text: str) -> str:
    # "Mi-171Sh armed version" → "mi171sh armed version": words kept, punctuation inside words dropped
    return " ".join(_compact(w) for w in text.split())


def _facts(deal: Deal | dict[str, Any]) -> dict[str, Any]:
    if isinstance(deal, dict):
        f = _row_facts(deal)
        f.update(id=deal.get("id"), supplier=deal.get("supplier"), recipient=deal.get("recipient"),
                 family=deal.get("family"), category=deal.get("category"))
    else:
        f = _deal_facts(deal)
        f.update(id=deal.id, supplier=deal.supplier, recipient=deal.recipient, family=deal.family,
                 category=deal.category)
    return f


def _year_score(f: dict[str, Any], row: dict[str, Any]) -> int:
    score = 0
    ly, ry = set(f["delivery_years"]), set(row["delivery_years"])
    if ly & ry:
        score += 3
    if f["order_year"] is not None and f["order_year"] == row["order_year"]:
        score += 2
    years = ly | ({f["order_year"]} if f["order_year"] else set())
    ryears = ry | ({row["order_year"]} if row["order_year"] else set())
    if years and ryears and min(abs(a - b) for a in years for b in ryears) <= 1:
        score += 1
    return score


MAX_YEAR_GAP = 2  # a deal and a register row further apart than this never match
YEAR_MARGIN = 2  # register rows kept: within this many years of the ledger's own years


def _years(f: dict[str, Any]) -> set[int]:
    return set(f.get("delivery_years") or []) | ({f["order_year"]} if f.get("order_year") else set())


def _gap(f: dict[str, Any], row: dict[str, Any]) -> int | None:
    """The fewest years between a deal's years and a register row's, None when either has none."""
    ly, ry = _years(f), _years(row)
    if not ly or not ry:
        return None
    return min(abs(a - b) for a in ly for b in ry)


def _why(strength: int, f: dict[str, Any], row: dict[str, Any]) -> str:
    """In words, why a deal and a register row were matched."""
    label = f.get("family") or (f["designations"][0] if f.get("designations") else "?")
    how = {3: f"same designation ({label})", 2: f"{label} ~ {row['designation']}",
           1: f"{label} named in the register's comments"}[strength]
    parts = [how]
    common = sorted(set(f.get("delivery_years") or []) & set(row["delivery_years"]))
    if common:
        parts.append("delivered in " + ", ".join(map(str, common)) + " in both")
    if f.get("order_year") and f["order_year"] == row["order_year"]:
        parts.append(f"ordered in {row['order_year']} in both")
    gap = _gap(f, row)
    if not common and not (f.get("order_year") and f["order_year"] == row["order_year"]):
        parts.append("no year to compare" if gap is None else f"years {gap} apart")
    return "; ".join(parts)


def _status(f: dict[str, Any]) -> str | None:
    terms = f.get("terms") or {}
    if terms.get("second_hand"):
        return "Second hand"
    if terms.get("new"):
        return "New"
    return None


def _differences(f: dict[str, Any], row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    diffs: dict[str, dict[str, Any]] = {}

    def cmp(name: str, mine: Any, theirs: Any) -> None:
        if mine is not None and theirs not in (None, [], "") and mine != theirs:
            diffs[name] = {"ledger": mine, "register": theirs}

    cmp("number ordered", f["ordered"], row["ordered"])
    cmp("number delivered", f["delivered"], row["delivered"])
    cmp("year of order", f["order_year"], row["order_year"])
    cmp("years of delivery", f["delivery_years"] or None, row["delivery_years"])
    if f.get("category") and row["description"] and f["category"].lower() != row["description"].lower():
        diffs["description"] = {"ledger": f["category"], "register": row["description"]}
    mine = _status(f)
    theirs = (row.get("status") or "").strip()
    if mine and theirs and mine.lower() != theirs.lower():
        diffs["status"] = {"ledger": mine, "register": theirs}
    elif theirs.lower() == "second hand" and not mine:
        diffs["status"] = {"ledger": "not stated", "register": theirs}
    return diffs


def reconcile(deals: Iterable[Deal | dict[str, Any]], sipri_rows: list[dict[str, Any]],
              name_to_code: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """Match ledger deals (full Deals or ``Store.ledger`` rows) to register rows.

    Returns {"matched": [{"deal", "family", "designation", "line", "strength",
    "differences", "register": row}], "ledger_only": [{"deal", "supplier",
    "recipient", "family", "category"}], "register_only": [row, ...],
    "pairs": [[supplier, recipient], ...], "summary": {...}}. Register rows
    are considered only for the (supplier, recipient) pairs of the ledger.
    Matching is one-to-one, best family match first, then year agreement.
    """
    to_code = name_to_code or country_code
    facts = [_facts(d) for d in deals]
    pairs = {(str(f["supplier"] or "").upper(), str(f["recipient"] or "").upper()) for f in facts}
    cache: dict[str, str | None] = {}

    def code(name: str) -> str:
        if name not in cache:
            cache[name] = to_code(name)
        return (cache[name] or name).upper()

    # the register as far as the ledger covers it: its pairs, and years near the ledger's own
    covered: dict[tuple[str, str], set[int]] = {}
    for f in facts:
        pair = (str(f["supplier"] or "").upper(), str(f["recipient"] or "").upper())
        covered.setdefault(pair, set()).update(_years(f))

    def in_scope(r: dict[str, Any]) -> bool:
        pair = (code(r["supplier"]), code(r["recipient"]))
        if pair not in covered:
            return False
        ly, ry = covered[pair], _years(r)
        if not ly or not ry:
            return True
        return min(ly) - YEAR_MARGIN <= max(ry) and min(ry) <= max(ly) + YEAR_MARGIN

    candidates = [r for r in sipri_rows if in_scope(r)]

    scored = []
    for i, f in enumerate(facts):
        pair = (str(f["supplier"] or "").upper(), str(f["recipient"] or "").upper())
        label = f["family"] or (f["designations"][0] if f["designations"] else None)
        for j, r in enumerate(candidates):
            if (code(r["supplier"]), code(r["recipient"])) != pair:
                continue
            strength = family_match(label, r["designation"], r.get("comments") or "")
            gap = _gap(f, r)
            if strength and (gap is None or gap <= MAX_YEAR_GAP):
                scored.append((strength, _year_score(f, r), -i, -j, i, j))
    scored.sort(reverse=True)
    used_d: set[int] = set()
    used_r: set[int] = set()
    matched = []
    for strength, ys, _, _, i, j in scored:
        if i in used_d or j in used_r:
            continue
        used_d.add(i)
        used_r.add(j)
        f, r = facts[i], candidates[j]
        matched.append({"deal": f["id"], "supplier": f["supplier"], "recipient": f["recipient"],
                        "family": f["family"], "designation": r["designation"],
                        "line": r.get("line"), "strength": strength, "year_score": ys,
                        "why": _why(strength, f, r),
                        "differences": _differences(f, r), "register": r})
    matched.sort(key=lambda m: (m["line"] or 0))
    ledger_only = [{"deal": f["id"], "supplier": f["supplier"], "recipient": f["recipient"],
                    "family": f["family"], "category": f["category"],
                    "designation": f["designations"][0] if f["designations"] else None}
                   for i, f in enumerate(facts) if i not in used_d]
    register_only = [r for j, r in enumerate(candidates) if j not in used_r]
    return {
        "matched": matched, "ledger_only": ledger_only, "register_only": register_only,
        "pairs": sorted([list(p) for p in pairs]),
        "summary": {"deals": len(facts), "register_rows": len(candidates), "matched": len(matched),
                    "ledger_only": len(ledger_only), "register_only": len(register_only),
                    "with_differences": sum(1 for m in matched if m["differences"])},
    }
