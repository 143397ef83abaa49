"""SQLite store: articles, claims and an incrementally maintained deal summary.

Plain :mod:`sqlite3`. The public methods (``has_article``, ``add``, ``bulk_add``, ``claims``,
``ledger``, ``deal``, ``deals``, ``article``, ``stats``, ``close``) are the storage
interface; :class:`~armsledger.store.postgres.PgStore` implements it on PostgreSQL by running
this SQL through its dialect layer.

Design:

* ``add`` is ONE transaction per article (``BEGIN IMMEDIATE``): article row,
  its claims, deal assignment, and the summary rows of every deal it touches.
  An article already stored is a no-op (returns False, writes nothing); any
  exception rolls everything back.
* ``deals`` holds one summary row per deal (counts, dates, stages, best
  quantities, contradiction count) kept up to date on insert, and the small
  side tables ``deal_years`` / ``deal_stages`` make the ``year`` (claim dates)
  and ``stage`` filters index lookups, so ``ledger`` never scans claims.
* the summaries are incremental: adding an article costs the same however many
  claims its deals already hold (``deal_dates`` / ``deal_parts`` keep the tranche
  clustering per stage, date and year). The arithmetic is resolution and lives in
  :mod:`armsledger.resolve.incremental` (with what is exact and the one documented
  approximation); this store persists what it returns (:mod:`.tables`).
* ``bulk_add`` streams many articles through the same routine as ``add``,
  committing every ``batch`` articles.
* ``deal(id)`` rebuilds the full :class:`Deal` from that deal's claims (index
  on claims.deal_id), plus cumulative checks for its supplier/recipient pair.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import os
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import DatabaseError
from ..models import Article, Claim, Deal
from ..resolve.cumulative import deal_checks
from ..resolve.sources import cite
from ..resolve.assign import assign_article, reassignments
from ..resolve.deals import _EXACT_GROUP, assign_deals, build_deal, category_group
from ..resolve.incremental import EXACT_LIMIT, rebuild_summary, refresh, replay
from .tables import DealTables

SCHEMA_VERSION = 2  # 2: incremental deal summaries (deal_dates, deal_parts)


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
CREATE INDEX IF NOT EXISTS claims_denies ON claims(denies) WHERE denies IS NOT NULL;
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
CREATE TABLE IF NOT EXISTS deal_dates (
    deal_id TEXT NOT NULL,
    sk TEXT NOT NULL,
    part TEXT NOT NULL,
    date TEXT NOT NULL,
    n INTEGER NOT NULL,
    votes TEXT NOT NULL,
    unc INTEGER NOT NULL,
    norms TEXT NOT NULL,
    PRIMARY KEY (deal_id, sk, part, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deal_parts (
    deal_id TEXT NOT NULL,
    sk TEXT NOT NULL,
    part TEXT NOT NULL,
    n_groups INTEGER NOT NULL,
    sum_q INTEGER NOT NULL,
    any_q INTEGER NOT NULL,
    unc INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    min_key TEXT,
    single TEXT,
    PRIMARY KEY (deal_id, sk, part)
) WITHOUT ROWID;
"""

# Plain-column views for datasette, spreadsheets and DataFrames (no JSON in cells). Recreated on
# every open, so they follow this version of armsledger; `countries` gives names for ISO3 codes.
COUNTRIES = """
CREATE TABLE IF NOT EXISTS countries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
)
"""

_TERM_COLUMNS = ("purchase", "aid", "second_hand", "lease", "licence", "value")
_QUOTE_FIELDS = ("supplier", "recipient", "designation", "quantity", "stage", "date", "attribution")

