"""The store against both backends: SQLite and a real PostgreSQL server started by the tests
(tests/pgserver.py; or the server of ARMSLEDGER_TEST_PG; the fixtures are in conftest.py). Skipped, with the reason, only when
no PostgreSQL binaries are installed and no server is given."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

import test_store
from armsledger.api import Ledger
from armsledger.errors import DatabaseError
from armsledger.models import Article
from armsledger.serve.cli import app
from armsledger.store import Store, db_location, open_store
from pgserver import ENV, Server, pg_bin
from test_store import EXACT, _views, seed, synthetic

pytest.importorskip("psycopg")
ROOT = Path(__file__).resolve().parent.parent
INPUTS = [str(ROOT / "armsledger" / "examples"), str(ROOT / "tests" / "fixtures" / "ingest")]
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgres"])
def new_store(request, tmp_path):
    """A function that opens a fresh, empty store of each backend."""
    opened = []

    def make(**kw):
        if request.param == "sqlite":
            s = Store(tmp_path / f"s{len(opened)}.db", **kw)
        else:
            s = open_store(request.getfixturevalue("pg_server").new_database(), **kw)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def seeded(new_store):
    s = new_store()
    for a, cs in seed():
        assert s.add(a, cs) is True
    return s


# -- the store tests of test_store.py, on both backends ----------------------------------------

@pytest.mark.parametrize("test", [test_store.test_claims_filters, test_store.test_ledger_filters,
                                  test_store.test_deal_view, test_store.test_later_article_joins_existing_family_deal,
                                  test_store.test_article_and_stats], ids=lambda t: t.__name__)
def test_store_behaviour(seeded, test):
    test(seeded)


def test_idempotent_add(seeded):
    (a, ca), (b, cb) = seed()
    before = (seeded.stats(), seeded.ledger())
    assert seeded.add(a, ca) is False and seeded.add(b, cb) is False
    assert seeded.add(Article(text=a.text.replace(" ", "  \n"), published="2022-04-19"), ca) is False
    assert (seeded.stats(), seeded.ledger()) == before


def test_failed_article_rolls_back(new_store):
    s = new_store()
    (a, ca), (b, cb) = seed()
    assert s.add(a, ca)
    cb[1].id = cb[0].id  # a duplicate claim id: the article fails as a whole
    with pytest.raises(ValueError):
        s.add(b, cb)
    assert not s.has_article(b.id) and s.stats()["claims"] == 3
    _, (b, cb) = seed()
    assert s.add(b, cb) is True


def test_bulk_add_matches_add_on_sqlite(new_store, tmp_path):
    ref = Store(tmp_path / "ref.db")
    for a, cs in synthetic(300):
        ref.add(a, cs)
    bulk = new_store()
    assert bulk.bulk_add(synthetic(300), batch=7) == 300
    assert bulk.bulk_add(synthetic(300), batch=50) == 0
    assert _views(bulk) == _views(ref)
    ref.close()


def test_incremental_summary_equals_rebuild(new_store):
    s = new_store(exact_limit=0)
    s.bulk_add(synthetic(300, 2))
    for row in s.ledger():
        ref = s._summary_rebuild(row["id"])
        assert {k: row[k] for k in EXACT} == {k: ref[k] for k in EXACT}, row["id"]


def test_flat_views(seeded):
    cols, rows = seeded.flat("claims_flat")
    rows = list(rows)
    assert len(rows) == 9 and "supplier_name" in cols and "quantity_quote" in cols
    row = dict(zip(cols, next(r for r in rows if r[cols.index("quantity")] == 4
                              and r[cols.index("stage")] == "delivered")))
    assert row["quantity_quote"] == "Four Mi-171" and row["recipient_name"] == "Mali"
    cols, rows = seeded.flat("deals_summary")
    rows = [dict(zip(cols, r)) for r in rows]
    assert len(rows) == 4 and {r["outlets"] for r in rows} >= {"AFP; Wire"}


# -- PostgreSQL specifics --------------------------------------------------------------------

def test_cli_ledger_on_postgres_equals_sqlite(pg_dsn, tmp_path):
    lite = str(tmp_path / "l.db")
    r1 = runner.invoke(app, ["ingest", *INPUTS, "--db", lite, "-q", "--timeout", "0"])
    r2 = runner.invoke(app, ["ingest", *INPUTS, "--db", pg_dsn, "-q", "--timeout", "0"])
    assert r1.exit_code == r2.exit_code
    assert "postgresql://" in r2.output
    a, b = Ledger(lite), Ledger(pg_dsn)
    assert b.ledger() == a.ledger() and len(a.ledger()) >= 6
    assert [c.to_dict() for c in b.store.claims()] == [c.to_dict() for c in a.store.claims()]
    for row in a.ledger():
        assert b.deal(row["id"]).to_dict() == a.deal(row["id"]).to_dict()
    r = runner.invoke(app, ["ledger", "--db", pg_dsn, "--recipient", "Ghana", "--format", "json"])
    assert r.exit_code == 0 and '"GHA"' in r.output
    r = runner.invoke(app, ["ledger", "--format", "csv"], env={"ARMSLEDGER_DB": pg_dsn})
    assert r.exit_code == 0 and len(r.output.splitlines()) == len(a.ledger()) + 1


def test_migrations_are_numbered_and_applied_once(pg_dsn):
    from armsledger.store.postgres import migrations

    known = [v for v, _n, _s in migrations()]
    assert known == sorted(known) and known[0] == 1
    s = open_store(pg_dsn)
    assert s.schema_versions() == known
    s.close()
    s = open_store(pg_dsn)  # opening again applies nothing
    assert s.schema_versions() == known and s.stats()["migrations"] == known
    s.close()


def test_read_commands_do_not_create_a_ledger(pg_dsn):
    with pytest.raises(DatabaseError, match="no armsledger ledger"):
        open_store(pg_dsn, create=False)
    r = runner.invoke(app, ["ledger", "--db", pg_dsn])
    assert r.exit_code == 1 and "no armsledger ledger" in r.output


def test_unreachable_server_is_a_database_error():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DatabaseError, match="cannot connect"):
        open_store(f"postgresql://nobody:secret@127.0.0.1:{port}/x?connect_timeout=2")


def test_db_location_recovers_a_url_that_went_through_path(monkeypatch):
    url = "postgresql://me@db.example:5433/arms"
    monkeypatch.delenv("ARMSLEDGER_DB", raising=False)
    assert db_location(Path(url)) == url
    assert db_location(url) == url
    monkeypatch.setenv("ARMSLEDGER_DB", "postgresql:///arms?host=/run/pg")
    assert db_location(Path("postgresql:///arms?host=/run/pg")) == "postgresql:///arms?host=/run/pg"
    assert db_location(None) == "postgresql:///arms?host=/run/pg"
    assert db_location(Path("x/led.db")) == "x/led.db"


def test_password_not_shown(pg_server):
    from armsledger.store.postgres import masked

    assert masked("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


def test_two_concurrent_writers_never_duplicate(pg_dsn, tmp_path):
    """Two writers (own connections, own threads) add overlapping articles at the same time:
    every article, claim and deal once, and the same ledger as one writer adding them all."""
    items = list(synthetic(240, 5))
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(chunk):
        try:
            s = open_store(pg_dsn, exact_limit=0)  # both open (and migrate) the new database at once
            start.wait()
            for a, cs in chunk:
                s.add(a, [c for c in cs])
            s.close()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)

    first, second = items[:160], items[80:][::-1]  # 80 articles written by both, in opposite orders
    threads = [threading.Thread(target=writer, args=(chunk,)) for chunk in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    pg = open_store(pg_dsn, exact_limit=0)  # the incremental summaries, compared with a rebuild below
    ref = Store(tmp_path / "ref.db")
    for a, cs in synthetic(240, 5):
        ref.add(a, cs)
    st, rs = pg.stats(), ref.stats()
    assert (st["articles"], st["claims"]) == (rs["articles"], rs["claims"]) and st["articles"] == 240
    assert [c.id for c in pg.claims()] == [c.id for c in ref.claims()]  # every claim once
    q = lambda sql: pg._conn.execute(sql).fetchone()[0]  # noqa: E731
    assert q("SELECT COUNT(*) FROM claims c WHERE deal_id IS NOT NULL AND NOT EXISTS "
             "(SELECT 1 FROM deals d WHERE d.id = c.deal_id)") == 0
    assert q("SELECT COUNT(*) FROM deals d WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.deal_id = d.id)") == 0
    # no lost update: every deal's summary is the one its stored claims give
    for row in pg.ledger():
        ref_row = pg._summary_rebuild(row["id"])
        assert {k: row[k] for k in EXACT} == {k: ref_row[k] for k in EXACT}, row["id"]
        assert row["n_claims"] == q(f"SELECT COUNT(*) FROM claims WHERE deal_id = '{row['id']}' "
                                    "AND kind != 'cumulative'")
    pg.close()
    ref.close()


def test_two_concurrent_cli_ingests(pg_dsn, tmp_path):
    """Two `armsledger ingest` processes into one PostgreSQL ledger at once."""
    import subprocess
    import sys

    exe = shutil.which("armsledger") or sys.executable
    cmd = [exe] if exe.endswith("armsledger") else [exe, "-m", "armsledger.serve.cli"]
    procs = [subprocess.Popen([*cmd, "ingest", INPUTS[0], "--db", pg_dsn, "-q", "--timeout", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    led = Ledger(pg_dsn)
    assert led.stats()["articles"] == 5
    ref = Ledger(str(tmp_path / "r.db"))
    ref.ingest([INPUTS[0]], timeout=0)
    assert led.ledger() == ref.ledger()


def test_watch_state_on_postgres(pg_dsn, tmp_path):
    from armsledger.watch import Watcher

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "armsledger" / "examples" / "01-northwind-tucano.txt", folder / "a.txt")
    led = Ledger(pg_dsn)
    assert Watcher(led.store, folders=[folder], timeout=0).cycle().added == 1
    again = Watcher(Ledger(pg_dsn).store, folders=[folder], timeout=0).cycle()  # a restart
    assert (again.added, again.skipped) == (0, 0)
    assert led.store._conn.execute("SELECT COUNT(*) FROM watch_items WHERE status = 'ok'").fetchone()[0] == 1


@pytest.mark.skipif(bool(os.environ.get(ENV)), reason="restarts the server: only the tests' own server")
def test_store_reconnects_after_a_server_restart():
    """A long-running watcher survives a PostgreSQL restart: the next article opens a new session;
    an article whose transaction was cut fails whole (and is retried later), never half-stored."""
    if pg_bin() is None:
        pytest.skip("PostgreSQL not installed")
    server = Server()
    try:
        s = open_store(server.new_database())
        (a, ca), (b, cb) = seed()
        assert s.add(a, ca)
        server.restart()
        assert s.add(b, cb) is True  # a new session, transparently
        assert s.stats()["articles"] == 2
        s.close()
    finally:
        server.stop()


def test_translate_planner_hints_and_like():
    """SQLite-only syntax the web queries use, in PostgreSQL's dialect."""
    from armsledger.store.postgres import translate

    sql = translate("SELECT year FROM deal_years WHERE +deal_id IN (SELECT id FROM deals WHERE 1 AND "
                    "designations LIKE ? ESCAPE '\\') GROUP BY year")
    assert sql == ("SELECT year FROM deal_years WHERE deal_id IN (SELECT id FROM deals WHERE TRUE AND "
                   "designations ILIKE %s ESCAPE '\\') GROUP BY year")
    assert translate("SELECT 1 + 2 FROM t WHERE 1 = 1") == "SELECT 1 + 2 FROM t WHERE 1 = 1"
    assert translate("SELECT a.x FROM (SELECT 1) x CROSS JOIN articles a ON a.id = x.id") == \
        "SELECT a.x FROM (SELECT 1) x JOIN articles a ON a.id = x.id"


