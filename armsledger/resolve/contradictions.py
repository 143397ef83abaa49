"""Contradiction detection between the claims of one deal.

The detectors live next to the tranche logic in :mod:`armsledger.resolve.deals`
(they need the same date clustering); this module is their public face.

Fields of the Contradiction objects produced:

* ``quantity`` — different quantities for the same tranche / order;
* ``designation`` — different variants of one family for the same tranche / order
  ("Mi-35P" vs "Mi-24P"; "Mil Mi35P" and "Mi-35P" are the same variant);
* ``delivery date`` — the same delivery reported on different days (≤ 30 days
  apart) by different articles, when no article reports both dates;
* ``order`` / ``stage`` — an affirmative claim and a denial of it;
* ``cumulative`` — a stated running total that the ledger does not add up to
  (see :mod:`armsledger.resolve.cumulative`).
"""
from __future__ import annotations

from ..models import Claim, Contradiction
from .cumulative import check_cumulative
from .deals import _variant_sides, build_deal

__all__ = ["find_contradictions", "check_cumulative", "designation_sides"]


def find_contradictions(claims: list[Claim], deal_id: str = "") -> list[Contradiction]:
    """All intra-deal contradictions among ``claims`` (assumed to be one deal)."""
    return build_deal(deal_id, claims).contradictions


designation_sides = _variant_sides
