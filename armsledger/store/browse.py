"""Ledger queries for the web workbench: more filters than ``Store.ledger``, sorting,
paging, facet counts and supplier → recipient flows.

Uses the store's connection and its summary tables (``deals``, ``deal_years``,
``deal_stages``) plus the review tables of :mod:`armsledger.store.reviews`. Every
value reaches SQL as a parameter; column names come only from the whitelists here.
"""
from __future__ import annotations

import sqlite3
import time
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from .reviews import Reviews
from .sqlite import LEDGER_COLUMNS, Store, _category_clause

SORTS = {
    "last_date": "last_date", "first_date": "first_date", "order_date": "order_date", "supplier": "supplier",
    "recipient": "recipient", "family": "family", "category": "category", "n_claims": "n_claims",
    "n_articles": "n_articles", "n_contradictions": "n_contradictions",
    "quantity_ordered": "quantity_ordered", "quantity_delivered": "quantity_delivered",
}
REVIEW_FILTERS = ("unreviewed", "partial", "reviewed", "needs_review")
FACETS = ("supplier", "recipient", "cgroup", "stage", "year", "outlet")
# the outlet facet joins claims to articles: only computed when the filtered deals hold this few claims
OUTLET_FACET_MAX_CLAIMS = 20000
# rows (deal ids, tuples) the query cache may hold before it drops its least recently used entries
CACHE_ROWS = 400_000
# stage and year facets are counted deal by deal (index lookups) up to this many deals
SIDE_DIRECT_MAX = 6000

_REVIEWED_DEALS = ("SELECT c.deal_id FROM claim_reviews r JOIN claims c ON c.id = r.claim_id "
                   "WHERE r.status IN ('accepted', 'corrected') AND c.deal_id IS NOT NULL")
_FULLY_REVIEWED = ("SELECT x.deal_id FROM (SELECT c.deal_id AS deal_id, COUNT(*) AS n FROM claim_reviews r "
                   "JOIN claims c ON c.id = r.claim_id WHERE r.status IN ('accepted', 'corrected') "
                   "AND c.deal_id IS NOT NULL GROUP BY c.deal_id) x JOIN deals d2 ON d2.id = x.deal_id "
                   "WHERE x.n >= d2.n_claims")


