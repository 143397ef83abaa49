"""Incremental deal summaries: what adding an article's claims does to the summary of a deal.

Resolution, not storage: a store (SQLite or PostgreSQL) answers a few small questions about
what it holds (the :class:`DealReader` protocol) and writes the :class:`DealUpdate` that
:func:`refresh` returns. So there is one implementation of the summary arithmetic for every
backend, and a backend cannot compute a different ledger.

Maintained incrementally: adding k claims to a deal costs O(k) plus work bounded
by the deal's distinct claim dates within one calendar year (never by the deal's
number of claims). The deal row's ``state`` JSON holds small counters; the tranche
and order clustering lives in ``deal_dates`` (claims aggregated per stage and date)
and ``deal_parts`` (the clustering of one stage and year, recomputed from its
``deal_dates`` rows when one of them changes; year-dated claims only ever cluster
with dates of the same year, so years are independent).

Exact, i.e. equal to rebuilding from all the deal's claims with
:func:`~armsledger.resolve.deals.build_deal` (see :func:`rebuild_summary`):
supplier, recipient, family, category, designations, stages, first/last date,
counts, hedged, terms, quantities ordered/delivered, quantity_uncertain, order
date, delivery years, and the quantity, designation-variant and stage
contradictions. Approximate (exact only with a full rebuild, which would need
every article of every nearby tranche):

* delivery-date contradictions (and the "delivery quantity" ones that go with them in
  the deal view) are counted when an article brings a new
  day-precision delivery date within 30 days of a stored one that the article does
  not report itself; a later article reporting both dates does not remove it, and
  coarser-dated claims that joined a tranche do not count as reporting its date;
* dates shorter than 4 characters (not ISO) are clustered on their own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Iterable, Protocol

from ..models import Claim
from .deals import _day, build_deal, category_group
from .summary import (_AFFIRM, _IDENTITY, _best, _cluster, _fold, _group_total, _merge_agg, _merge_terms,
                      deal_row)

MAX_DESIGNATIONS = 50
# deals of at most this many claims get an exact summary on every change (what the deal view
# shows: one arrival told by two outlets counted once, every contradiction counted); larger
# deals keep the incremental summary, whose cost does not grow with the deal
EXACT_LIMIT = 300
SAME_DELIVERY_DAYS = 7  # two outlets' delivery days this close may be one arrival (counted once)

# An aggregate of claims: [n claims, {quantity: votes}, any uncertain (0/1), sorted designation norms]
Aggregate = list
# (n_groups, sum of best quantities, any quantity, uncertain, contradictions, earliest key,
#  the aggregate of the only group or None): the clustering of one stage and year (deal_parts)
Part = tuple


class DealReader(Protocol):
    """What :func:`refresh` needs to know about a deal as stored (before this update).

    The claims being added are already stored as claims of the deal (counts include them);
    the deal's own summary rows (``deals``, ``deal_dates``, ``deal_parts``) are the previous ones."""

    def summary_row(self, deal_id: str) -> dict[str, Any] | None:
        """designations, stages, first_date, last_date, n_claims, n_articles, hedged, terms and
        state of the stored summary (JSON decoded), or None for a new deal."""

    def count_claims(self, article_id: str | None, deal_id: str) -> int:
        """How many of the article's claims the deal holds."""

    def claim_in_deal(self, claim_id: str, deal_id: str) -> bool:
        """Whether the claim is one of the deal's."""

    def count_denials(self, claim_id: str, deal_id: str) -> int:
        """How many of the deal's claims (stage denied) deny this claim."""

    def date_aggregates(self, deal_id: str, sk: str, part: str) -> dict[str, Aggregate]:
        """{date: aggregate} of one stage ("t" delivered, "o" ordered) and year."""

    def has_date(self, deal_id: str, sk: str, part: str, date: str) -> bool:
        """Whether the stage has claims of this date."""

    def delivery_dates(self, deal_id: str, parts: tuple[str, str], lo: str, hi: str) -> list[str]:
        """The stored delivery dates of those years between ``lo`` and ``hi`` (inclusive)."""

    def parts(self, deal_id: str, sk: str) -> dict[str, Part]:
        """{year: clustering} of one stage."""

    def light_claims(self, deal_id: str) -> list[Claim]:
        """The deal's claims without evidence, in insertion order."""


