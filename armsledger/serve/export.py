"""Exports: ledger rows for CSV/JSON, and the SIPRI trade-register layout.

``to_sipri(deals)`` writes one row per deal in the column layout of SIPRI's
trade-register CSV export (``SIPRI_HEADER``); the three unnamed columns hold
"?" when the value before them is uncertain. Countries are written with the
names SIPRI uses, taken from the gazetteer when available.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from typing import IO, Any, Iterable

from ..models import Claim, Deal

SIPRI_HEADER = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " ", "Weapon designation",
                "Weapon description", "Number delivered", " ", "Year(s) of delivery", "status", "Comments"]
# dict keys for the same columns (the unnamed "?" columns get names)
SIPRI_KEYS = ["Recipient", "Supplier", "Year of order", "Year of order ?", "Number ordered", "Number ordered ?",
              "Weapon designation", "Weapon description", "Number delivered", "Number delivered ?",
              "Year(s) of delivery", "status", "Comments"]

LEDGER_FIELDS = ["id", "supplier", "recipient", "family", "category", "cgroup", "designations", "stages",
                 "quantity_ordered", "quantity_delivered", "quantity_uncertain", "order_date", "first_date",
                 "last_date", "delivery_years", "n_claims", "n_articles", "n_contradictions", "hedged", "terms"]

from ..sipri import code_of as fallback_code  # noqa: E402  (SIPRI spellings: data/sipri_countries.json)
from ..sipri import name_of as _sipri_name  # noqa: E402



# ---------------------------------------------------------------------------
# countries
# ---------------------------------------------------------------------------

_gazetteer: Any = None
_gazetteer_failed = False


def _gaz() -> Any:
    global _gazetteer, _gazetteer_failed
    if _gazetteer is None and not _gazetteer_failed:
        try:
            from ..gazetteer import Gazetteer  # type: ignore[import-not-found]
            _gazetteer = Gazetteer.default()
        except Exception:  # module absent or broken: fall back to the table above
            _gazetteer_failed = True
    return _gazetteer


def country_name(code: str | None) -> str:
    """The name SIPRI writes for an ISO3 code (the code itself if unknown)."""
    if not code:
        return ""
    if _sipri_name(code):  # SIPRI's own spelling first ("Turkiye", "UAE", "Viet Nam")
        return _sipri_name(code)
    g = _gaz()
    if g is not None:
        try:
            actor = g.country(code)
            if actor is not None and getattr(actor, "name", None):
                return actor.name
        except Exception:
            pass
    return code


def country_code(name: str | None) -> str | None:
    """ISO3 code for a country name (SIPRI spelling or common aliases), else None."""
    if not name:
        return None
    code = fallback_code(name)
    if code:
        return code
    g = _gaz()
    if g is not None:
        try:
            hit = g.lookup(name)
        except Exception:
            hit = None
        if hit is not None and getattr(hit, "kind", "state") == "state" and getattr(hit, "code", None):
            return hit.code
    return None


# ---------------------------------------------------------------------------
# ledger rows
# ---------------------------------------------------------------------------

def to_rows(ledger_rows: Iterable[dict[str, Any]], flat: bool = True) -> list[dict[str, Any]]:
    """Ledger rows (from ``Store.ledger``) ready for CSV (``flat``: lists joined
    with "; ", terms as "purchase; value=$61 m", booleans as yes/empty) or JSON
    (``flat=False``: values kept)."""
    out = []
    for row in ledger_rows:
        r = {k: row.get(k) for k in LEDGER_FIELDS}
        for k, v in row.items():
            if k not in r:
                r[k] = v
        if flat:
            for k, v in list(r.items()):
                if isinstance(v, (list, tuple, set)):
                    r[k] = "; ".join(str(x) for x in v)
                elif isinstance(v, dict):  # terms: "purchase; value=$61 m", no JSON in a cell
                    r[k] = "; ".join(str(key) if val is True else f"{key}={val}"
                                     for key, val in sorted(v.items()) if val not in (None, False, ""))
                elif isinstance(v, bool):
                    r[k] = "yes" if v else ""
                elif v is None:
                    r[k] = ""
        out.append(r)
    return out


def write_csv(ledger_rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    rows = to_rows(ledger_rows, flat=True)
    fields = list(LEDGER_FIELDS)
    for r in rows:
        fields.extend(k for k in r if k not in fields)
    w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return len(rows)


def write_json(ledger_rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    rows = to_rows(ledger_rows, flat=False)
    json.dump(rows, fh, ensure_ascii=False, indent=2)
    fh.write("\n")
    return len(rows)


# ---------------------------------------------------------------------------
# SIPRI layout
# ---------------------------------------------------------------------------

def _best(quantities: list[int]) -> tuple[int | None, bool]:
    if not quantities:
        return None, False
    votes = Counter(quantities)
    best = max(votes, key=lambda q: (votes[q], q))
    return best, len(votes) > 1


def _year(d: str | None) -> int | None:
    return int(d[:4]) if d and d[:4].isdigit() else None


def _deal_facts(deal: Deal) -> dict[str, Any]:
    """The facts a SIPRI row needs, from a full Deal."""
    by_id: dict[str, Claim] = {c.id: c for c in deal.claims}
    terms: dict[str, Any] = {}
    for c in deal.claims:
        for k, v in (c.terms or {}).items():
            if isinstance(v, bool):
                terms[k] = bool(terms.get(k)) or v
            elif v not in (None, "") and k not in terms:
                terms[k] = v

    def total(groups: list) -> tuple[int | None, bool]:
        s, any_q, unc = 0, False, False
        for g in groups:
            members = [by_id[i] for i in g.claims if i in by_id]
            q, disagree = _best([c.quantity for c in members if c.quantity is not None])
            if q is None:
                unc = True
            else:
                s += q
                any_q = True
            unc = unc or disagree or any(c.uncertain or c.hedged for c in members)
        return (s if any_q else None), unc

    orders = getattr(deal, "orders", None) or []
    ordered, ord_unc = total(orders)
    delivered, del_unc = total(deal.tranches)
    order_years = sorted(y for y in (_year(o.date) for o in orders) if y)
    order_claims = [by_id[i] for o in orders for i in o.claims if i in by_id]
    order_year_unc = any(c.hedged or c.granularity is None and c.date is None for c in order_claims)
    years = sorted({y for y in (_year(t.date) for t in deal.tranches) if y})
    designations: list[str] = []
    has_family = any(c.family for c in deal.claims)
    for c in deal.claims:
        if c.designation and (c.family or not has_family) and c.designation not in designations:
            designations.append(c.designation)
    return {"ordered": ordered, "ordered_uncertain": ord_unc, "delivered": delivered,
            "delivered_uncertain": del_unc, "order_year": order_years[0] if order_years else None,
            "order_year_uncertain": order_year_unc, "delivery_years": years, "terms": terms,
            "designations": designations, "n_contradictions": len(deal.contradictions),
            "hedged": any(c.hedged for c in deal.claims)}


def _row_facts(row: dict[str, Any]) -> dict[str, Any]:
    """The same facts from a ledger row (``Store.ledger``)."""
    unc = bool(row.get("quantity_uncertain")) or bool(row.get("hedged"))
    return {"ordered": row.get("quantity_ordered"), "ordered_uncertain": unc,
            "delivered": row.get("quantity_delivered"), "delivered_uncertain": unc,
            "order_year": _year(row.get("order_date")), "order_year_uncertain": bool(row.get("hedged")),
            "delivery_years": list(row.get("delivery_years") or []), "terms": dict(row.get("terms") or {}),
            "designations": [d for d in (row.get("designations") or []) if d],
            "n_contradictions": row.get("n_contradictions") or 0, "hedged": bool(row.get("hedged"))}


def sipri_row(deal: Deal | dict[str, Any]) -> dict[str, str]:
    """One deal as a SIPRI register row (keys: ``SIPRI_KEYS``)."""
    if isinstance(deal, dict):
        f = _row_facts(deal)
        get = deal.get
    else:
        f = _deal_facts(deal)
        get = lambda k: getattr(deal, k, None)  # noqa: E731
    q = lambda flag: "?" if flag else ""  # noqa: E731
    terms = f["terms"]

    order_year, oy_unc = f["order_year"], f["order_year_uncertain"]
    if order_year is None and f["delivery_years"]:
        order_year, oy_unc = f["delivery_years"][0], True  # order year inferred from the first delivery
    ordered, o_unc = f["ordered"], f["ordered_uncertain"]
    if ordered is None and f["delivered"] is not None:
        ordered, o_unc = f["delivered"], True  # number ordered inferred from deliveries
    family = get("family")
    designation = family or (f["designations"][0] if f["designations"] else "")

    if not isinstance(deal, dict) and terms.get("second_hand") and not _second_hand_stated(deal):
        terms = {k: v for k, v in terms.items() if k != "second_hand"}
    status = ""
    if terms.get("second_hand"):
        status = "Second hand"
    elif terms.get("new"):
        status = "New"
    elif terms.get("aid"):
        status = "Aid"
    if not _confirmed(deal):  # exported only on request (include_unconfirmed): say what it is
        stages = set(deal.get("stages") or []) if isinstance(deal, dict) else {c.stage for c in deal.claims}
        status = "Denied" if "denied" in stages else ("Pledged" if "pledged" in stages else "Expected")
        status += " (not confirmed)"
    comments = []
    if terms.get("value"):
        comments.append(f"{terms['value']} deal")
    if terms.get("second_hand"):
        comments.append("second-hand")
    if terms.get("aid"):
        comments.append("aid")
    if terms.get("lease"):
        comments.append("leased")
    if terms.get("licence"):
        comments.append("licence production")
    if family:
        variants = [d for d in f["designations"] if d.lower() != family.lower()]
        if variants:
            comments.append("reported as " + ", ".join(variants[:5]))
    if f["hedged"]:
        comments.append("unconfirmed reports")
    if f["n_contradictions"]:
        comments.append(f"{f['n_contradictions']} contradiction(s) between sources")
    comment = "; ".join(comments)
    if comment:
        comment = comment[0].upper() + comment[1:]

    values = [country_name(get("recipient")), country_name(get("supplier")),
              "" if order_year is None else str(order_year), q(order_year is not None and oy_unc),
              "" if ordered is None else str(ordered), q(ordered is not None and o_unc),
              designation or "", get("category") or "",
              "" if f["delivered"] is None else str(f["delivered"]),
              q(f["delivered"] is not None and f["delivered_uncertain"]),
              "; ".join(str(y) for y in f["delivery_years"]), status, comment]
    return dict(zip(SIPRI_KEYS, values))


# "used" as a verb ("a model used for troop transport") does not say second-hand
_USED_AS_VERB = re.compile(r"^\s+(?:for|to|by|as|in|on|against|during|at|with|mainly|mostly|primarily|widely)\b",
                           re.I)


def _second_hand_stated(deal: Deal) -> bool:
    """True when a claim's second-hand term is stated by its text: its quote is not the verb "used"
    ("used for transport"). A claim without evidence (built in code) is taken at its word."""
    for c in deal.claims:
        if not (c.terms or {}).get("second_hand"):
            continue
        ev = (c.evidence or {}).get("terms.second_hand")
        sent = (c.evidence or {}).get("sentence")
        if ev is None or sent is None or ev.quote.strip().lower() != "used":
            return True
        after = sent.quote[ev.end - sent.start:] if sent.start <= ev.end <= sent.end else ""
        if not _USED_AS_VERB.match(after):
            return True
    return False


def exportable(deal: Deal | dict[str, Any]) -> bool:
    """A register row needs an equipment family, or a category with a meaning at the category level:
    a bare "munitions" or "similar deliveries" (no family, group "other" or none) is not exported."""
    from ..resolve.deals import category_group

    family = deal.get("family") if isinstance(deal, dict) else deal.family
    category = deal.get("category") if isinstance(deal, dict) else deal.category
    return bool(family) or (bool(category) and category_group(category) not in (None, "other"))


def _confirmed(deal: Deal | dict[str, Any]) -> bool:
    if isinstance(deal, dict):
        return bool({"ordered", "delivered"} & set(deal.get("stages") or []))
    return any(c.stage in ("ordered", "delivered") for c in deal.claims)


def to_sipri(deals: Iterable[Deal | dict[str, Any]], confirmed_only: bool = False) -> list[dict[str, str]]:
    """Deals (full Deals, or ledger rows) as SIPRI register rows, sorted like SIPRI
    (recipient, supplier, year of order). ``confirmed_only``: only deals with an
    ordered or delivered claim (SIPRI's own rule for entering a deal)."""
    rows = [sipri_row(d) for d in deals if exportable(d) and (not confirmed_only or _confirmed(d))]
    rows.sort(key=lambda r: (r["Recipient"], r["Supplier"], r["Year of order"], r["Weapon designation"]))
    return rows


def write_sipri_csv(deals: Iterable[Deal | dict[str, Any]], fh: IO[str], preamble: bool = False,
                    confirmed_only: bool = False) -> int:
    """Write deals in the SIPRI trade-register CSV layout (header with the three
    unnamed " " columns). ``preamble`` adds a one-line note above the header."""
    rows = to_sipri(deals, confirmed_only=confirmed_only)
    w = csv.writer(fh, lineterminator="\n")
    if preamble:
        fh.write("Transfers extracted by armsledger from news reports; layout of the SIPRI trade register. "
                 "A '?' in a column indicates uncertain data.\n")
    w.writerow(SIPRI_HEADER)
    for r in rows:
        w.writerow([r[k] for k in SIPRI_KEYS])
    return len(rows)


# ---------------------------------------------------------------------------
# flat tables: one claim (or one deal) per row, plain columns
# ---------------------------------------------------------------------------

BOOL_COLUMNS = {"uncertain", "hedged", "quantity_uncertain", "purchase", "aid", "second_hand", "lease", "licence"}
FLAT_FORMATS = ("csv", "xlsx", "parquet")


def plain_rows(names: list[str], rows: Iterable[tuple], for_csv: bool = True) -> Iterable[list[Any]]:
    """Rows of a flat view with booleans as "yes"/"" (CSV) or True/False (frames)."""
    flags = [n in BOOL_COLUMNS for n in names]
    for r in rows:
        out = []
        for v, flag in zip(r, flags):
            if flag:
                v = ("yes" if v else "") if for_csv else bool(v)
            elif v is None and for_csv:
                v = ""
            out.append(v)
        yield out


def frame(names: list[str], rows: Iterable[tuple]) -> Any:
    """A pandas DataFrame of a flat view (pandas is the optional extra ``frames``)."""
    try:
        import pandas as pd
    except ImportError:
        from ..errors import ArmsledgerError

        raise ArmsledgerError("DataFrames, XLSX and Parquet need pandas: pip install 'armsledger[frames]'") from None
    df = pd.DataFrame(list(plain_rows(names, rows, for_csv=False)), columns=names)
    for col in ("quantity", "quantity_ordered", "quantity_delivered", "n_claims", "n_articles", "n_contradictions"):
        if col in df:
            df[col] = df[col].astype("Int64")
    return df


def write_flat(names: list[str], rows: Iterable[tuple], out: IO[str] | str | Any, fmt: str = "csv") -> int:
    """Write a flat view as CSV (to a text stream), or XLSX/Parquet (to a file path)."""
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(names)
        n = 0
        for r in plain_rows(names, rows):
            w.writerow(r)
            n += 1
        return n
    df = frame(names, rows)
    if fmt == "xlsx":
        df.to_excel(out, index=False, sheet_name="claims" if "claim_id" in names else "deals")
    elif fmt == "parquet":
        df.to_parquet(out, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r} (choices: {', '.join(FLAT_FORMATS)})")
    return len(df)