VIEWS = {
    "claims_flat": "SELECT c.id AS claim_id, c.deal_id, c.kind, c.supplier, sc.name AS supplier_name, "
                   "c.recipient, rc.name AS recipient_name, c.maker, c.designation, c.family, c.category, "
                   "c.cgroup AS category_group, c.quantity, c.uncertain, c.stage, c.date, c.granularity, "
                   "json_extract(c.data, '$.date_text') AS date_text, c.attribution, c.hedged, c.denies, "
                   + "".join(f"json_extract(c.terms, '$.{t}') AS {t}, " for t in _TERM_COLUMNS)
                   + "a.id AS article_id, a.url, a.outlet, a.published, a.title, a.path, "
                   + "".join(f"json_extract(c.data, '$.evidence.{f}.quote') AS {f}_quote, " for f in _QUOTE_FIELDS)
                   + "json_extract(c.data, '$.evidence.sentence.quote') AS sentence "
                   "FROM claims c LEFT JOIN articles a ON a.id = c.article_id "
                   "LEFT JOIN countries sc ON sc.code = c.supplier LEFT JOIN countries rc ON rc.code = c.recipient",
    "deals_summary": "SELECT d.id AS deal_id, d.supplier, sc.name AS supplier_name, d.recipient, "
                     "rc.name AS recipient_name, d.family, d.category, d.cgroup AS category_group, "
                     "(SELECT group_concat(value, '; ') FROM json_each(d.designations)) AS designations, "
                     "(SELECT group_concat(value, '; ') FROM json_each(d.stages)) AS stages, "
                     "d.quantity_ordered, d.quantity_delivered, d.quantity_uncertain, d.order_date, d.first_date, "
                     "d.last_date, (SELECT group_concat(value, '; ') FROM json_each(d.delivery_years)) "
                     "AS delivery_years, d.n_claims, d.n_articles, d.n_contradictions, d.hedged, "
                     + "".join(f"json_extract(d.terms, '$.{t}') AS {t}, " for t in _TERM_COLUMNS)
                     + "(SELECT group_concat(o, '; ') FROM (SELECT DISTINCT a.outlet AS o FROM claims c "
                     "JOIN articles a ON a.id = c.article_id WHERE c.deal_id = d.id AND a.outlet IS NOT NULL "
                     "ORDER BY a.outlet)) AS outlets, "
                     "(SELECT group_concat(u, ' ') FROM (SELECT DISTINCT a.url AS u FROM claims c "
                     "JOIN articles a ON a.id = c.article_id WHERE c.deal_id = d.id AND a.url IS NOT NULL "
                     "ORDER BY a.url)) AS urls "
                     "FROM deals d LEFT JOIN countries sc ON sc.code = d.supplier "
                     "LEFT JOIN countries rc ON rc.code = d.recipient",
}


def _country_rows() -> list[tuple[str, str]]:
    """(ISO3, name) for every state: SIPRI's spelling where it has one, else the gazetteer's."""
    from ..gazetteer import Gazetteer
    from ..sipri import name_of

    return sorted((a.code, name_of(a.code) or a.name) for a in Gazetteer.default().states() if a.code)


CLAIM_COLUMNS = ("id", "article_id", "deal_id", "kind", "supplier", "recipient", "maker", "designation",
                 "family", "category", "cgroup", "quantity", "uncertain", "stage", "date", "granularity",
                 "year", "attribution", "hedged", "denies", "terms", "data")

LEDGER_COLUMNS = ("id", "supplier", "recipient", "family", "category", "cgroup", "designations", "stages",
                  "quantity_ordered", "quantity_delivered", "quantity_uncertain", "order_date", "first_date",
                  "last_date", "delivery_years", "n_claims", "n_articles", "n_contradictions", "hedged", "terms")

_JSON_LEDGER = ("designations", "stages", "delivery_years", "terms")


def _category_clause(category: Any) -> tuple[str, Any]:
    """A coarse group ("helicopter") matches its whole group; anything else the exact category."""
    cat = str(category).strip().lower()
    if cat in _EXACT_GROUP:
        return "cgroup = ?", _EXACT_GROUP[cat]
    return "category = ?", category


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


_CLAIM_FIELDS = [f.name for f in dataclasses.fields(Claim)]