def test_workbench_budget_and_cache_on_postgres(pg_dsn):
    """The web queries' time budget is the server's statement timeout, and their cache is
    dropped when another session writes."""
    import time

    from armsledger.store.browse import Browse, LedgerQuery

    s = open_store(pg_dsn)
    (a, ca), (b, cb) = seed()
    s.add(a, ca)
    browse = Browse(s)
    soon = time.perf_counter() + 0.05
    assert browse._budgeted("SELECT pg_sleep(5)", [], soon) is None  # cancelled at the deadline
    assert browse._budgeted("SELECT COUNT(*) FROM deals WHERE id IN (SELECT deal_id FROM deal_years "
                            "WHERE year = ?)", [2022], time.perf_counter() + 30) == [(2,)]
    assert not s._conn.in_transaction
    before = browse.ledger(LedgerQuery())[1]
    other = open_store(pg_dsn)
    other.add(b, cb)
    other.close()
    assert browse.ledger(LedgerQuery())[1] > before  # not the cached count
    s.close()


def test_claims_copied_in_bulk_as_inserted(new_store, tmp_path):
    """PgStore copies an article's claims (COPY) and upserts its deals' year and stage rows:
    the same rows as SQLite's statement per claim, and a claim id stored before fails the
    article whole."""
    s = new_store()
    s.bulk_add(synthetic(200, 4))
    ref = Store(tmp_path / "ref.db")
    ref.bulk_add(synthetic(200, 4))
    q = "SELECT {} FROM {} ORDER BY 1, 2"
    for table, cols in (("deal_years", "year, deal_id"), ("deal_stages", "stage, deal_id"),
                        ("claims", "id, deal_id, year, stage, data")):
        assert s._conn.execute(q.format(cols, table)).fetchall() == ref._conn.execute(q.format(cols, table)).fetchall()
    before = s.stats()
    (a, ca), _ = seed()
    taken = s.claims(limit=1)[0].id
    ca[1].id = taken
    with pytest.raises(Exception):
        s.add(a, ca)
    assert not s.has_article(a.id) and s.stats() == before
    ref.close()


