"""SQLite store: articles, claims and an incrementally maintained deal summary.

Plain :mod:`sqlite3`. The public methods (``has_article``, ``add``, ``claims``,
``ledger``, ``deal``, ``deals``, ``article``, ``stats``, ``close``) are the
interface a PostgreSQL backend would implement; SQL lives only in this file.

Design:

* ``add`` is ONE transaction per article (``BEGIN IMMEDIATE``): article row,
  its claims, deal assignment, and the summary rows of every deal it touches.
  An article already stored is a no-op (returns False, writes nothing); any
  exception rolls everything back.
* ``deals`` holds one summary row per deal (counts, dates, stages, best
  quantities, contradiction count) kept up to date on insert, and the small
  side tables ``deal_years`` / ``deal_stages`` make the ``year`` (claim dates)
  and ``stage`` filters index lookups, so ``ledger`` never scans claims.
* ``deal(id)`` rebuilds the full :class:`Deal` from that deal's claims (index
  on claims.deal_id), plus cumulative checks for its supplier/recipient pair.
"""
from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..models import Article, Claim, Deal
from ..resolve.cumulative import check_cumulative, deal_matches
from ..resolve.deals import (_EXACT_GROUP, assign_deals, build_deal, build_tranches,
                             category_group, dates_compatible)

SCHEMA_VERSION = 1

# Deals with more claims than this get an incremental summary update on
# insert instead of a rebuild from their claims (keeps ingest O(batch)).
REBUILD_LIMIT = 200
MAX_DESIGNATIONS = 50

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,
    path TEXT,
    text TEXT,
    ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    deal_id TEXT,
    kind TEXT NOT NULL DEFAULT 'transfer',
    supplier TEXT COLLATE NOCASE,
    recipient TEXT COLLATE NOCASE,
    maker TEXT,
    designation TEXT,
    family TEXT,
    category TEXT COLLATE NOCASE,
    cgroup TEXT,
    quantity INTEGER,
    uncertain INTEGER NOT NULL DEFAULT 0,
    stage TEXT,
    date TEXT,
    granularity TEXT,
    year INTEGER,
    attribution TEXT,
    hedged INTEGER NOT NULL DEFAULT 0,
    denies TEXT,
    terms TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_deal ON claims(deal_id);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS claims_pair ON claims(supplier, recipient, kind);