@dataclass
class LedgerQuery:
    """The ledger page's filters, sort and page (every field optional)."""
    supplier: str | None = None
    recipient: str | None = None
    category: str | None = None
    stage: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    outlet: str | None = None
    contradictions: bool | None = None
    review: str | None = None
    q: str | None = None
    sort: str = "last_date"
    order: str = "desc"
    limit: int = 50
    offset: int = 0
    reviewed_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self) -> dict[str, Any]:
        """The non-empty filters as query parameters (for links)."""
        d = asdict(self)
        d.pop("extra")
        out = {}
        for k, v in d.items():
            if v in (None, "", False) or (k == "sort" and v == "last_date") or (k == "order" and v == "desc") \
                    or (k == "limit" and v == 50) or (k == "offset" and v == 0):
                continue
            out[k] = v
        return out


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Browse:
    """Read-only queries over a store (see module doc)."""

    def __init__(self, store: Store, reviews: Reviews | None = None):
        self.store = store
        self.reviews = reviews or Reviews(store)
        self._conn = store._conn
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._cache_version: tuple[Any, Any] | None = None

    def where(self, q: LedgerQuery) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if q.supplier:
            where.append("supplier = ?")
            args.append(q.supplier)
        if q.recipient:
            where.append("recipient = ?")
            args.append(q.recipient)
        if q.category:
            clause, arg = _category_clause(q.category)
            where.append(clause)
            args.append(arg)
        if q.stage:
            # deals.stages is the JSON list of the deal's stages: no lookup in deal_stages needed
            where.append("stages LIKE ?")
            args.append('%"' + q.stage.replace("%", "").replace("_", "").replace('"', "") + '"%')
        if q.year_from is not None or q.year_to is not None:
            # "+id": scan deals and probe the list (random lookups by id cost more on a big ledger)
            where.append("+id IN (SELECT deal_id FROM deal_years WHERE year BETWEEN ? AND ?)")
            args += [q.year_from if q.year_from is not None else -10**6,
                     q.year_to if q.year_to is not None else 10**6]
        if q.outlet:
            where.append("id IN (SELECT c.deal_id FROM articles a JOIN claims c ON c.article_id = a.id "
                         "WHERE a.outlet = ? AND c.deal_id IS NOT NULL)")
            args.append(q.outlet)
        if q.contradictions is True:
            where.append("n_contradictions > 0")
        elif q.contradictions is False:
            where.append("n_contradictions = 0")
        if q.review == "unreviewed":
            where.append(f"id NOT IN ({_REVIEWED_DEALS})")
        elif q.review == "partial":
            where.append(f"id IN ({_REVIEWED_DEALS}) AND id NOT IN ({_FULLY_REVIEWED})")
        elif q.review == "reviewed":
            where.append(f"id IN ({_FULLY_REVIEWED})")
        elif q.review == "needs_review":
            where.append(f"(n_contradictions > 0 OR hedged = 1) AND id NOT IN ({_FULLY_REVIEWED})")
        if q.q:
            where.append("(designations LIKE ? ESCAPE '\\' OR family LIKE ? ESCAPE '\\')")
            args += [_like(q.q), _like(q.q)]
        return where, args

    def ledger(self, q: LedgerQuery) -> tuple[list[dict[str, Any]], int]:
        """(rows of this page, total rows matching).

        The filter is evaluated once (cached until the database changes) into the matching
        deals' ids, facet columns and sort keys; the page is sorted in Python and its rows
        read by id, so paging, sorting and facets never repeat the filter's scan."""
        if q.reviewed_only:
            return self._reviewed_ledger(q)
        col = SORTS.get(q.sort, "last_date")
        where, args = self.where(q)
        key = ("ordered", tuple(where), tuple(map(str, args)), col, q.order)
        ordered = self._cached(key)
        if ordered is None:
            found = self._filtered(q, col)
            present = sorted((r for r in found if r[5] is not None), key=lambda r: r[0])
            present.sort(key=lambda r: r[5], reverse=q.order != "asc")
            ordered = [r[0] for r in present] + sorted(r[0] for r in found if r[5] is None)
            self._store_cache(key, ordered)
        ids = ordered[q.offset:q.offset + q.limit]
        by_id = {}
        for chunk in _chunks(ids):
            for r in self._conn.execute(f"SELECT {', '.join(LEDGER_COLUMNS)} FROM deals WHERE id IN "
                                        f"({','.join('?' * len(chunk))})", chunk):
                by_id[r[0]] = Store._ledger_row(r)
        rows = [by_id[i] for i in ids if i in by_id]
        self._review_counts(rows)
        return rows, len(ordered)

    def _filtered(self, q: LedgerQuery, sort_col: str) -> list[tuple]:
        """(id, supplier, recipient, cgroup, n_claims, sort value, stages) of every matching deal."""
        where, args = self.where(q)
        key = ("filtered", tuple(where), tuple(map(str, args)), sort_col)
        hit = self._cached(key)
        if hit is None:
            w = (" WHERE " + " AND ".join(where)) if where else ""
            hit = self._conn.execute(f"SELECT id, supplier, recipient, cgroup, n_claims, {sort_col}, stages "
                                     f"FROM deals{w}", args).fetchall()
            self._store_cache(key, hit)
        return hit

    def _reviewed_ledger(self, q: LedgerQuery) -> tuple[list[dict[str, Any]], int]:
        """The ledger over reviewed claims only (computed: reviewed claims are few)."""
        where, args = self.where(q)
        allowed = None
        if where:
            allowed = {r[0] for r in self._conn.execute("SELECT id FROM deals WHERE " + " AND ".join(where), args)}
        rows = [r for r in self.reviews.reviewed_ledger() if allowed is None or r["id"] in allowed]
        key = SORTS.get(q.sort, "last_date")
        present = [r for r in rows if r.get(key) is not None]
        missing = [r for r in rows if r.get(key) is None]
        present.sort(key=lambda r: (r[key], r["id"]), reverse=q.order != "asc")
        rows = present + missing
        page = rows[q.offset:q.offset + q.limit]
        for r in page:
            r["n_reviewed"] = r["n_claims"]
        return page, len(rows)

    def _review_counts(self, rows: list[dict[str, Any]]) -> None:
        ids = [r["id"] for r in rows]
        if not ids:
            return
        got = dict(self._conn.execute(
            "SELECT c.deal_id, COUNT(*) FROM claim_reviews r JOIN claims c ON c.id = r.claim_id "
            f"WHERE r.status IN ('accepted', 'corrected') AND c.deal_id IN ({','.join('?' * len(ids))}) "
            "GROUP BY c.deal_id", ids).fetchall())
        for r in rows:
            r["n_reviewed"] = got.get(r["id"], 0)

    def facets(self, q: LedgerQuery, top: int = 12, budget_ms: float = 60.0) -> dict[str, list[tuple[Any, int]]]:
        """Deal counts per value of each facet within the filtered ledger (as datasette does).

        Supplier, recipient and category group come from one pass over the filtered deals.
        Stage and year counts join the small side tables: directly for a small filtered set,
        as "all minus the rest" for a set close to the whole ledger, and otherwise under a
        time budget (a facet that runs out of time is left empty, like datasette's facet
        time limit). Outlets are counted for small sets only. Results are cached until the
        database changes."""
        where, args = self.where(q)
        key = ("facets", tuple(where), tuple(map(str, args)), top)
        hit = self._cached(key)
        if hit is not None:
            return hit
        deadline = time.perf_counter() + budget_ms / 1000
        complete = True
        rows = self._filtered(q, SORTS.get(q.sort, "last_date"))
        out: dict[str, list[tuple[Any, int]]] = {}
        for i, name in ((1, "supplier"), (2, "recipient"), (3, "cgroup")):
            counts = Counter(r[i] for r in rows if r[i] is not None)
            out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ids = [r[0] for r in rows]
        for name, table, col in (("stage", "deal_stages", "stage"), ("year", "deal_years", "year")):
            counts = self._side_counts(table, col, ids, bool(where), where, args, deadline)
            if counts is None:  # out of time: left empty, and not cached (the next view tries again)
                out[name] = []
                complete = False
                continue
            if name == "year":
                out[name] = sorted(counts.items(), key=lambda kv: -kv[0])[:top]
            else:
                out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out["outlet"] = []
        if sum(r[4] or 0 for r in rows) <= OUTLET_FACET_MAX_CLAIMS:
            counts = Counter()
            for chunk in _chunks(ids):
                for outlet, n in self._conn.execute(
                        "SELECT a.outlet, COUNT(DISTINCT x.deal_id) FROM (SELECT DISTINCT deal_id, article_id FROM claims "
                        f"WHERE deal_id IN ({','.join('?' * len(chunk))})) x CROSS JOIN articles a ON a.id = x.article_id "
                        "WHERE a.outlet IS NOT NULL GROUP BY a.outlet", chunk):
                    counts[outlet] += n
            out["outlet"] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        if complete:
            self._store_cache(key, out)
        return out

    def _side_counts(self, table: str, col: str, ids: list[str], filtered: bool, where: list[str], args: list[Any],
                     deadline: float) -> Counter | None:
        """{value: deals} of deal_stages / deal_years over the deals ``ids``."""
        if not filtered:
            key = ("all", table)
            hit = self._cached(key)
            if hit is None:
                hit = Counter(dict(self._conn.execute(f"SELECT {col}, COUNT(*) FROM {table} GROUP BY {col}")))
                self._store_cache(key, hit)
            return Counter(hit)
        if len(ids) <= SIDE_DIRECT_MAX:
            return self._counts_of(table, col, ids)
        n_all = self._conn.execute("SELECT COUNT(*) FROM deals").fetchone()[0]
        if n_all - len(ids) <= SIDE_DIRECT_MAX:
            total = self._side_counts(table, col, [], False, [], [], deadline)
            keep = set(ids)
            rest = [r[0] for r in self._conn.execute("SELECT id FROM deals") if r[0] not in keep]
            total.subtract(self._counts_of(table, col, rest))
            return Counter({k: v for k, v in total.items() if v > 0})
        sql = (f"SELECT {col}, COUNT(*) FROM {table} WHERE +deal_id IN (SELECT id FROM deals WHERE "
               f"{' AND '.join(where)}) GROUP BY {col}")
        got = self._budgeted(sql, args, deadline)
        return Counter(dict(got)) if got is not None else None

    def _counts_of(self, table: str, col: str, ids: list[str]) -> Counter:
        counts: Counter = Counter()
        for chunk in _chunks(ids):
            for v, n in self._conn.execute(f"SELECT {col}, COUNT(*) FROM {table} WHERE deal_id IN "
                                           f"({','.join('?' * len(chunk))}) GROUP BY {col}", chunk):
                counts[v] += n
        return counts

    def _budgeted(self, sql: str, args: list[Any], deadline: float) -> list[tuple] | None:
        """The rows of a query, or None when it cannot finish before ``deadline``."""
        if time.perf_counter() >= deadline:
            return None
        if self.store.dialect == "postgresql":
            return self._budgeted_pg(sql, args, deadline)
        self._conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 5000)
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:
            if "interrupt" in str(e).lower():
                return None
            raise
        finally:
            self._conn.set_progress_handler(None, 0)

    def _budgeted_pg(self, sql: str, args: list[Any], deadline: float) -> list[tuple] | None:
        """PostgreSQL: the server cancels the query at the deadline (a local statement_timeout)."""
        import psycopg

        ms = max(1, int((deadline - time.perf_counter()) * 1000))
        with self.store._lock:  # one transaction on the shared connection at a time
            self._conn.execute("BEGIN")
            try:
                self._conn.execute(f"SET LOCAL statement_timeout = {ms}")
                rows = self._conn.execute(sql, args).fetchall()
            except psycopg.errors.QueryCanceled:
                self._conn.execute("ROLLBACK")
                return None
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return rows

    # a small cache of counts, dropped whenever the database changes (this connection or another)
    def _version(self) -> tuple[Any, Any]:
        if self.store.dialect == "postgresql":
            # the snapshot changes whenever a writing transaction ends, in any session
            return "pg", self._conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
        return self._conn.total_changes, self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _cached(self, key: Any) -> Any:
        v = self._version()
        if self._cache_version != v:
            self._cache.clear()
            self._cache_version = v
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
        return hit

    def _store_cache(self, key: Any, value: Any) -> None:
        """Least recently used first out, bounded by the rows held (a broad filter over a big
        ledger holds tens of thousands), not by the number of entries."""
        self._cache[key] = value
        self._cache.move_to_end(key)
        weight = lambda v: len(v) if isinstance(v, list) else 1  # noqa: E731
        total = sum(weight(v) for v in self._cache.values())
        while total > CACHE_ROWS and len(self._cache) > 1:
            _k, old = self._cache.popitem(last=False)
            total -= weight(old)

    def flows(self, q: LedgerQuery, top: int = 30) -> list[dict[str, Any]]:
        """Supplier → recipient pairs of the filtered ledger: deals and units (delivered, else ordered)."""
        where, args = self.where(q)
        key = ("flows", tuple(where), tuple(map(str, args)), top)
        hit = self._cached(key)
        if hit is not None:
            return hit
        w = " AND ".join(where) if where else "1"
        sql = (f"SELECT supplier, recipient, COUNT(*) AS n, SUM(COALESCE(quantity_delivered, quantity_ordered, 0)) "
               f"FROM deals WHERE {w} AND supplier IS NOT NULL AND recipient IS NOT NULL "
               "GROUP BY supplier, recipient ORDER BY n DESC, supplier, recipient LIMIT ?")
        out = [{"supplier": s, "recipient": r, "deals": n, "units": int(u or 0)}  # PostgreSQL sums to numeric
               for s, r, n, u in self._conn.execute(sql, [*args, int(top)])]
        self._store_cache(key, out)
        return out

    def by_year(self, q: LedgerQuery, budget_ms: float = 250.0) -> list[dict[str, Any]]:
        """Deals per year (a deal counts in every year it has a dated claim) and, of those,
        the deals with a delivery; counted like the year facet (see :meth:`facets`)."""
        where, args = self.where(q)
        key = ("by_year", tuple(where), tuple(map(str, args)))
        hit = self._cached(key)
        if hit is not None:
            return hit
        deadline = time.perf_counter() + budget_ms / 1000
        found = self._filtered(q, SORTS.get(q.sort, "last_date"))
        ids = [r[0] for r in found]
        deals = self._side_counts("deal_years", "year", ids, bool(where), where, args, deadline)
        dw, da = [*where, "stages LIKE ?"], [*args, '%"delivered"%']
        dids = [r[0] for r in found if r[6] and '"delivered"' in r[6]]
        deliv = self._side_counts("deal_years", "year", dids, True, dw, da, deadline)
        out = [{"year": y, "deals": n, "with_delivery": (deliv or {}).get(y, 0)}
               for y, n in sorted((deals or {}).items())]
        if deals is not None and deliv is not None:  # out of time: not cached (the next view tries again)
            self._store_cache(key, out)
        return out

    def article_claims(self, article_id: str) -> list[tuple[Any, str | None]]:
        """(claim, deal id) of an article's claims in the ledger, in extraction order."""
        import json

        from ..models import Claim

        rows = self._conn.execute("SELECT data, deal_id FROM claims WHERE article_id=? ORDER BY rowid",
                                  (article_id,)).fetchall()
        out = [(Claim.from_dict(json.loads(d)), did) for d, did in rows]
        out.sort(key=lambda x: _claim_order(x[0].id))
        return out

    def deal_ids(self, claim_ids: list[str]) -> dict[str, str | None]:
        """{claim id: its deal id} for stored claims."""
        out: dict[str, str | None] = {}
        for i in range(0, len(claim_ids), 500):
            chunk = claim_ids[i:i + 500]
            out.update(self._conn.execute(f"SELECT id, deal_id FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                                          chunk).fetchall())
        return out

    def outlets(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL "
                                                 "ORDER BY outlet LIMIT 500")]

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT id, title, outlet, published, url FROM articles "
                                  "ORDER BY published DESC, id LIMIT ? OFFSET ?", (int(limit), int(offset)))
        return [dict(zip(("id", "title", "outlet", "published", "url"), r)) for r in rows]


def _claim_order(claim_id: str) -> tuple[str, int]:
    head, _, tail = claim_id.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (claim_id, 0)


def _chunks(ids: list[str], n: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]
