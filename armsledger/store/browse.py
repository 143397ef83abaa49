"""Ledger queries for the web workbench: more filters than ``Store.ledger``, sorting,
paging, facet counts and supplier → recipient flows.

Uses the store's connection and its summary tables (``deals``, ``deal_years``,
``deal_stages``) plus the review tables of :mod:`armsledger.store.reviews`. Every
value reaches SQL as a parameter; column names come only from the whitelists here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
# the outlet facet joins claims to articles: only computed when the filtered ledger is this small
OUTLET_FACET_MAX_DEALS = 5000

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
            where.append("id IN (SELECT deal_id FROM deal_stages WHERE stage = ?)")
            args.append(q.stage)
        if q.year_from is not None or q.year_to is not None:
            where.append("id IN (SELECT deal_id FROM deal_years WHERE year BETWEEN ? AND ?)")
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
        """(rows of this page, total rows matching)."""
        if q.reviewed_only:
            return self._reviewed_ledger(q)
        where, args = self.where(q)
        w = (" WHERE " + " AND ".join(where)) if where else ""
        col = SORTS.get(q.sort, "last_date")
        direction = "ASC" if q.order == "asc" else "DESC"
        sql = (f"SELECT {', '.join(LEDGER_COLUMNS)} FROM deals{w} ORDER BY {col} IS NULL, {col} {direction}, id "
               "LIMIT ? OFFSET ?")
        rows = [Store._ledger_row(r) for r in self._conn.execute(sql, [*args, int(q.limit), int(q.offset)])]
        total = self._conn.execute(f"SELECT COUNT(*) FROM deals{w}", args).fetchone()[0]
        self._review_counts(rows)
        return rows, total

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

    def facets(self, q: LedgerQuery, top: int = 12) -> dict[str, list[tuple[Any, int]]]:
        """Deal counts per value of each facet, for the filtered ledger (datasette-style);
        each facet ignores its own filter so that its other values stay visible."""
        out: dict[str, list[tuple[Any, int]]] = {}
        for name in FACETS:
            sub = LedgerQuery(**{**asdict(q), "extra": {}})
            if name == "cgroup":
                sub.category = None
            elif name == "year":
                sub.year_from = sub.year_to = None
            elif name in ("supplier", "recipient", "stage", "outlet"):
                setattr(sub, name, None)
            where, args = self.where(sub)
            w = " AND ".join(where) if where else "1"
            if name in ("supplier", "recipient", "cgroup"):
                sql = (f"SELECT {name}, COUNT(*) AS n FROM deals WHERE {w} AND {name} IS NOT NULL "
                       f"GROUP BY {name} ORDER BY n DESC, {name} LIMIT ?")
            elif name == "stage":
                sql = (f"SELECT stage, COUNT(*) AS n FROM deal_stages WHERE deal_id IN (SELECT id FROM deals WHERE {w}) "
                       "GROUP BY stage ORDER BY n DESC, stage LIMIT ?")
            elif name == "year":
                sql = (f"SELECT year, COUNT(*) AS n FROM deal_years WHERE deal_id IN (SELECT id FROM deals WHERE {w}) "
                       "GROUP BY year ORDER BY year DESC LIMIT ?")
            else:
                n = self._conn.execute(f"SELECT COUNT(*) FROM deals WHERE {w}", args).fetchone()[0]
                if n > OUTLET_FACET_MAX_DEALS:
                    out[name] = []
                    continue
                sql = (f"SELECT a.outlet, COUNT(DISTINCT c.deal_id) AS n FROM claims c JOIN articles a "
                       f"ON a.id = c.article_id WHERE c.deal_id IN (SELECT id FROM deals WHERE {w}) "
                       "AND a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY n DESC, a.outlet LIMIT ?")
            out[name] = [(v, n) for v, n in self._conn.execute(sql, [*args, int(top)])]
        return out

    def flows(self, q: LedgerQuery, top: int = 30) -> list[dict[str, Any]]:
        """Supplier → recipient pairs of the filtered ledger: deals and units (delivered, else ordered)."""
        where, args = self.where(q)
        w = " AND ".join(where) if where else "1"
        sql = (f"SELECT supplier, recipient, COUNT(*) AS n, SUM(COALESCE(quantity_delivered, quantity_ordered, 0)) "
               f"FROM deals WHERE {w} AND supplier IS NOT NULL AND recipient IS NOT NULL "
               "GROUP BY supplier, recipient ORDER BY n DESC, supplier, recipient LIMIT ?")
        return [{"supplier": s, "recipient": r, "deals": n, "units": u or 0}
                for s, r, n, u in self._conn.execute(sql, [*args, int(top)])]

    def by_year(self, q: LedgerQuery) -> list[dict[str, Any]]:
        """Deals per year (a deal counts in every year it has a dated claim), by stage."""
        where, args = self.where(q)
        w = " AND ".join(where) if where else "1"
        sql = (f"SELECT y.year, COUNT(DISTINCT y.deal_id), "
               "SUM(EXISTS(SELECT 1 FROM deal_stages s WHERE s.deal_id = y.deal_id AND s.stage = 'delivered')) "
               f"FROM deal_years y WHERE y.deal_id IN (SELECT id FROM deals WHERE {w}) GROUP BY y.year ORDER BY y.year")
        return [{"year": y, "deals": n, "with_delivery": d or 0} for y, n, d in self._conn.execute(sql, args)]

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