CREATE INDEX IF NOT EXISTS claims_recipient ON claims(recipient);
CREATE INDEX IF NOT EXISTS claims_stage ON claims(stage);
CREATE INDEX IF NOT EXISTS claims_year ON claims(year);
CREATE INDEX IF NOT EXISTS claims_family ON claims(family);
CREATE TABLE IF NOT EXISTS deals (
    id TEXT PRIMARY KEY,
    supplier TEXT COLLATE NOCASE,
    recipient TEXT COLLATE NOCASE,
    family TEXT,
    category TEXT COLLATE NOCASE,
    cgroup TEXT,
    designations TEXT NOT NULL DEFAULT '[]',
    stages TEXT NOT NULL DEFAULT '[]',
    quantity_ordered INTEGER,
    quantity_delivered INTEGER,
    quantity_uncertain INTEGER NOT NULL DEFAULT 0,
    order_date TEXT,
    first_date TEXT,
    last_date TEXT,
    delivery_years TEXT NOT NULL DEFAULT '[]',
    n_claims INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_contradictions INTEGER NOT NULL DEFAULT 0,
    hedged INTEGER NOT NULL DEFAULT 0,
    terms TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS deals_supplier ON deals(supplier);
CREATE INDEX IF NOT EXISTS deals_recipient ON deals(recipient);
CREATE INDEX IF NOT EXISTS deals_pair ON deals(supplier, recipient);
CREATE INDEX IF NOT EXISTS deals_category ON deals(category);
CREATE INDEX IF NOT EXISTS deals_cgroup ON deals(cgroup);
CREATE INDEX IF NOT EXISTS deals_family ON deals(family);
CREATE INDEX IF NOT EXISTS deals_last ON deals(last_date);
CREATE TABLE IF NOT EXISTS deal_years (
    year INTEGER NOT NULL,
    deal_id TEXT NOT NULL,
    PRIMARY KEY (year, deal_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deal_stages (
    stage TEXT NOT NULL,
    deal_id TEXT NOT NULL,
    PRIMARY KEY (stage, deal_id)
) WITHOUT ROWID;
"""

CLAIM_COLUMNS = ("id", "article_id", "deal_id", "kind", "supplier", "recipient", "maker", "designation",
                 "family", "category", "cgroup", "quantity", "uncertain", "stage", "date", "granularity",
                 "year", "attribution", "hedged", "denies", "terms", "data")

LEDGER_COLUMNS = ("id", "supplier", "recipient", "family", "category", "cgroup", "designations", "stages",
                  "quantity_ordered", "quantity_delivered", "quantity_uncertain", "order_date", "first_date",
                  "last_date", "delivery_years", "n_claims", "n_articles", "n_contradictions", "hedged", "terms")

_JSON_LEDGER = ("designations", "stages", "delivery_years", "terms")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


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


_CLAIM_FIELDS = [f.name for f in dataclasses.fields(Claim)]


def _claim_dict(c: Claim) -> dict[str, Any]:
    """``Claim.to_dict()`` without the cost of ``dataclasses.asdict`` (deep copies)."""
    d: dict[str, Any] = {k: getattr(c, k) for k in _CLAIM_FIELDS}
    d["evidence"] = {k: ({"start": e.start, "end": e.end, "quote": e.quote} if hasattr(e, "quote") else e)
                     for k, e in (c.evidence or {}).items()}
    d["equipment"] = {"designation": c.designation, "family": c.family, "category": c.category, "maker": c.maker}
    return d


class Store:
    """SQLite-backed ledger store (see module doc)."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            path = os.environ.get("ARMSLEDGER_DB") or "armsledger.db"
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._lock = threading.RLock()
        c = self._conn
        if self.path != ":memory:":
            c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("PRAGMA busy_timeout=30000")
        self._init_schema()

    # -- lifecycle ---------------------------------------------------------
    def _init_schema(self) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in SCHEMA.split(";"):
                    if stmt.strip():
                        self._conn.execute(stmt)
                row = self._conn.execute("SELECT version FROM schema_version").fetchone()
                if row is None:
                    self._conn.execute("INSERT INTO schema_version(version) VALUES (?)", (SCHEMA_VERSION,))
                elif row[0] > SCHEMA_VERSION:
                    raise RuntimeError(f"database schema {row[0]} is newer than this armsledger ({SCHEMA_VERSION})")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add(self, article: Article, claims: list[Claim]) -> bool:
        """Store one article and its claims in one transaction.

        Returns False (writing nothing) when the article id is already stored.
        Claims without an id get "<article_id>-<n>"; claims whose ``article``
        dict lacks an id get the article's metadata.
        """
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if self.has_article(article.id):
                    conn.execute("ROLLBACK")
                    return False
                self._insert_article(article)
                claims = self._prepare_claims(article, claims)
                # existing family deals matter only to family-less claims with a category
                pairs = {(c.supplier, c.recipient) for c in claims
                         if c.kind != "cumulative" and not c.family and c.category}
                existing = self._family_deals(pairs)
                mapping = assign_deals(claims, existing)
                touched: dict[str, list[Claim]] = {}
                for c in claims:
                    did = mapping.get(c.id)
                    self._insert_claim(c, did)
                    if did is not None:
                        touched.setdefault(did, []).append(c)
                for did, new in touched.items():
                    self._refresh_deal(did, new)
                conn.execute("COMMIT")
                return True
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _prepare_claims(self, article: Article, claims: list[Claim]) -> list[Claim]:
        out = []
        seen: set[str] = set()
        for i, c in enumerate(claims, 1):
            if not c.id:
                c.id = f"{article.id}-{i}"
            if c.id in seen:
                raise ValueError(f"duplicate claim id {c.id!r} in one article")
            seen.add(c.id)
            if not isinstance(c.article, dict) or not c.article.get("id"):
                c.article = article.meta()
            out.append(c)
        return out

    def _insert_article(self, a: Article) -> None:
        self._conn.execute(
            "INSERT INTO articles(id, url, title, outlet, published, path, text, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (a.id, a.url, a.title, a.outlet, a.published, a.path, a.text, _now()))

    def _insert_claim(self, c: Claim, deal_id: str | None) -> None:
        art = c.article.get("id") if isinstance(c.article, dict) else None
        data = json.dumps(_claim_dict(c), ensure_ascii=False, sort_keys=True)
        self._conn.execute(
            f"INSERT INTO claims({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})",
            (c.id, art, deal_id, c.kind or "transfer", c.supplier, c.recipient, c.maker, c.designation,
             c.family, c.category, category_group(c.category), c.quantity, int(bool(c.uncertain)), c.stage,
             c.date, c.granularity, _year(c.date), c.attribution, int(bool(c.hedged)), c.denies,
             json.dumps(c.terms or {}, ensure_ascii=False, sort_keys=True), data))
        if deal_id is not None:
            y = _year(c.date)
            if y is not None:
                self._conn.execute("INSERT OR IGNORE INTO deal_years(year, deal_id) VALUES (?,?)", (y, deal_id))
            if c.stage:
                self._conn.execute("INSERT OR IGNORE INTO deal_stages(stage, deal_id) VALUES (?,?)",
                                   (c.stage, deal_id))

    def _family_deals(self, pairs: Iterable[tuple[str | None, str | None]]) -> list[dict[str, Any]]:
        out = []
        for s, r in pairs:
            rows = self._conn.execute(
                "SELECT id, supplier, recipient, family, category FROM deals "
                "WHERE supplier IS ? AND recipient IS ? AND family IS NOT NULL", (s, r)).fetchall()
            out.extend({"id": x[0], "supplier": x[1], "recipient": x[2], "family": x[3], "category": x[4]}
                       for x in rows)
        return out

    # -- deal summaries ------------------------------------------------------
    def _light_claims(self, deal_id: str) -> list[Claim]:
        """A deal's claims from the columns (no evidence JSON): enough for summaries."""
        rows = self._conn.execute(
            "SELECT id, article_id, kind, supplier, recipient, maker, designation, family, category, quantity, "
            "uncertain, stage, date, granularity, attribution, hedged, denies, terms FROM claims WHERE deal_id=?",
            (deal_id,)).fetchall()
        return [Claim(id=r[0], article={"id": r[1]}, kind=r[2], supplier=r[3], recipient=r[4], maker=r[5],
                      designation=r[6], family=r[7], category=r[8], quantity=r[9], uncertain=bool(r[10]),
                      stage=r[11], date=r[12], granularity=r[13], attribution=r[14], hedged=bool(r[15]),
                      denies=r[16], terms=json.loads(r[17] or "{}")) for r in rows]

    def _refresh_deal(self, deal_id: str, new: list[Claim]) -> None:
        row = self._conn.execute("SELECT n_claims FROM deals WHERE id=?", (deal_id,)).fetchone()
        if row is None or row[0] + len(new) <= REBUILD_LIMIT:
            summary = self._summary_rebuild(deal_id)
        else:
            summary = self._summary_increment(deal_id, new)
        summary["updated_at"] = _now()
        cols = list(summary)
        self._conn.execute(
            f"INSERT INTO deals(id, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))}) "
            f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{k}=excluded.{k}' for k in cols)}",
            (deal_id, *[summary[k] for k in cols]))

    @staticmethod
    def _votes(groups: list[list[Claim]]) -> list[list[Any]]:
        state = []
        for g in groups:
            dates = [c.date for c in g if c.date]
            date = max(dates, key=len) if dates else None
            votes = Counter(str(c.quantity) for c in g if c.quantity is not None)
            unc = any(c.uncertain for c in g)
            state.append([date, dict(votes), unc])
        return state

    def _summary_rebuild(self, deal_id: str) -> dict[str, Any]:
        claims = self._light_claims(deal_id)
        deal = build_deal(deal_id, claims)
        _, t_groups = build_tranches(claims, "delivered")
        _, o_groups = build_tranches(claims, "ordered")
        terms: dict[str, Any] = {}
        for c in claims:
            _merge_terms(terms, c.terms)
        designations: list[str] = []
        for c in claims:
            if c.designation and c.designation not in designations and len(designations) < MAX_DESIGNATIONS:
                designations.append(c.designation)
        n_quantity = sum(1 for x in deal.contradictions if x.field == "quantity")
        state = {"t": self._votes(t_groups), "o": self._votes(o_groups),
                 "nq": len(deal.contradictions) - n_quantity}
        dates = sorted(c.date for c in claims if c.date)
        return self._summary_from_state(
            state, supplier=deal.supplier, recipient=deal.recipient, family=deal.family, category=deal.category,
            designations=designations, stages=sorted({c.stage for c in claims if c.stage}),
            first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
            n_claims=len(claims), n_articles=len({c.article.get("id") for c in claims}),
            hedged=any(c.hedged for c in claims), terms=terms)

    def _summary_increment(self, deal_id: str, new: list[Claim]) -> dict[str, Any]:
        r = self._conn.execute(
            "SELECT supplier, recipient, family, category, designations, stages, first_date, last_date, "
            "n_claims, n_articles, hedged, terms, state FROM deals WHERE id=?", (deal_id,)).fetchone()
        state = json.loads(r[12] or "{}")
        state.setdefault("t", [])
        state.setdefault("o", [])
        state.setdefault("nq", 0)
        for c in new:
            key = {"delivered": "t", "ordered": "o"}.get(c.stage or "")
            if key:
                groups = state[key]
                hits = [g for g in groups if dates_compatible(g[0], c.date)] if c.date else (
                    groups if len(groups) == 1 else [g for g in groups if g[0] is None])
                if len(hits) == 1:
                    g = hits[0]
                    if c.date and len(c.date) > len(g[0] or ""):
                        g[0] = c.date
                else:
                    g = [c.date, {}, False]
                    groups.append(g)
                if c.quantity is not None:
                    g[1][str(c.quantity)] = g[1].get(str(c.quantity), 0) + 1
                g[2] = bool(g[2]) or bool(c.uncertain)
            if c.stage == "denied":
                state["nq"] += 1
        designations = json.loads(r[4])
        for c in new:
            if c.designation and c.designation not in designations and len(designations) < MAX_DESIGNATIONS:
                designations.append(c.designation)
        dates = [d for d in [r[6], r[7], *(c.date for c in new)] if d]
        terms = json.loads(r[11] or "{}")
        for c in new:
            _merge_terms(terms, c.terms)
        return self._summary_from_state(
            state, supplier=r[0], recipient=r[1], family=r[2], category=r[3], designations=designations,
            stages=sorted(set(json.loads(r[5])) | {c.stage for c in new if c.stage}),
            first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
            n_claims=r[8] + len(new), n_articles=r[9] + 1,  # one new article per add()
            hedged=bool(r[10]) or any(c.hedged for c in new), terms=terms)

    @staticmethod
    def _summary_from_state(state: dict[str, Any], **kw: Any) -> dict[str, Any]:
        def total(groups: list[list[Any]]) -> tuple[int | None, bool, int]:
            s, any_q, unc, conflicts = 0, False, False, 0
            for _, votes, u in groups:
                q, disagree = _best(votes)
                if q is not None:
                    s += q
                    any_q = True
                else:
                    unc = True  # a group of unknown size
                conflicts += disagree
                unc = unc or disagree or bool(u)
            return (s if any_q else None), unc, conflicts

        q_del, unc_d, conf_d = total(state["t"])
        q_ord, unc_o, conf_o = total(state["o"])
        order_dates = sorted(g[0] for g in state["o"] if g[0])
        years = sorted({g[0][:4] for g in state["t"] if g[0]})
        out = dict(kw)
        out.update(
            cgroup=category_group(kw.get("category")),
            designations=json.dumps(kw["designations"], ensure_ascii=False),
            stages=json.dumps(kw["stages"]),
            terms=json.dumps(kw["terms"], ensure_ascii=False, sort_keys=True),
            hedged=int(bool(kw["hedged"])),
            quantity_ordered=q_ord, quantity_delivered=q_del,
            quantity_uncertain=int(unc_d or unc_o),
            order_date=order_dates[0] if order_dates else None,
            delivery_years=json.dumps([int(y) for y in years if y.isdigit()]),
            n_contradictions=int(state.get("nq", 0)) + conf_d + conf_o,
            state=json.dumps(state, ensure_ascii=False, sort_keys=True),
        )
        return out

    # -- queries --------------------------------------------------------------
    def ledger(self, supplier: str | None = None, recipient: str | None = None, category: str | None = None,
               stage: str | None = None, year: int | str | None = None, limit: int | None = None,
               family: str | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """One row per deal, newest activity first. ``category`` matches the deal's
        category or its category group ("helicopter"); ``year`` matches deals with
        a claim dated in that year; ``stage`` deals with a claim at that stage."""
        where, args = self._deal_filters(supplier, recipient, category, stage, year, family)
        sql = (f"SELECT {', '.join(LEDGER_COLUMNS)} FROM deals"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY last_date IS NULL, last_date DESC, id")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        rows = self._conn.execute(sql, args).fetchall()
        return [self._ledger_row(r) for r in rows]

    @staticmethod
    def _deal_filters(supplier: Any, recipient: Any, category: Any, stage: Any, year: Any,
                      family: Any) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if supplier:
            where.append("supplier = ?")
            args.append(supplier)
        if recipient:
            where.append("recipient = ?")
            args.append(recipient)
        if family:
            where.append("family = ?")
            args.append(family)
        if category:
            cat = str(category).strip().lower()
            if cat in _EXACT_GROUP:
                where.append("cgroup = ?")
                args.append(_EXACT_GROUP[cat])
            else:
                where.append("category = ?")
                args.append(category)
        if stage:
            where.append("id IN (SELECT deal_id FROM deal_stages WHERE stage = ?)")
            args.append(stage)
        if year is not None and year != "":
            where.append("id IN (SELECT deal_id FROM deal_years WHERE year = ?)")
            args.append(int(year))
        return where, args

    @staticmethod
    def _ledger_row(r: tuple) -> dict[str, Any]:
        d = dict(zip(LEDGER_COLUMNS, r))
        for k in _JSON_LEDGER:
            d[k] = json.loads(d[k]) if d[k] else ([] if k != "terms" else {})
        d["quantity_uncertain"] = bool(d["quantity_uncertain"])
        d["hedged"] = bool(d["hedged"])
        return d

    def claims(self, **filters: Any) -> list[Claim]:
        """Claims matching the filters: id, article_id (or article), deal_id (or deal),
        kind, supplier, recipient, family, designation, category (category or group),
        stage, year, limit, offset. Ordered by id."""
        return list(self.iter_claims(**filters))

    def iter_claims(self, **filters: Any) -> Iterator[Claim]:
        alias = {"article": "article_id", "deal": "deal_id"}
        limit = filters.pop("limit", None)
        offset = filters.pop("offset", 0)
        where: list[str] = []
        args: list[Any] = []
        for key, value in filters.items():
            key = alias.get(key, key)
            if value is None:
                continue
            if key == "category":
                cat = str(value).strip().lower()
                if cat in _EXACT_GROUP:
                    where.append("cgroup = ?")
                    args.append(_EXACT_GROUP[cat])
                else:
                    where.append("category = ?")
                    args.append(value)
            elif key == "year":
                where.append("year = ?")
                args.append(int(value))
            elif key in ("id", "article_id", "deal_id", "kind", "supplier", "recipient", "family",
                         "designation", "stage", "granularity", "attribution"):
                where.append(f"{key} = ?")
                args.append(value)
            else:
                raise ValueError(f"unknown claim filter {key!r}")
        sql = "SELECT data FROM claims" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        for (data,) in self._conn.execute(sql, args):
            yield Claim.from_dict(json.loads(data))

    def deal(self, deal_id: str) -> Deal | None:
        """The full Deal: claims with evidence, tranches, orders, contradictions,
        and ``checks`` = cumulative-total contradictions for its supplier/recipient."""
        rows = self._conn.execute("SELECT data FROM claims WHERE deal_id=? ORDER BY id", (deal_id,)).fetchall()
        if not rows:
            return None
        deal = build_deal(deal_id, [Claim.from_dict(json.loads(r[0])) for r in rows])
        deal.checks = self._cumulative_checks(deal)
        return deal

    def deals(self, **filters: Any) -> Iterator[Deal]:
        """Full Deals for the ledger rows matching ``filters`` (same as :meth:`ledger`)."""
        for row in self.ledger(**filters):
            d = self.deal(row["id"])
            if d is not None:
                yield d

    def _cumulative_checks(self, deal: Deal, max_claims: int = 50) -> list:
        rows = self._conn.execute(
            "SELECT data FROM claims WHERE supplier IS ? AND recipient IS ? AND kind='cumulative' "
            "ORDER BY date DESC, id LIMIT ?", (deal.supplier, deal.recipient, max_claims)).fetchall()
        cums = [Claim.from_dict(json.loads(r[0])) for r in rows]
        cums = [c for c in cums if deal_matches(c, deal)]
        if not cums:
            return []
        cands = self._conn.execute(
            "SELECT id, supplier, recipient, family, category FROM deals WHERE supplier IS ? AND recipient IS ?",
            (deal.supplier, deal.recipient)).fetchall()
        pool: dict[str, Deal] = {deal.id: deal}
        out = []
        for cum in sorted(cums, key=lambda c: c.id):
            for did, s, r, fam, cat in cands:
                if did in pool:
                    continue
                if deal_matches(cum, {"supplier": s, "recipient": r, "family": fam, "category": cat}):
                    light = [c for c in self._light_claims(did) if c.stage == "delivered"]
                    d = Deal(id=did, supplier=s, recipient=r, family=fam, category=cat, claims=light)
                    d.tranches = build_tranches(light)[0]
                    pool[did] = d
            matched = [d for d in pool.values() if deal_matches(cum, d)]
            out.extend(check_cumulative(cum, matched))
        return out

    def article(self, article_id: str) -> Article | None:
        r = self._conn.execute("SELECT id, url, title, outlet, published, path, text FROM articles WHERE id=?",
                               (article_id,)).fetchone()
        if r is None:
            return None
        return Article(text=r[6] or "", url=r[1], title=r[2], outlet=r[3], published=r[4], path=r[5], id=r[0])

    def stats(self) -> dict[str, Any]:
        q = lambda sql: self._conn.execute(sql).fetchone()[0]  # noqa: E731
        by_stage = dict(self._conn.execute(
            "SELECT COALESCE(stage, '?'), COUNT(*) FROM claims WHERE kind='transfer' GROUP BY stage").fetchall())
        return {
            "path": self.path,
            "schema_version": q("SELECT version FROM schema_version"),
            "articles": q("SELECT COUNT(*) FROM articles"),
            "claims": q("SELECT COUNT(*) FROM claims"),
            "cumulative_claims": q("SELECT COUNT(*) FROM claims WHERE kind='cumulative'"),
            "deals": q("SELECT COUNT(*) FROM deals"),
            "deals_with_contradictions": q("SELECT COUNT(*) FROM deals WHERE n_contradictions > 0"),
            "contradictions": q("SELECT COALESCE(SUM(n_contradictions), 0) FROM deals"),
            "claims_by_stage": by_stage,
            "suppliers": q("SELECT COUNT(DISTINCT supplier) FROM deals"),
            "recipients": q("SELECT COUNT(DISTINCT recipient) FROM deals"),
        }