@dataclass
class DealUpdate:
    """What the store writes for one deal: its summary row (``deals`` columns but id and
    updated_at, plain Python values) and the changed ``deal_dates`` and ``deal_parts`` rows."""

    summary: dict[str, Any]
    dates: dict[tuple[str, str, str], Aggregate] = field(default_factory=dict)  # (sk, part, date)
    parts: dict[tuple[str, str], Part] = field(default_factory=dict)  # (sk, part)


def refresh(reader: DealReader, deal_id: str, new: list[Claim], exact_limit: int = EXACT_LIMIT) -> DealUpdate:
    """The deal's summary after ``new`` claims (one article's) joined it (see module doc).

    ``exact_limit``: deals of at most this many claims whose delivery dates two outlets may
    both report get the exact summary (:func:`exact_summary`) instead of the incremental one."""
    new = [c for c in new if c.kind != "cumulative"]
    upd = DealUpdate(summary={})
    r = reader.summary_row(deal_id)
    if r is None:
        designations, stages, first, last, n_claims, n_articles, hedged, terms = [], [], None, None, 0, 0, 0, {}
        state: dict[str, Any] = {}
    else:
        designations, stages, first, last = r["designations"], r["stages"], r["first_date"], r["last_date"]
        n_claims, n_articles, hedged, terms, state = (r["n_claims"], r["n_articles"], r["hedged"], r["terms"],
                                                      r["state"])
    mc = state.setdefault("mc", {"f": {}, "a": {}})
    undated = state.setdefault("u", {"t": [0, {}, 0, []], "o": [0, {}, 0, []]})
    den = state.setdefault("den", [0, 0, 0, 0])  # free denials, affirmations, matched targets, pending
    state.setdefault("dd", 0)

    # identity fields: _most_common over family claims (or all) in claim-id order
    for c in new:
        for basis in ("a", "f") if c.family else ("a",):
            for f in _IDENTITY:
                v = getattr(c, f)
                if v:
                    e = mc[basis].setdefault(f, {}).setdefault(v, [0, c.id])
                    e[0] += 1
                    e[1] = min(e[1], c.id)
    basis = mc["f"] if mc["f"].get("family") else mc["a"]
    ident = {f: (min(basis[f].items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0] if basis.get(f) else None)
             for f in _IDENTITY}

    # order-independent: the first MAX_DESIGNATIONS designations in sorted order, and each
    # term's value from the claim with the smallest id that states it
    designations = sorted(set(designations) | {c.designation for c in new if c.designation})[:MAX_DESIGNATIONS]
    term_from = state.setdefault("tk", {})
    for c in sorted(new, key=lambda c: c.id):
        for k, v in (c.terms or {}).items():
            if isinstance(v, bool):
                terms[k] = bool(terms.get(k)) or v
            elif v not in (None, "") and (k not in terms or c.id < term_from.get(k, "")):
                terms[k] = v
                term_from[k] = c.id
    dates = [d for d in (first, last, *(c.date for c in new)) if d]
    for art, k in Counter(c.article.get("id") if isinstance(c.article, dict) else None for c in new).items():
        n_articles += reader.count_claims(art, deal_id) == k  # all of this article's claims in the deal are new

    # stage contradictions (deals._stage_contradictions)
    for c in new:
        if c.stage in _AFFIRM:
            den[1] += 1
        elif c.stage == "denied":
            if not c.denies:
                den[0] += 1
            elif c.denies != c.id and reader.claim_in_deal(c.denies, deal_id):
                den[2] += 1
            else:
                den[3] += 1  # its target may come later
    if den[3]:
        for c in new:
            k = reader.count_denials(c.id, deal_id)
            k -= sum(1 for d in new if d.denies == c.id and d.stage == "denied")
            den[2] += k
            den[3] -= k
    n_contra = den[2] + (den[0] if den[1] else 0)

    # tranches (delivered) and orders: exact clustering, one year at a time
    quantities: dict[str, Any] = {}
    unc_any = False
    delivery_years: list[int] = []
    for sk, stage in (("t", "delivered"), ("o", "ordered")):
        mine = [c for c in new if c.stage == stage]
        if mine:
            _update_dates(reader, deal_id, sk, mine, undated[sk], state, upd)
        q, unc, conflicts, order_date, years = _stage_totals(reader, deal_id, sk, undated[sk], upd)
        quantities[sk] = q
        unc_any = unc_any or unc
        n_contra += conflicts
        if sk == "o":
            quantities["order_date"] = order_date
        else:
            delivery_years = years
    n_contra += state["dd"]

    n_total = n_claims + len(new)
    q_ord, q_del, q_unc, order_date = quantities["o"], quantities["t"], int(unc_any), quantities["order_date"]
    # the incremental summary is exact unless two outlets gave nearby delivery days (state "dd",
    # raised in every arrival order when the deal view sees such a pair): then, for a deal small
    # enough, recompute it as the deal view does (counting a possibly shared arrival once)
    if state["dd"] and n_total <= exact_limit:
        exact = exact_summary(deal_id, reader.light_claims(deal_id))
        q_ord, q_del, q_unc = exact["quantity_ordered"], exact["quantity_delivered"], exact["quantity_uncertain"]
        order_date, n_contra = exact["order_date"], exact["n_contradictions"]
        delivery_years = exact["delivery_years"]
    upd.summary = dict(
        ident, cgroup=category_group(ident["category"]), designations=designations,
        stages=sorted(set(stages) | {c.stage for c in new if c.stage}),
        quantity_ordered=q_ord, quantity_delivered=q_del, quantity_uncertain=int(q_unc), order_date=order_date,
        first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
        delivery_years=delivery_years, n_claims=n_total, n_articles=n_articles, n_contradictions=n_contra,
        hedged=int(bool(hedged) or any(c.hedged for c in new)), terms=terms, state=state)
    return upd


