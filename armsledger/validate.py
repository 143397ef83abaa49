"""Sanity bounds on extracted values: an absurd value is dropped from the claim with a note,
never the article.

* a claim date must fall in the years MIN_YEAR..MAX_YEAR (publication dates too: see
  ``armsledger.ingest.normalise_date``); outside, ``date`` and ``granularity`` become
  None and ``notes["date_dropped"]`` keeps the value;
* a quantity must be 1..MAX_QUANTITY; outside ("zero helicopters", a 20-digit
  number), ``quantity`` becomes None and ``notes["quantity_dropped"]`` keeps it.
"""
from __future__ import annotations

from .models import Claim

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_QUANTITY = 10_000_000


def year_ok(date: str | None) -> bool:
    """True for a missing date or one whose year is within MIN_YEAR..MAX_YEAR."""
    if not date:
        return True
    head = str(date)[:4]
    return head.isdigit() and len(str(date)) >= 4 and MIN_YEAR <= int(head) <= MAX_YEAR


def validate_claim(c: Claim) -> Claim:
    """``c`` with out-of-bounds date and quantity dropped (noted in ``c.notes``)."""
    if c.date and not year_ok(c.date):
        c.notes = dict(c.notes or {})
        c.notes["date_dropped"] = f"{c.date}: year outside {MIN_YEAR}-{MAX_YEAR}"
        c.date, c.granularity = None, None
    q = c.quantity
    if q is not None and (not isinstance(q, int) or isinstance(q, bool) or not 1 <= q <= MAX_QUANTITY):
        c.notes = dict(c.notes or {})
        c.notes["quantity_dropped"] = f"{q}: outside 1-{MAX_QUANTITY}"
        c.quantity = None
        c.evidence = {k: v for k, v in (c.evidence or {}).items() if k != "quantity"}
    return c


def validate_claims(claims: list[Claim]) -> list[Claim]:
    """Every claim through :func:`validate_claim` (in place; the list is returned)."""
    for c in claims:
        validate_claim(c)
    return claims
