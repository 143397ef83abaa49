"""What `armsledger watch` has seen, kept in the ledger database itself.

The state lives next to the articles it produced, so a watcher restarted (or a
second one on another machine pointed at the same PostgreSQL ledger) resumes
where the last one stopped: a URL stored once is never fetched again, a feed
is asked for with its last ETag / Last-Modified, and a failure is kept with
its reason and its number of attempts (retried later up to ``max_attempts``,
or never when it is permanent, e.g. a 404).

Two tables, created on first use (the store's own schema is untouched):

* ``watch_items``: one row per thing that may become articles: a URL
  (``url:...``), a file (``file:...``, fingerprint = mtime and size, so a
  changed file is read again), a GDELT data file (``gdelt:...``).
* ``watch_sources``: one row per polled feed or index URL: ETag, Last-Modified.

The SQL is plain enough for both backends (the PostgreSQL store translates
``?`` placeholders); every statement commits on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

STATE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS watch_items (
        key TEXT PRIMARY KEY,
        source TEXT,
        fingerprint TEXT,
        status TEXT NOT NULL,
        articles INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        permanent INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS watch_sources (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        status TEXT,
        reason TEXT,
        checked_at TEXT
    )""",
)

OK, FAILED = "ok", "failed"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Item:
    key: str
    fingerprint: str | None
    status: str
    attempts: int
    permanent: bool
    reason: str | None


class WatchState:
    """Read and write the watch tables through a store's connection."""

    def __init__(self, store: Any, max_attempts: int = 3):
        self.store = store
        self.max_attempts = max_attempts
        self._conn = store._conn  # the ledger's own connection: same file or server, same locking
        self._lock = getattr(store, "_lock", None)
        for stmt in STATE_SCHEMA:
            self._exec(stmt)

    def _exec(self, sql: str, args: tuple = ()) -> list[tuple]:
        if self._lock is not None:
            with self._lock:
                cur = self._conn.execute(sql, args)
                return cur.fetchall() if cur.description else []
        cur = self._conn.execute(sql, args)
        return cur.fetchall() if cur.description else []

    # -- items -----------------------------------------------------------------
    def item(self, key: str) -> Item | None:
        rows = self._exec("SELECT key, fingerprint, status, attempts, permanent, reason FROM watch_items "
                          "WHERE key = ?", (key,))
        if not rows:
            return None
        r = rows[0]
        return Item(r[0], r[1], r[2], int(r[3]), bool(r[4]), r[5])

    def wanted(self, key: str, fingerprint: str | None = None) -> bool:
        """True when ``key`` should be (re)processed: never seen, changed since
        (another fingerprint), or failed with retries left and not permanently."""
        it = self.item(key)
        if it is None:
            return True
        if fingerprint is not None and it.fingerprint != fingerprint:
            return True
        if it.status == OK:
            return False
        return not it.permanent and it.attempts < self.max_attempts

    def done(self, key: str, source: str, articles: int, fingerprint: str | None = None) -> None:
        self._exec("INSERT INTO watch_items(key, source, fingerprint, status, articles, reason, attempts, "
                   "permanent, updated_at) VALUES (?, ?, ?, 'ok', ?, NULL, 0, 0, ?) "
                   "ON CONFLICT(key) DO UPDATE SET source=excluded.source, fingerprint=excluded.fingerprint, "
                   "status='ok', articles=excluded.articles, reason=NULL, attempts=0, permanent=0, "
                   "updated_at=excluded.updated_at", (key, source, fingerprint, articles, _now()))

    def failed(self, key: str, source: str, reason: str, permanent: bool = False,
               fingerprint: str | None = None) -> None:
        """Record a failure; attempts count up across runs, so a bad URL is retried a few times only."""
        self._exec("INSERT INTO watch_items(key, source, fingerprint, status, articles, reason, attempts, "
                   "permanent, updated_at) VALUES (?, ?, ?, 'failed', 0, ?, 1, ?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET source=excluded.source, fingerprint=excluded.fingerprint, "
                   "status='failed', reason=excluded.reason, attempts=watch_items.attempts + 1, "
                   "permanent=excluded.permanent, updated_at=excluded.updated_at",
                   (key, source, fingerprint, reason, int(permanent), _now()))

    def failures(self) -> list[tuple[str, str, int, bool]]:
        """(key, reason, attempts, permanent) of every item whose last try failed."""
        return [(r[0], r[1], int(r[2]), bool(r[3])) for r in self._exec(
            "SELECT key, reason, attempts, permanent FROM watch_items WHERE status = 'failed' ORDER BY key")]

    def retryable(self, prefix: str) -> list[tuple[str, str]]:
        """(key, source) of the items under ``prefix`` whose last try failed and that may be tried
        again (not permanent, attempts left): what a source that no longer lists them left behind."""
        return [(r[0], r[1]) for r in self._exec(
            "SELECT key, source FROM watch_items WHERE status = 'failed' AND permanent = 0 AND attempts < ? "
            "AND substr(key, 1, ?) = ? ORDER BY key", (self.max_attempts, len(prefix), prefix))]

    def counts(self) -> dict[str, int]:
        return {r[0]: int(r[1]) for r in self._exec("SELECT status, COUNT(*) FROM watch_items GROUP BY status")}

    # -- polled sources ---------------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) from the last successful poll of ``url``."""
        rows = self._exec("SELECT etag, last_modified FROM watch_sources WHERE url = ?", (url,))
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def polled(self, url: str, status: str, etag: str | None = None, last_modified: str | None = None,
               reason: str | None = None) -> None:
        """Record a poll; validators are replaced only when the server sent new ones."""
        self._exec("INSERT INTO watch_sources(url, etag, last_modified, status, reason, checked_at) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                   "etag=COALESCE(excluded.etag, watch_sources.etag), "
                   "last_modified=COALESCE(excluded.last_modified, watch_sources.last_modified), "
                   "status=excluded.status, reason=excluded.reason, checked_at=excluded.checked_at",
                   (url, etag, last_modified, status, reason, _now()))