def _update_dates(reader: DealReader, deal_id: str, sk: str, claims: list[Claim], undated: Aggregate,
                  state: dict[str, Any], upd: DealUpdate) -> None:
    """Fold one stage's new claims into its per-date aggregates (or the undated aggregate) and
    recompute the clustering of every year they touch, into ``upd``."""
    agg: dict[str, Aggregate] = {}
    for c in claims:
        _fold(agg.setdefault(c.date, [0, {}, 0, []]) if c.date else undated, c)
    agg.pop(None, None)  # type: ignore[call-overload]
    if sk == "t":
        state["dd"] += _new_date_contradictions(reader, deal_id, set(agg))
    stored: dict[str, dict[str, Aggregate]] = {}
    for date, a in agg.items():
        part = date[:4]
        rows = stored.get(part)
        if rows is None:
            rows = stored[part] = reader.date_aggregates(deal_id, sk, part)
        if date in rows:
            a = _merge_agg(rows[date], a)
        rows[date] = a
        upd.dates[(sk, part, date)] = a
    for part, rows in stored.items():
        upd.parts[(sk, part)] = _cluster(list(rows.items()))


def _new_date_contradictions(reader: DealReader, deal_id: str, batch_dates: set[str]) -> int:
    """Approximate delivery-date contradictions brought by one article (see module doc)."""
    days = {d: day for d in batch_dates if len(d) == 10 and (day := _day(d)) is not None}
    n = 0
    for d, day in days.items():
        lo, hi = (day - timedelta(days=30)).isoformat(), (day + timedelta(days=30)).isoformat()
        if reader.has_date(deal_id, "t", d[:4], d):
            continue  # not a new date for this deal
        for e in reader.delivery_dates(deal_id, (lo[:4], hi[:4]), lo, hi):
            if len(e) == 10 and e != d and e not in batch_dates and _day(e) is not None:
                n += 1
    return n


def _stage_totals(reader: DealReader, deal_id: str, sk: str, undated: Aggregate, upd: DealUpdate
                  ) -> tuple[int | None, bool, int, str | None, list[int]]:
    """(quantity, uncertain, contradictions, earliest group date, years) of one stage: its
    stored years' clusterings with this update's in their place, and its undated claims."""
    parts = reader.parts(deal_id, sk)
    parts.update({p: v for (s, p), v in upd.parts.items() if s == sk})
    n_groups = sum(p[0] for p in parts.values())
    sum_q = sum(p[1] for p in parts.values())
    any_q = any(p[2] for p in parts.values())
    unc = any(p[3] for p in parts.values())
    conflicts = sum(p[4] for p in parts.values())
    min_key = min((p[5] for p in parts.values() if p[5] is not None), default=None)
    if undated[0]:
        if n_groups == 1:  # the undated claims join the only group
            (single,) = [p[6] for p in parts.values() if p[0] == 1]
            q, unc, conflicts = _group_total(_merge_agg(single, undated))
            sum_q, any_q = q or 0, q is not None
        else:  # a group of their own
            q, u, c = _group_total(undated)
            sum_q += q or 0
            any_q = any_q or q is not None
            unc, conflicts = unc or u, conflicts + c
    years: list[int] = []
    if sk == "t":
        years = sorted(int(p) for p, v in parts.items() if v[0] > 0 and p.isdigit())
    return (sum_q if any_q else None), bool(unc), int(conflicts), min_key, years