def test_text_sorts_byte_by_byte_on_a_server_whose_default_collation_is_not_c(pg_server, tmp_path):
    """On a database whose default collation is ICU en-US (as many servers are set up), ids, dates and
    names sort as in SQLite: migration 0005 gives every text column the C collation."""
    import psycopg

    try:
        dsn = pg_server.new_database(icu_locale="en-US")
    except psycopg.Error as e:  # a server built without ICU
        pytest.skip(f"no ICU collations on this server: {e}")
    outlets = ["airbus Daily", "Zeta Wire", "_Wire", "a-Wire", "AFP", "Ab Wire"]
    arts = [Article(text=f"Report {i} on Mali.", published="2024-01-01", outlet=o, url=f"https://example.org/{i}")
            for i, o in enumerate(outlets)]
    pg, lite = open_store(dsn), Store(tmp_path / "l.db")
    try:
        with psycopg.connect(dsn) as c:  # the data would sort otherwise under the database's default
            icu = [r[0] for r in c.execute("SELECT o FROM unnest(%s::text[]) AS t(o) ORDER BY o", (outlets,))]
            assert icu != sorted(outlets)
            cols = c.execute("SELECT table_name, column_name, collation_name FROM information_schema.columns "
                             "WHERE table_schema = current_schema() AND data_type = 'text' "
                             "AND table_name IN ('articles', 'claims', 'deals', 'claim_reviews')").fetchall()
        assert cols and all(coll == "C" for _t, _c, coll in cols), [x for x in cols if x[2] != "C"]
        for s in (pg, lite):
            for a in arts:
                s.add(a, [])
        from armsledger.store.browse import Browse

        assert Browse(pg).outlets() == Browse(lite).outlets() == sorted(outlets)
    finally:
        pg.close()
        lite.close()