def _claim_dict(c: Claim) -> dict[str, Any]:
    """``Claim.to_dict()`` without the cost of ``dataclasses.asdict`` (deep copies)."""
    d: dict[str, Any] = {k: getattr(c, k) for k in _CLAIM_FIELDS}
    d["evidence"] = {k: ({"start": e.start, "end": e.end, "quote": e.quote} if hasattr(e, "quote") else e)
                     for k, e in (c.evidence or {}).items()}
    d["equipment"] = {"designation": c.designation, "family": c.family, "category": c.category, "maker": c.maker}
    return d


def _replay_deals(job: tuple[Any, list[str], int]) -> list[tuple[str, Any]]:
    """(deal id, :func:`~armsledger.resolve.incremental.replay` of its stored claims) for each deal
    of ``job`` = (connection, or the path of an SQLite ledger to read, deal ids, exact limit)."""
    conn, deal_ids, exact_limit = job
    own = isinstance(conn, str)
    if own:
        conn = sqlite3.connect(f"{Path(conn).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = DealTables(conn)
        return [(did, replay(did, [list(g) for _, g in itertools.groupby(
            tables.light_claims(did), key=lambda c: c.article.get("id"))], exact_limit)) for did in deal_ids]
    finally:
        if own:
            conn.close()


class Store:
    """SQLite-backed ledger store (see module doc)."""

    dialect = "sqlite"  # the SQL dialect of the connection (for the few statements that differ)

    def __init__(self, path: str | Path | None = None, create: bool = True, exact_limit: int | None = None):
        """Open (and with ``create``, create) the ledger at ``path``.

        ``create=False`` is for commands that only read: a missing file, or an SQLite
        file that is not an armsledger ledger, raises DatabaseError instead of
        creating anything. A folder or a file that is not SQLite always raises
        DatabaseError naming the path.
        """
        if path is None:
            path = os.environ.get("ARMSLEDGER_DB") or "armsledger.db"
        self.path = str(path)
        self.exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
        self._lock = threading.RLock()
        if self.path != ":memory:":
            p = Path(self.path)
            if p.is_dir():
                raise DatabaseError(f"{self.path}: is a folder, not a database file (give a file path with --db)")
            if not p.exists():
                if not create:
                    raise DatabaseError(f"{self.path}: no such ledger database (build one with "
                                        f"`armsledger ingest ARTICLES --db {self.path}`, or give --db)")
                try:
                    p.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise DatabaseError(f"{self.path}: cannot create the database folder "
                                        f"({e.strerror or e})") from None
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as e:
            raise DatabaseError(f"{self.path}: cannot open the database ({e})") from None
        try:
            c = self._conn
            if self.path != ":memory:":
                c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            c.execute("PRAGMA foreign_keys=ON")
            c.execute("PRAGMA busy_timeout=30000")
            if not create and c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
                                        ).fetchone() is None:
                raise DatabaseError(f"{self.path}: an SQLite file but not an armsledger ledger")
            self._init_schema()
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise DatabaseError(f"{self.path}: not a usable armsledger database ({e})") from None
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle ---------------------------------------------------------
    def _has_table(self, name: str) -> bool:
        """Whether the database holds this table (PgStore answers for PostgreSQL)."""
        return self._conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                  (name,)).fetchone() is not None

    def _init_schema(self) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in SCHEMA.split(";"):
                    if stmt.strip():
                        self._conn.execute(stmt)
                self._conn.execute(COUNTRIES)
                if self._conn.execute("SELECT 1 FROM countries LIMIT 1").fetchone() is None:
                    self._conn.executemany("INSERT OR IGNORE INTO countries(code, name) VALUES (?, ?)",
                                           _country_rows())
                for name, sql in VIEWS.items():  # (re)created only when this version defines it otherwise
                    create = f"CREATE VIEW {name} AS {sql}"
                    have = self._conn.execute("SELECT sql FROM sqlite_master WHERE type='view' AND name=?",
                                              (name,)).fetchone()
                    if have is None or have[0] != create:
                        self._conn.execute(f"DROP VIEW IF EXISTS {name}")
                        self._conn.execute(create)
                row = self._conn.execute("SELECT version FROM schema_version").fetchone()
                if row is None:
                    self._conn.execute("INSERT INTO schema_version(version) VALUES (?)", (SCHEMA_VERSION,))
                elif row[0] > SCHEMA_VERSION:
                    raise DatabaseError(f"{self.path}: database schema {row[0]} is newer than this armsledger "
                                        f"({SCHEMA_VERSION}); upgrade armsledger")
                elif row[0] < SCHEMA_VERSION:  # 1 -> 2: summaries get their incremental state
                    self._replay_all()
                    self._conn.execute("UPDATE schema_version SET version=?", (SCHEMA_VERSION,))
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
                added = self._add_one(article, claims)
                conn.execute("COMMIT" if added else "ROLLBACK")
                return added
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def bulk_add(self, items: Iterable[tuple[Article, list[Claim]]], batch: int = 500) -> int:
        """Store many (article, claims) pairs, committing every ``batch`` articles.

        Streams ``items`` (it is iterated once, never held in memory) and stores
        each article exactly as :meth:`add` would, through the same routine, so the
        claims, deal ids and deal summaries are the ones that adding the articles one
        by one in the same order gives. Articles already stored (or repeated within
        ``items``) are skipped. Returns the number of articles added.

        Each article is atomic (a savepoint): if storing one raises (or ``items``
        does), that article is rolled back, the articles before it are committed, and
        the exception propagates.
        """
        if batch < 1:
            raise ValueError("batch must be >= 1")
        added = pending = 0
        with self._lock:
            conn = self._conn
            try:
                for article, claims in items:
                    if not conn.in_transaction:
                        conn.execute("BEGIN IMMEDIATE")
                    conn.execute("SAVEPOINT bulk_article")
                    try:
                        ok = self._add_one(article, claims)
                    except BaseException:
                        conn.execute("ROLLBACK TO bulk_article")
                        conn.execute("RELEASE bulk_article")
                        raise
                    conn.execute("RELEASE bulk_article")
                    added += ok
                    pending += 1
                    if pending >= batch:
                        conn.execute("COMMIT")
                        pending = 0
                if conn.in_transaction:
                    conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # keep what was stored before the failing article
                    conn.execute("COMMIT")
                raise
        return added

    def bulk_load(self, items: Iterable[tuple[Article, list[Claim]]], batch: int = 20_000,
                  cache_mb: int = 2048, workers: int = 1) -> int:
        """Store many (article, claims) pairs fast: the rows :meth:`bulk_add` would write for the
        same items in the same order, built another way.

        :meth:`bulk_add` refreshes the summary of every deal an article touches, article by
        article. This writes the articles, claims and the deals' year and stage rows first, in
        transactions of ``batch`` articles (``executemany``), and then computes each touched
        deal's summary once, from all its claims read back in insertion order, with
        :func:`~armsledger.resolve.incremental.replay` (the per-article refresh run against the
        deal held in memory: the same summaries, ``state``, ``deal_dates`` and ``deal_parts``
        rows, the order-dependent delivery-date approximation included). Only one deal's claims
        are held at a time, so it streams ledgers far larger than memory.

        Deal assignment reads nothing from the ledger, so every claim must be one whose deal does
        not depend on other articles (:func:`~armsledger.resolve.assign.depends_on_ledger`: no
        transfer claim without a family that names a category), here and among the claims already
        stored; ValueError otherwise (use :meth:`bulk_add`). Deals already stored that the load
        touches are rebuilt from all their claims. Articles already stored or repeated are
        skipped. ``cache_mb``: SQLite's page cache during the load (its random-key indexes);
        ``workers``: processes computing the summaries (an SQLite file; 1: this one).

        Not atomic per article: if ``items`` or an article raises, the articles before it are
        stored with their deals' summaries (if writing a batch fails, that batch is not), and the
        exception propagates.
        Returns the number of articles added."""
        if batch < 1:
            raise ValueError("batch must be >= 1")
        from ..resolve.assign import depends_on_ledger

        tables = DealTables(self._conn)
        added = 0
        touched: set[str] = set()
        with self._lock:
            conn = self._conn
            if tables.any_familyless():
                raise ValueError("bulk_load: the ledger holds claims whose deal depends on other articles "
                                 "(no family, a category); use bulk_add")
            if self.dialect == "sqlite":
                old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
                conn.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
            try:
                articles: list[tuple] = []
                claim_rows: list[tuple] = []
                years: set[tuple[int, str]] = set()
                stages: set[tuple[str, str]] = set()
                seen: set[str] = set()

                def flush() -> None:
                    nonlocal added, broken
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        self._write_rows("articles", ("id", "url", "title", "outlet", "published", "path", "text",
                                                      "ingested_at"), articles)
                        self._write_rows("claims", CLAIM_COLUMNS, claim_rows)
                        conn.executemany("INSERT OR IGNORE INTO deal_years(year, deal_id) VALUES (?,?)",
                                         sorted(years))
                        conn.executemany("INSERT OR IGNORE INTO deal_stages(stage, deal_id) VALUES (?,?)",
                                         sorted(stages))
                        conn.execute("COMMIT")
                    except BaseException:
                        broken = True
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    added += len(articles)
                    for x in (articles, claim_rows, years, stages, seen):
                        x.clear()

                broken = False

                try:
                    for article, claims in items:
                        if article.id in seen or self.has_article(article.id):
                            continue
                        claims = self._prepare_claims(article, claims)
                        if depends_on_ledger(claims):
                            raise ValueError(f"bulk_load: article {article.id} has a claim whose deal depends "
                                             f"on other articles (no family, a category); use bulk_add")
                        mapping = assign_deals(claims)
                        seen.add(article.id)
                        articles.append((article.id, article.url, article.title, article.outlet,
                                         article.published, article.path, article.text, _now()))
                        for c in claims:
                            did = mapping.get(c.id)
                            claim_rows.append(self._claim_row(c, did))
                            if did is not None:
                                touched.add(did)
                                y = _year(c.date)
                                if y is not None:
                                    years.add((y, did))
                                if c.stage:
                                    stages.add((c.stage, did))
                        if len(articles) >= batch:
                            flush()
                    if articles:
                        flush()
                except BaseException:
                    if articles and not broken:  # the articles before the failing one
                        flush()
                    raise
                finally:
                    self._write_summaries(sorted(touched), workers)
            finally:
                if self.dialect == "sqlite":
                    conn.execute(f"PRAGMA cache_size={old_cache}")
        return added

    def _write_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert many rows into a table (PgStore: the same through its connection)."""
        if rows:
            self._conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) "
                                   f"VALUES ({', '.join('?' * len(columns))})", rows)

    def _write_summaries(self, deal_ids: list[str], workers: int = 1, per_transaction: int = 500) -> None:
        """Rebuild these deals' summaries from their stored claims (see :meth:`bulk_load`), a
        transaction every ``per_transaction`` deals. ``workers`` > 1 (an SQLite file): that
        many processes read the claims and compute the summaries; this one writes them."""
        conn = self._conn
        tables = DealTables(conn)
        chunks = [deal_ids[i:i + per_transaction] for i in range(0, len(deal_ids), per_transaction)]
        if workers > 1 and self.dialect == "sqlite" and self.path != ":memory:" and len(chunks) > 1:
            import concurrent.futures
            import multiprocessing

            pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            results = pool.map(_replay_deals, [(self.path, chunk, self.exact_limit) for chunk in chunks])
        else:
            pool = None
            results = (_replay_deals((conn, chunk, self.exact_limit)) for chunk in chunks)
        try:
            for updates in results:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for did, upd in updates:
                        tables.delete_summary(did)
                        if upd is not None:
                            tables.write(did, upd, _now())
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _add_one(self, article: Article, claims: list[Claim]) -> bool:
        """The one ingest routine behind :meth:`add` and :meth:`bulk_add`; runs inside
        the caller's transaction. False (and nothing written) for a stored article."""
        if self.has_article(article.id):
            return False
        self._insert_article(article)
        claims = self._prepare_claims(article, claims)
        tables = DealTables(self._conn)
        assignment = assign_article(claims, tables)
        mapping = assignment.deals
        self._insert_claims([(c, mapping.get(c.id)) for c in claims])
        touched: dict[str, list[Claim]] = {}
        for c in claims:
            did = mapping.get(c.id)
            if did is not None:
                touched.setdefault(did, []).append(c)
        for did, new in touched.items():
            self._refresh_deal(did, new)
        if assignment.new_family_pairs:
            self._move_claims(reassignments(tables, assignment.new_family_pairs, article.id))
        return True

    def _move_claims(self, moves: dict[str, str]) -> None:
        """Put claims into other deals ({claim id: deal id}, decided by
        :func:`~armsledger.resolve.assign.reassignments`) and rebuild every deal whose claims
        changed from its claims."""
        conn = self._conn
        if not moves:
            return
        affected = set(moves.values())
        for cid, did in moves.items():
            (old,) = conn.execute("SELECT deal_id FROM claims WHERE id=?", (cid,)).fetchone()
            affected.add(old)
            conn.execute("UPDATE claims SET deal_id=? WHERE id=?", (did, cid))
        for did in sorted(d for d in affected if d):
            self._replay_deal(did)

    def _replay_deal(self, deal_id: str) -> None:
        """Rebuild one deal's summary and side tables from its claims, article by article in
        insertion order (what adding them to an empty ledger gives). Runs in the caller's transaction."""
        conn = self._conn
        tables = DealTables(conn)
        tables.delete_summary(deal_id)
        for table in ("deal_years", "deal_stages"):
            conn.execute(f"DELETE FROM {table} WHERE deal_id=?", (deal_id,))
        rows = conn.execute("SELECT article_id, data FROM claims WHERE deal_id=? ORDER BY rowid",
                            (deal_id,)).fetchall()
        groups = [[Claim.from_dict(json.loads(data)) for _, data in group]
                  for _, group in itertools.groupby(rows, key=lambda r: r[0])]
        for c in (c for claims in groups for c in claims):
            y = _year(c.date)
            if y is not None:
                conn.execute("INSERT OR IGNORE INTO deal_years(year, deal_id) VALUES (?,?)", (y, deal_id))
            if c.stage:
                conn.execute("INSERT OR IGNORE INTO deal_stages(stage, deal_id) VALUES (?,?)", (c.stage, deal_id))
        upd = replay(deal_id, groups, self.exact_limit)  # the per-article refresh, run against the deal in memory
        if upd is not None:
            tables.write(deal_id, upd, _now())

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

    @staticmethod
    def _claim_row(c: Claim, deal_id: str | None) -> tuple:
        """The values of CLAIM_COLUMNS for a claim in this deal."""
        art = c.article.get("id") if isinstance(c.article, dict) else None
        data = json.dumps(_claim_dict(c), ensure_ascii=False, sort_keys=True)
        return (c.id, art, deal_id, c.kind or "transfer", c.supplier, c.recipient, c.maker, c.designation,
                c.family, c.category, category_group(c.category), c.quantity, int(bool(c.uncertain)), c.stage,
                c.date, c.granularity, _year(c.date), c.attribution, int(bool(c.hedged)), c.denies,
                json.dumps(c.terms or {}, ensure_ascii=False, sort_keys=True), data)

    def _insert_claims(self, pairs: list[tuple[Claim, str | None]]) -> None:
        """Store one article's (claim, deal id) pairs, in order (PgStore copies them in bulk)."""
        for c, deal_id in pairs:
            self._insert_claim(c, deal_id)

    def _insert_claim(self, c: Claim, deal_id: str | None) -> None:
        self._conn.execute(
            f"INSERT INTO claims({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})",
            self._claim_row(c, deal_id))
        if deal_id is not None:
            y = _year(c.date)
            if y is not None:
                self._conn.execute("INSERT OR IGNORE INTO deal_years(year, deal_id) VALUES (?,?)", (y, deal_id))
            if c.stage:
                self._conn.execute("INSERT OR IGNORE INTO deal_stages(stage, deal_id) VALUES (?,?)",
                                   (c.stage, deal_id))

    def _family_deals(self, pairs: Iterable[tuple[str | None, str | None]]) -> list[dict[str, Any]]:
        return DealTables(self._conn).family_deals(pairs)

    def _replay_all(self) -> None:
        """Recompute every deal summary by replaying the stored claims in insertion order
        (upgrade from schema 1, whose summaries lack the incremental state). Deal ids are
        kept as stored. Runs inside the caller's transaction."""
        c = self._conn
        c.execute("CREATE TEMP TABLE _replay AS SELECT article_id, deal_id, data FROM claims ORDER BY rowid")
        for table in ("claims", "deals", "deal_dates", "deal_parts"):
            c.execute(f"DELETE FROM {table}")
        rows = c.execute("SELECT article_id, deal_id, data FROM temp._replay ORDER BY rowid")
        for _, group in itertools.groupby(rows, key=lambda r: r[0]):
            touched: dict[str, list[Claim]] = {}
            for _, did, data in group:
                claim = Claim.from_dict(json.loads(data))
                self._insert_claim(claim, did)
                if did is not None:
                    touched.setdefault(did, []).append(claim)
            for did, new in touched.items():
                self._refresh_deal(did, new)
        c.execute("DROP TABLE temp._replay")

    # -- deal summaries ------------------------------------------------------
    #
    # Computed in resolve/ (armsledger.resolve.incremental: what is exact and what is
    # approximate is documented there); store/tables.py reads and writes their tables.

    def _refresh_deal(self, deal_id: str, new: list[Claim]) -> None:
        """Bring the stored summary of a deal up to date with ``new`` claims (one article's,
        already stored as claims of the deal). Runs in the caller's transaction."""
        tables = DealTables(self._conn)
        tables.write(deal_id, refresh(tables, deal_id, new, self.exact_limit), _now())

    def _summary_rebuild(self, deal_id: str) -> dict[str, Any]:
        """The deal's summary rebuilt from all its claims (the reference the incremental
        summary is checked against in the tests)."""
        return rebuild_summary(deal_id, self._light_claims(deal_id))

    def _light_claims(self, deal_id: str) -> list[Claim]:
        """A deal's claims from the columns (no evidence JSON), in insertion order."""
        return DealTables(self._conn).light_claims(deal_id)

    # -- queries --------------------------------------------------------------
    def ledger(self, supplier: str | None = None, recipient: str | None = None, category: str | None = None,
               stage: str | None = None, year: int | str | None = None, limit: int | None = None,
               family: str | None = None, offset: int = 0, year_from: int | None = None,
               year_to: int | None = None, outlet: str | None = None,
               has_contradictions: bool | None = None) -> list[dict[str, Any]]:
        """One row per deal, newest activity first. ``category`` matches the deal's
        category or its category group ("helicopter"); ``year`` matches deals with
        a claim dated in that year (``year_from``/``year_to``: in that range);
        ``stage`` deals with a claim at that stage; ``outlet`` deals with a claim
        from that outlet (any case); ``has_contradictions`` deals with (or without) any."""
        where, args = self._deal_filters(supplier, recipient, category, stage, year, family)
        if year_from is not None:
            where.append("id IN (SELECT deal_id FROM deal_years WHERE year >= ?)")
            args.append(int(year_from))
        if year_to is not None:
            where.append("id IN (SELECT deal_id FROM deal_years WHERE year <= ?)")
            args.append(int(year_to))
        if outlet:
            where.append("id IN (SELECT c.deal_id FROM claims c JOIN articles a ON a.id = c.article_id "
                         "WHERE a.outlet = ? COLLATE NOCASE)")
            args.append(outlet)
        if has_contradictions is not None:
            where.append("n_contradictions > 0" if has_contradictions else "n_contradictions = 0")
        sql = (f"SELECT {', '.join(LEDGER_COLUMNS)} FROM deals"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY last_date IS NULL, last_date DESC, id")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        rows = self._conn.execute(sql, args).fetchall()
        return [self._ledger_row(r) for r in rows]

    def flat(self, view: str, deal_ids: list[str] | None = None) -> tuple[list[str], Iterator[tuple]]:
        """(column names, rows) of a plain-column view (``claims_flat`` or ``deals_summary``),
        all rows or those of ``deal_ids``, in the order of ``deal_ids`` (claims by id within a deal)."""
        if view not in VIEWS:
            raise ValueError(f"not a view: {view!r}")
        cur = self._conn.execute(f"SELECT * FROM {view} LIMIT 0")
        names = [d[0] for d in cur.description]
        key = "claim_id" if view == "claims_flat" else "deal_id"

        def rows() -> Iterator[tuple]:
            if deal_ids is None:
                yield from self._conn.execute(f"SELECT * FROM {view} ORDER BY deal_id IS NULL, deal_id, {key}")
                return
            for did in deal_ids:
                yield from self._conn.execute(f"SELECT * FROM {view} WHERE deal_id = ? ORDER BY {key}", (did,))

        return names, rows()

    def deal_sources(self, deal_ids: list[str]) -> dict[str, dict[str, list[str]]]:
        """For each deal: the distinct outlets, URLs and publication dates of its articles (sorted)."""
        out: dict[str, dict[str, set[str]]] = {d: {"outlets": set(), "urls": set(), "published": set()}
                                               for d in deal_ids}
        for i in range(0, len(deal_ids), 500):
            chunk = deal_ids[i:i + 500]
            for did, outlet, url, pub in self._conn.execute(
                    "SELECT DISTINCT c.deal_id, a.outlet, a.url, a.published FROM claims c "
                    f"JOIN articles a ON a.id = c.article_id WHERE c.deal_id IN ({','.join('?' * len(chunk))})",
                    chunk):
                for key, v in (("outlets", outlet), ("urls", url), ("published", pub)):
                    if v:
                        out[did][key].add(v)
        return {d: {k: sorted(v) for k, v in kv.items()} for d, kv in out.items()}

    def distinct(self, column: str) -> list[str]:
        """The distinct non-null values of a deals column (supplier, recipient, category, family)."""
        if column not in ("supplier", "recipient", "category", "family", "cgroup"):
            raise ValueError(f"not a deals column: {column!r}")
        return [r[0] for r in self._conn.execute(f"SELECT DISTINCT {column} FROM deals WHERE {column} IS NOT NULL")]

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
            clause, arg = _category_clause(category)
            where.append(clause)
            args.append(arg)
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
                clause, arg = _category_clause(value)
                where.append(clause)
                args.append(arg)
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
        deal.checks = deal_checks(deal, DealTables(self._conn))
        return cite(deal, self._article_meta)

    def _article_meta(self, article_id: str) -> dict[str, Any] | None:
        a = self.article(article_id)
        return a.meta() if a is not None else None

    def deals(self, **filters: Any) -> Iterator[Deal]:
        """Full Deals for the ledger rows matching ``filters`` (same as :meth:`ledger`)."""
        for row in self.ledger(**filters):
            d = self.deal(row["id"])
            if d is not None:
                yield d

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
