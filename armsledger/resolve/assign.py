"""Deal assignment against a stored ledger: the deal each of a new article's claims joins, and
the stored claims that move when the article brings a new family deal.

:func:`~armsledger.resolve.deals.assign_deals` decides for a list of claims given the family
deals already known; this module asks the store (the :class:`AssignReader` protocol) for those
deals and for the stored claims concerned, so that the decision is made here for every backend
and the store only writes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

from ..models import Claim
from .deals import assign_deals

Pair = tuple[str | None, str | None]


class AssignReader(Protocol):
    """What assignment asks of a store."""

    def family_deals(self, pairs: Iterable[Pair]) -> list[dict[str, Any]]:
        """The stored deals with a family of these (supplier, recipient) pairs: id, supplier,
        recipient, family, category."""

    def deal_exists(self, deal_id: str) -> bool:
        """Whether the deal is stored."""

    def familyless_articles(self, supplier: str | None, recipient: str | None, skip_article: str) -> list[str]:
        """Articles (but ``skip_article``) with a stored family-less transfer claim of the pair
        that names a category."""

    def article_claims(self, article_id: str) -> list[tuple[Claim, str | None]]:
        """An article's stored claims (without evidence) with their deal ids, in insertion order."""


@dataclass
class Assignment:
    """Where a new article's claims go: {claim id: deal id or None}, and the pairs whose first
    family deal the article creates (stored family-less claims of them may move there)."""

    deals: dict[str, str | None]
    new_family_pairs: set[Pair]


def assign_article(claims: list[Claim], reader: AssignReader) -> Assignment:
    """The deals of a new article's claims, against the family deals stored."""
    # existing family deals matter only to family-less claims with a category
    pairs = {(c.supplier, c.recipient) for c in claims if c.kind != "cumulative" and not c.family and c.category}
    mapping = assign_deals(claims, reader.family_deals(pairs))
    # family deals this article creates: stored family-less claims of the pair may belong there now
    new_family_pairs = {(c.supplier, c.recipient) for c in claims
                        if c.kind != "cumulative" and c.family and mapping.get(c.id)
                        and not reader.deal_exists(mapping[c.id])}
    return Assignment(mapping, new_family_pairs)


def reassignments(reader: AssignReader, pairs: Iterable[Pair], skip_article: str) -> dict[str, str]:
    """{claim id: new deal id} of the stored claims that belong to another deal now.

    Keeps deal assignment a function of the set of claims, whatever the order of arrival: a
    family-less claim joins the pair's unique family deal of its category (see
    :func:`~armsledger.resolve.deals.assign_deals`); when an article brings a new family deal,
    the stored family-less claims of that pair are assigned again, article by article, against
    all family deals now stored (the article itself was assigned against them already)."""
    moves: dict[str, str] = {}
    for supplier, recipient in pairs:
        for art in reader.familyless_articles(supplier, recipient, skip_article):
            claims = reader.article_claims(art)
            stored = {c.id: d for c, d in claims}
            fam_pairs = {(c.supplier, c.recipient) for c, _ in claims if not c.family and c.category}
            mapping = assign_deals([c for c, _ in claims], reader.family_deals(fam_pairs))
            for cid, did in mapping.items():
                if did is not None and stored.get(cid) is not None and did != stored[cid]:
                    moves[cid] = did
    return moves


def depends_on_ledger(claims: Iterable[Claim]) -> bool:
    """Whether where these claims go can depend on other articles: a transfer claim without a
    family that names a category joins the pair's family deal of that category when there is
    exactly one (:func:`~armsledger.resolve.deals.assign_deals`), and may move when a family
    deal of its pair arrives later (:func:`reassignments`). When neither these claims nor the
    stored ones have such a claim, :func:`assign_article` is ``assign_deals(claims)`` whatever
    the ledger holds and no claim ever moves (what a bulk load that assigns articles without
    reading the ledger relies on)."""
    return any(c.kind != "cumulative" and not c.family and c.category for c in claims)
