"""Reviews on a shared PostgreSQL ledger: the append-only audit, concurrent reviewers, the queue's
index and the upgrade of a ledger made before reviews had their migration. (The review tests
of test_review_reingest.py and test_web_api.py run on both backends too.)"""
from __future__ import annotations

import threading

import pytest

from armsledger.api import Ledger
from armsledger.store import open_store
from armsledger.store.postgres import migrations

from _webutil import build_articles

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def pg_ledger(pg_dsn, tmp_path):
    """(dsn, articles folder) of a PostgreSQL ledger over the example articles."""
    arts = build_articles(tmp_path / "articles")
    led = Ledger(pg_dsn)
    assert led.ingest([arts]).added == 6
    led.store.close()
    return pg_dsn, arts


def test_review_audit_is_append_only(pg_ledger):
    dsn, _ = pg_ledger
    led = Ledger(dsn)
    cid = led.store.claims(limit=1)[0].id
    led.reviews.review(cid, "accept", "ann", note="checked")
    before = led.reviews.audit()
    assert [(a["action"], a["reviewer"]) for a in before] == [("accept", "ann")]
    with psycopg.connect(dsn, autocommit=True) as raw:  # even outside armsledger, as the table's owner
        for sql in ("UPDATE review_audit SET reviewer = 'mallory'", "DELETE FROM review_audit",
                    "TRUNCATE review_audit", "UPDATE review_audit SET note = 'x' WHERE id < 0"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                raw.execute(sql)
    assert led.reviews.audit() == before
    led.store.close()


def test_two_concurrent_reviewers_both_land(pg_ledger, tmp_path):
    """Two reviewers (own connections, own threads) review different claims of the same deals at
    once: every review and audit row lands, and the summaries are those of the same reviews
    applied one after the other on SQLite."""
    dsn, arts = pg_ledger
    claims = sorted(Ledger(dsn).store.claims(), key=lambda c: c.id)
    assert len(claims) >= 10
    # alternate claims to each reviewer; correct quantities (the deal summaries change), reject, accept
    plans: list[list[tuple[str, str, dict]]] = [[], []]
    for i, c in enumerate(c for c in claims if c.kind == "transfer"):
        action = ("correct", "reject", "accept")[i % 3]
        fields = {"quantity": (c.quantity or 0) + 1} if action == "correct" else {}
        plans[i % 2].append((c.id, action, fields))
    assert all(len(p) >= 4 for p in plans)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def reviewer(name: str, plan: list[tuple[str, str, dict]]) -> None:
        try:
            led = Ledger(dsn)
            start.wait()
            for cid, action, fields in plan:
                led.reviews.review(cid, action, name, fields=fields or None)
            led.store.close()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)

    threads = [threading.Thread(target=reviewer, args=(n, p)) for n, p in (("ann", plans[0]), ("bob", plans[1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors

    ref = Ledger(tmp_path / "ref.db")
    ref.ingest([arts])
    for name, plan in (("ann", plans[0]), ("bob", plans[1])):
        for cid, action, fields in plan:
            ref.reviews.review(cid, action, name, fields=fields or None)
    pg = Ledger(dsn)
    n = len(plans[0]) + len(plans[1])
    assert len(pg.reviews.audit(limit=1000)) == n  # no lost review
    assert sorted((a["reviewer"], a["claim_id"], a["action"]) for a in pg.reviews.audit(limit=1000)) == \
        sorted((a["reviewer"], a["claim_id"], a["action"]) for a in ref.reviews.audit(limit=1000))
    assert pg.reviews.counts() == ref.reviews.counts()
    for cid, _action, _fields in plans[0] + plans[1]:
        got, want = pg.reviews.review_of(cid), ref.reviews.review_of(cid)
        assert (got["status"], got["fields"]) == (want["status"], want["fields"]), cid
    strip = lambda rows: [{k: v for k, v in r.items() if k != "designations"} | {"designations": set(r["designations"])}
                          for r in rows]  # noqa: E731 - designations in the order the claims were stored
    assert strip(pg.ledger()) == strip(ref.ledger())
    assert pg.reviews.reviewed_ledger() == ref.reviews.reviewed_ledger()
    pg.store.close()
    ref.store.close()


def test_review_queue_reads_its_index(pg_ledger):
    """The queue's score expression is the one indexed by migration 0004 (the planner, told
    to avoid a scan, reads claims_queue), and its order is SQLite's."""
    dsn, arts = pg_ledger
    led = Ledger(dsn)
    from armsledger.store.reviews import _CLAIM_SCORE

    with psycopg.connect(dsn) as raw:
        raw.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in raw.execute(
            f"EXPLAIN SELECT id FROM claims c ORDER BY {_CLAIM_SCORE['postgresql']}, c.id LIMIT 5"))
    assert "claims_queue" in plan, plan
    q = led.reviews.queue(limit=100)
    assert [x["confidence"] for x in q] == sorted(x["confidence"] for x in q)
    led.store.close()


def test_ledger_from_before_the_reviews_migration_is_upgraded(pg_dsn):
    """A ledger at migration 3 (articles stored, no review tables) gets 0004 when opened: the
    review tables, and articles numbered in their order for re-extraction."""
    old = [(v, n, sql) for v, n, sql in migrations() if v <= 3]
    with psycopg.connect(pg_dsn, autocommit=True) as raw:
        raw.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        for v, n, sql in old:
            raw.execute(sql)
            raw.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, %s)", (v, n))
        for i in range(3):
            raw.execute("INSERT INTO articles(id, text) VALUES (%s, %s)", (f"a{2 - i}", "Nothing here."))
    s = open_store(pg_dsn)
    assert s.schema_versions() == [v for v, _n, _s in migrations()] and s.schema_versions()[-1] >= 4
    assert [r[0] for r in s._conn.execute("SELECT id FROM articles ORDER BY rowid")] == ["a2", "a1", "a0"]
    led = Ledger(pg_dsn)
    assert led.reviews.audit() == [] and led.reextract()["articles"] == 3
    s.close()
    led.store.close()
