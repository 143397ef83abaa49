"""Deal summaries: the pure helpers behind the incremental summaries the stores keep.

Moved out of store/sqlite.py so that every storage backend shares one implementation of
how claims fold into a deal's summary (quantities voted per tranche, the clustering of a
stage's dates into tranches and orders, designation variants, the scope of running totals);
the stores only persist the aggregates these functions compute. :func:`summarise` builds a
whole ledger row from a list of claims at once (the reviewed-only ledger).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from ..models import Claim
from .deals import build_deal, build_tranches, category_group, normalise_designation


def _merge_terms(into: dict[str, Any], terms: dict[str, Any] | None) -> dict[str, Any]:
    for k, v in (terms or {}).items():
        if isinstance(v, bool):
            into[k] = bool(into.get(k)) or v
        elif v not in (None, "") and k not in into:
            into[k] = v
    return into


def _best(votes: dict[str, int]) -> tuple[int | None, bool]:
    """Best quantity from {quantity: n_claims} votes, and whether they disagree."""
    if not votes:
        return None, False
    best = max(votes, key=lambda q: (votes[q], int(q)))
    return int(best), len(votes) > 1


_IDENTITY = ("supplier", "recipient", "family", "category")
_AFFIRM = ("ordered", "delivered", "expected", "pledged")


def _fold(agg: list[Any], c: Claim) -> None:
    """Add one claim to an aggregate [n, {quantity: votes}, any uncertain, sorted designation norms]."""
    agg[0] += 1
    if c.quantity is not None:
        agg[1][str(c.quantity)] = agg[1].get(str(c.quantity), 0) + 1
    agg[2] = int(bool(agg[2]) or bool(c.uncertain))
    if c.family and c.designation:
        n = normalise_designation(c.designation, c.maker)
        if n and n not in agg[3]:
            agg[3] = sorted([*agg[3], n])


def _merge_agg(a: list[Any], b: list[Any]) -> list[Any]:
    votes = dict(a[1])
    for q, k in b[1].items():
        votes[q] = votes.get(q, 0) + k
    return [a[0] + b[0], votes, int(bool(a[2]) or bool(b[2])), sorted(set(a[3]) | set(b[3]))]


def _variants(norms: Iterable[str]) -> bool:
    """deals._variant_sides is non-empty: two normalised designations, neither a prefix of another."""
    keys = list(norms)
    return sum(1 for k in keys if not any(o != k and o.startswith(k) for o in keys)) >= 2


def _group_total(agg: list[Any]) -> tuple[int | None, bool, int]:
    """(best quantity, uncertain, contradictions) of one tranche/order group."""
    q, disagree = _best(agg[1])
    return q, q is None or disagree or bool(agg[2]), int(disagree) + int(_variants(agg[3]))


def _cluster(rows: list[tuple[str, list[Any]]]) -> tuple[int, int, bool, bool, int, str | None, list | None]:
    """deals._group_by_date over per-date aggregates (one stage, one year).

    Most specific dates first; a date joins the one cluster whose key it is a prefix
    of, founds a cluster when there is none, and when there are several each of its
    claims is a cluster of its own. Returns (groups, sum of best quantities, any
    quantity, uncertain, contradictions, earliest key, the group if there is only one).
    """
    rows = sorted(rows, key=lambda r: (-len(r[0]), r[0]))
    starts: Counter[str] = Counter()  # clusters whose key starts with a prefix
    first: dict[str, int] = {}
    groups: list[list[Any]] = []  # [key, aggregate]
    singles: list[list[Any]] = []  # [key, aggregate]: each claim a group of its own
    for date, agg in rows:
        hits = starts[date]
        if hits == 1:
            g = groups[first[date]]
            g[1] = _merge_agg(g[1], agg)
            continue
        if hits == 0 or agg[0] == 1:
            groups.append([date, agg])
            idx = len(groups) - 1
        else:
            singles.append([date, agg])
            idx = -1
        for i in range(1, len(date) + 1):
            starts[date[:i]] += 1 if idx >= 0 else agg[0]
            if idx >= 0:
                first.setdefault(date[:i], idx)
    n_groups = len(groups) + sum(a[0] for _, a in singles)
    s, any_q, unc, conflicts = 0, False, False, 0
    for _, agg in groups:
        q, u, c = _group_total(agg)
        s += q or 0
        any_q, unc, conflicts = any_q or q is not None, unc or u, conflicts + c
    for _, (n, votes, u, _norms) in singles:
        with_q = sum(votes.values())
        s += sum(int(q) * k for q, k in votes.items())
        any_q, unc = any_q or with_q > 0, unc or with_q < n or bool(u)
    keys = [k for k, _ in groups] + [k for k, _ in singles]
    single = groups[0][1] if n_groups == 1 and groups else None
    return n_groups, s, any_q, unc, conflicts, (min(keys) if keys else None), single


def _widest_scope(cums: list[Claim]) -> list[Claim]:
    """Running totals at the scope the text states. Where one sentence's total was read both for
    an equipment family and for a category group ("brings to eight the number of helicopters":
    Mi-35P and helicopters), the group is what the text counts: the family reading is dropped."""
    def key(c: Claim) -> tuple:
        sent = c.evidence.get("sentence")
        return (c.article.get("id") if isinstance(c.article, dict) else None,
                sent.start if sent is not None else None, c.quantity, c.supplier, c.recipient)

    grouped = {key(c) for c in cums if not c.family and c.category}
    return [c for c in cums if not (c.family and key(c) in grouped)]


def _stage_total(claims: list[Claim], stage: str) -> tuple[int | None, bool]:
    """(sum of the groups' best quantities, uncertain) of one stage, from all its claims."""
    s, any_q, unc = 0, False, False
    for g in build_tranches(claims, stage)[1]:
        q, disagree = _best(dict(Counter(str(c.quantity) for c in g if c.quantity is not None)))
        s += q or 0
        any_q = any_q or q is not None
        unc = unc or q is None or disagree or any(c.uncertain for c in g)
    return (s if any_q else None), unc


def summarise(deal_id: str, claims: list[Claim]) -> dict[str, Any]:
    """A ledger row (the columns of ``Store.ledger``) computed from a list of claims, all at
    once: for ledgers whose deals have no stored summary, such as the ledger of reviewed
    claims only. Designations in the order the claims give them; each term from the first
    claim that states it."""
    deal = build_deal(deal_id, claims)
    terms: dict[str, Any] = {}
    designations: list[str] = []
    for c in claims:
        _merge_terms(terms, c.terms)
        if c.designation and c.designation not in designations:
            designations.append(c.designation)
    return deal_row(deal, claims, designations, terms, ledger=True)


def deal_row(deal: Any, claims: list[Claim], designations: list[str], terms: dict[str, Any],
             ledger: bool = False) -> dict[str, Any]:
    """A deal's summary fields from all its claims (``deal`` as ``build_deal`` gives it). `ledger`: as a
    row of ``Store.ledger`` (with the deal id and category group); else the stored summary's fields."""
    dates = sorted(c.date for c in claims if c.date)
    q_del, unc_d = _stage_total(claims, "delivered")
    q_ord, unc_o = _stage_total(claims, "ordered")
    row: dict[str, Any] = {"id": deal.id} if ledger else {}
    row.update(supplier=deal.supplier, recipient=deal.recipient, family=deal.family, category=deal.category)
    if ledger:
        row["cgroup"] = category_group(deal.category)
    row.update({
        "designations": designations,
        "stages": sorted({c.stage for c in claims if c.stage}),
        "quantity_ordered": q_ord, "quantity_delivered": q_del, "quantity_uncertain": unc_d or unc_o,
        "order_date": min((t.date for t in deal.orders if t.date), default=None),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
        "delivery_years": sorted({int(t.date[:4]) for t in deal.tranches if t.date and t.date[:4].isdigit()}),
        "n_claims": len(claims), "n_articles": len({c.article.get("id") for c in claims}),
        "n_contradictions": len(deal.contradictions), "hedged": any(c.hedged for c in claims), "terms": terms,
    })
    return row