def rebuild_summary(deal_id: str, claims: list[Claim]) -> dict[str, Any]:
    """The deal's summary fields rebuilt from all its claims with ``build_deal``: the
    reference the incremental summary is checked against (tests); not used on ingest."""
    deal = build_deal(deal_id, claims)
    terms: dict[str, Any] = {}
    for c in sorted(claims, key=lambda c: c.id):
        _merge_terms(terms, c.terms)
    designations = sorted({c.designation for c in claims if c.designation})[:MAX_DESIGNATIONS]
    return deal_row(deal, claims, designations, terms)


def exact_summary(deal_id: str, claims: list[Claim]) -> dict[str, Any]:
    """Quantities, order date, delivery years and contradiction count of a deal, computed from
    all its claims exactly as the deal view computes them (used for deals of at most
    ``exact_limit`` claims). One arrival reported by several outlets on nearby days (the
    deal view's "possibly the same delivery") is counted once: the larger count, uncertain."""
    deal = build_deal(deal_id, claims)
    by_id = {c.id: c for c in claims}

    def best(ids: Iterable[str]) -> tuple[int | None, bool]:
        members = [by_id[i] for i in ids if i in by_id]
        q, disagree = _best(dict(Counter(str(c.quantity) for c in members if c.quantity is not None)))
        return q, q is None or disagree or any(c.uncertain for c in members)

    # two tranches that are possibly one delivery (different outlets, days at most
    # SAME_DELIVERY_DAYS apart, no article reporting both) become one group; pairs only,
    # closest first, so a run of monthly deliveries never chains into one
    index = {frozenset(t.claims): i for i, t in enumerate(deal.tranches)}
    pairs = []
    for x in deal.contradictions:
        if x.field == "delivery date" and len(x.sides) == 2:
            a, b = (index.get(frozenset(side.get("claims", []))) for side in x.sides)
            if a is None or b is None:
                continue
            da, db = _day(deal.tranches[a].date or ""), _day(deal.tranches[b].date or "")
            if da is not None and db is not None and abs((da - db).days) <= SAME_DELIVERY_DAYS:
                pairs.append((abs((da - db).days), min(a, b), max(a, b)))
    group = list(range(len(deal.tranches)))
    taken: set[int] = set()
    for _, a, b in sorted(pairs):
        if a not in taken and b not in taken:
            group[b] = a
            taken |= {a, b}
    merged: dict[int, list[tuple[int | None, bool]]] = {}
    for i, t in enumerate(deal.tranches):
        merged.setdefault(group[i], []).append(best(t.claims))
    delivered, any_d, unc = 0, False, False
    for parts in merged.values():
        qs = [q for q, _ in parts if q is not None]
        if qs:
            delivered += max(qs)
            any_d = True
        unc = unc or len(parts) > 1 or not qs or any(u for _, u in parts)
    ordered, any_o = 0, False
    for o in deal.orders:
        q, u = best(o.claims)
        if q is not None:
            ordered += q
            any_o = True
        unc = unc or u
    return {"quantity_ordered": ordered if any_o else None, "quantity_delivered": delivered if any_d else None,
            "quantity_uncertain": unc,
            "order_date": min((t.date for t in deal.orders if t.date), default=None),
            "delivery_years": sorted({int(t.date[:4]) for t in deal.tranches
                                      if t.date and t.date[:4].isdigit()}),
            "n_contradictions": len(deal.contradictions)}


