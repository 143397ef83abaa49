"""Check running totals ("the country has received eight helicopters") against the ledger.

A cumulative claim (kind "cumulative") states ``quantity`` = the total
received from ``supplier`` by ``recipient`` of what ``category`` (or
``family``) counts, as of ``date`` (else the article's publication date).

``notes["before_latest"] = True`` marks a total stated *before* the
deliveries of that date ("has previously received eight"): tranches dated on
or after the claim's date are then left out of the ledger sum. Without it the
total includes deliveries up to and including the date.
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol

from ..models import Claim, Contradiction, Deal
from .deals import _EXACT_GROUP, _articles_of, build_tranches, category_group, date_bounds
from .sources import source_of
from .summary import _widest_scope


def _norm(v: str | None) -> str:
    return (v or "").strip().lower()


def cumulative_as_of(claim: Claim) -> str | None:
    """The date the total refers to: the claim's date, else the article's publication date."""
    if claim.date:
        return claim.date
    art = claim.article if isinstance(claim.article, dict) else {}
    return art.get("published") or None


def deal_matches(claim: Claim, deal: Any) -> bool:
    """Whether a deal (Deal or ledger-row dict) is counted by the cumulative claim."""
    get = (lambda k: deal.get(k)) if isinstance(deal, dict) else (lambda k: getattr(deal, k, None))
    if _norm(get("supplier")) != _norm(claim.supplier) or _norm(get("recipient")) != _norm(claim.recipient):
        return False
    if claim.family:
        return _norm(get("family")) == _norm(claim.family)
    if not claim.category:
        return False
    cat = _norm(claim.category)
    if cat in _EXACT_GROUP:  # a coarse group ("helicopter") counts every category of the group
        return category_group(get("category")) == category_group(cat)
    return _norm(get("category")) == cat


def cumulative_status(claim: Claim, deals: Iterable[Deal]) -> dict[str, Any]:
    """Stated total vs ledger sum: {"stated", "ledger_sum", "unknown", "components", "consistent"}."""
    as_of = cumulative_as_of(claim)
    bounds = date_bounds(as_of)
    before = bool((claim.notes or {}).get("before_latest") or (claim.terms or {}).get("before_latest"))
    components: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    for deal in deals:
        if not deal_matches(claim, deal):
            continue
        tranches = deal.tranches or build_tranches(deal.claims)[0]
        for t in tranches:
            tb = date_bounds(t.date)
            if bounds is not None:
                if tb is None:
                    unknown.append({"deal": deal.id, "family": deal.family, "date": t.date,
                                    "quantity": t.quantity, "claims": t.claims})
                    continue
                included = tb[1] < bounds[0] if before else tb[0] <= bounds[1]
                if not included:
                    continue
            item = {"deal": deal.id, "family": deal.family or deal.category, "date": t.date,
                    "quantity": t.quantity, "claims": list(t.claims)}
            (components if t.quantity is not None else unknown).append(item)
    total = sum(c["quantity"] for c in components)
    stated = claim.quantity
    if stated is None:
        consistent = None
    elif total == stated:
        consistent = True
    elif total < stated and unknown:
        consistent = None  # tranches of unknown size could make up the difference
    else:
        consistent = False
    return {"stated": stated, "ledger_sum": total, "as_of": as_of, "before_latest": before,
            "components": sorted(components, key=lambda c: (c["date"] or "", c["deal"])),
            "unknown": unknown, "consistent": consistent}


def check_cumulative(claim: Claim, deals: Iterable[Deal]) -> list[Contradiction]:
    """[] when the ledger agrees with (or cannot test) the stated total, else one
    Contradiction(field="cumulative") naming the stated number, the ledger sum and the claims."""
    st = cumulative_status(claim, list(deals))
    if st["consistent"] is not False:
        return []
    what = claim.family or claim.category or "items"
    when = (" before the " + st["as_of"] + " deliveries") if st["before_latest"] else (
        " as of " + st["as_of"] if st["as_of"] else "")
    parts = " + ".join(f"{c['quantity']} ({c['family']}, {c['date']})" for c in st["components"]) or "nothing"
    ids = [i for c in st["components"] for i in c["claims"]]
    desc = (f"cumulative {what} count: {st['stated']} stated{when} ({_articles_of([claim.id])}) vs "
            f"ledger sum {st['ledger_sum']} = {parts}")
    if st["unknown"]:
        desc += f"; {len(st['unknown'])} tranche(s) of unknown size"
    sides = [{"value": st["stated"], "claims": [claim.id]},
             {"value": st["ledger_sum"], "claims": ids}]
    return [Contradiction("cumulative", desc, sides)]


class TotalsReader(Protocol):
    """What :func:`deal_checks` asks of a store."""

    def pair_totals(self, supplier: str | None, recipient: str | None, limit: int) -> list[Claim]:
        """The pair's cumulative claims, latest date first (then by id), at most ``limit``."""

    def pair_deals(self, supplier: str | None, recipient: str | None) -> list[tuple]:
        """(id, supplier, recipient, family, category) of the pair's deals."""

    def light_claims(self, deal_id: str) -> list[Claim]:
        """A deal's claims without evidence, in insertion order."""


def deal_checks(deal: Deal, reader: TotalsReader, max_claims: int = 50) -> list[Contradiction]:
    """The running totals stated for a deal's supplier and recipient that count this deal,
    checked against the ledger: returns the contradictions and sets ``deal.totals`` (one row
    per total: stated, ledger sum, consistent, source). The other deals a total counts are
    read with their delivered claims only (their tranches are all the sum needs)."""
    cums = _widest_scope(reader.pair_totals(deal.supplier, deal.recipient, max_claims))
    cums = [c for c in cums if deal_matches(c, deal)]
    deal.totals = []
    if not cums:
        return []
    cands = reader.pair_deals(deal.supplier, deal.recipient)
    pool: dict[str, Deal] = {deal.id: deal}
    out: list[Contradiction] = []
    for cum in sorted(cums, key=lambda c: c.id):
        for did, s, r, fam, cat in cands:
            if did in pool:
                continue
            if deal_matches(cum, {"supplier": s, "recipient": r, "family": fam, "category": cat}):
                light = [c for c in reader.light_claims(did) if c.stage == "delivered"]
                d = Deal(id=did, supplier=s, recipient=r, family=fam, category=cat, claims=light)
                d.tranches = build_tranches(light)[0]
                pool[did] = d
        matched = [d for d in pool.values() if deal_matches(cum, d)]
        out.extend(check_cumulative(cum, matched))
        st = cumulative_status(cum, matched)
        deal.totals.append({"claim": cum.id, "scope": cum.family or cum.category, "stated": st["stated"],
                            "as_of": st["as_of"], "ledger_sum": st["ledger_sum"],
                            "consistent": st["consistent"], "source": source_of(cum.article, cum.id),
                            "quote": cum.evidence["sentence"].quote if "sentence" in cum.evidence else None})
    return out