class _DealInMemory:
    """A :class:`DealReader` over one deal held in memory: what the store's tables hold for it
    (its claims, its ``deals`` row, its ``deal_dates`` and ``deal_parts`` rows), with the values
    the store would read back, so :func:`refresh` computes here exactly what it computes against
    the store (``tests/test_scale.py`` compares every row of both ledgers)."""

    def __init__(self) -> None:
        self.row: dict[str, Any] | None = None
        self.claims: list[Claim] = []
        self.ids: set[str] = set()
        self.per_article: Counter = Counter()
        self.denials: Counter = Counter()
        self.dates: dict[tuple[str, str], dict[str, Aggregate]] = {}
        self.stored_parts: dict[str, dict[str, Part]] = {}

    def store_claims(self, claims: list[Claim]) -> None:
        for c in claims:
            self.claims.append(c)
            self.ids.add(c.id)
            self.per_article[c.article.get("id") if isinstance(c.article, dict) else None] += 1
            if c.denies and c.stage == "denied":
                self.denials[c.denies] += 1

    def write(self, upd: DealUpdate) -> None:
        """What ``DealTables.write`` stores, as it reads it back (flags as 0/1; the JSON columns
        hold JSON-native values, so they come back equal, and refresh changes none in place
        but ``state`` and ``terms``, which it returns)."""
        for (sk, part, date), a in upd.dates.items():
            self.dates.setdefault((sk, part), {})[date] = [a[0], dict(a[1]), int(a[2]), list(a[3])]
        for (sk, part), (n_groups, sum_q, any_q, unc, conflicts, min_key, single) in upd.parts.items():
            self.stored_parts.setdefault(sk, {})[part] = (n_groups, sum_q, int(any_q), int(unc), conflicts,
                                                          min_key, single)
        s = upd.summary
        self.row = {"designations": s["designations"], "stages": s["stages"], "first_date": s["first_date"],
                    "last_date": s["last_date"], "n_claims": s["n_claims"], "n_articles": s["n_articles"],
                    "hedged": int(s["hedged"]), "terms": s["terms"], "state": s["state"]}

    # -- DealReader -------------------------------------------------------------------------
    def summary_row(self, deal_id: str) -> dict[str, Any] | None:
        return self.row

    def count_claims(self, article_id: str | None, deal_id: str) -> int:
        return self.per_article[article_id]

    def claim_in_deal(self, claim_id: str, deal_id: str) -> bool:
        return claim_id in self.ids

    def count_denials(self, claim_id: str, deal_id: str) -> int:
        return self.denials[claim_id]

    def date_aggregates(self, deal_id: str, sk: str, part: str) -> dict[str, Aggregate]:
        return dict(self.dates.get((sk, part), {}))

    def has_date(self, deal_id: str, sk: str, part: str, date: str) -> bool:
        return date in self.dates.get((sk, part), {})

    def delivery_dates(self, deal_id: str, parts: tuple[str, str], lo: str, hi: str) -> list[str]:
        return [d for p in dict.fromkeys(parts) for d in self.dates.get(("t", p), {}) if lo <= d <= hi]

    def parts(self, deal_id: str, sk: str) -> dict[str, Part]:
        return dict(self.stored_parts.get(sk, {}))

    def light_claims(self, deal_id: str) -> list[Claim]:
        return list(self.claims)


def replay(deal_id: str, articles: Iterable[list[Claim]], exact_limit: int = EXACT_LIMIT) -> DealUpdate | None:
    """A deal's summary and all its ``deal_dates`` / ``deal_parts`` rows, computed at once from
    all its claims: ``articles`` is the deal's claims grouped by article, in the order they
    were stored. The result is what adding those articles one by one to a ledger gives
    (:func:`refresh` after each article, here against the deal held in memory instead of the
    store's tables), so a bulk load that stores the claims first and then writes this for each
    deal builds the same ledger as the store's per-article ingest, the order-dependent parts
    (the delivery-date approximation, ``state``) included. None for a deal without claims.

    Only the last article's summary is kept, and :func:`exact_summary` changes nothing but that
    summary (not ``state`` nor the date rows), so the articles before the last are refreshed
    without it; the last one with ``exact_limit``."""
    deal = _DealInMemory()
    groups = [g for g in articles if g]
    upd = None
    for i, claims in enumerate(groups):
        deal.store_claims(claims)
        upd = refresh(deal, deal_id, claims, exact_limit if i == len(groups) - 1 else -1)
        deal.write(upd)
    if upd is None:
        return None
    return DealUpdate(summary=upd.summary, dates={(sk, part, date): a for (sk, part), rows in deal.dates.items()
                                                  for date, a in rows.items()},
                      parts={(sk, part): p for sk, rows in deal.stored_parts.items() for part, p in rows.items()})
