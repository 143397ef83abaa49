"""Issue 11's scale figures, measured as far as time allows: the ledger and deal query latency
as the synthetic query ledger grows (checkpoints), on SQLite or PostgreSQL, and ingest of N
articles into PostgreSQL (rate, peak RSS).

    python bench/scale.py ledger --backend sqlite --db /tmp/l.db --claims 10000000 --until 06:20
    python bench/scale.py ledger --backend postgresql --claims 10000000 --until 06:20
    python bench/scale.py bulk --db /tmp/b.db --claims 10000000   # the same ledger by Store.bulk_load (fast)
    python bench/scale.py pgcopy --db /tmp/l.db          # that ledger into PostgreSQL by COPY, then the queries
    python bench/scale.py dealsize --db /tmp/l.db        # deal() latency by deal size, scaled to 10M claims
    python bench/scale.py bigdeal --claims 950 [--backend postgresql]  # deal() of one deal that size (p95 at 10M)
    python bench/scale.py ingest --articles 100000        # into a throwaway PostgreSQL server

The ledger is bench.py's (``synthetic_batch``, same seed, same order, through ``Store.bulk_add``
of ``armsledger.store:open_store``), so the ledger at a checkpoint of N claims is the one
``bench.py --claims N`` builds. At each checkpoint ``ledger(recipient=X)`` and ``deal(id)`` are
timed as bench.py times them (``--queries`` calls each, p50/p95). ``--until HH:MM`` (UTC) stops
the build there and measures the ledger as it is.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench  # noqa: E402

STORE = "armsledger.store:open_store"


def time_queries(store, queries: int, seed: int) -> dict:
    """bench.py's ledger and deal query timings, as (p50, p95, max) milliseconds."""
    ledger_ms, deal_ms, deal_ids = bench.time_queries(store, queries, random.Random(seed + 1))
    return {"ledger": (bench.pct(ledger_ms, .5), bench.pct(ledger_ms, .95), max(ledger_ms)),
            "deal": (bench.pct(deal_ms, .5), bench.pct(deal_ms, .95), max(deal_ms)),
            "deals": len(set(deal_ids))}


def timings(q: dict) -> str:
    """`time_queries`' figures as the one sentence every command prints, stamped with the time."""
    return (f"ledger --recipient p50 {q['ledger'][0]:.1f} ms p95 {q['ledger'][1]:.1f} ms max {q['ledger'][2]:.1f} ms; "
            f"deal p50 {q['deal'][0]:.1f} ms p95 {q['deal'][1]:.1f} ms max {q['deal'][2]:.1f} ms; "
            f"{time.strftime('%H:%M:%S', time.gmtime())} UTC")


def sqlite_bytes(path: str) -> int:
    """An SQLite ledger's size on disk, its -wal and -shm files included."""
    return sum(f.stat().st_size for f in Path(path).parent.glob(Path(path).name + "*"))


class Synthetic:
    """bench.py's synthetic articles, numbered on from one checkpoint to the next: `ledger` and `bulk`
    build the same ledger for the same seed, one stretch at a time."""

    def __init__(self, seed: int, per: int) -> None:
        self.per = per
        self.rng = random.Random(seed)
        self.catalogue = bench._catalogue(seed)
        self.done = 0      # articles yielded so far
        self.over = False  # the last stretch stopped at the deadline

    def batches(self, target: int, stop: float = float("inf")):
        """Articles until `target` have been yielded in all, or until the clock passes `stop`."""
        self.over = False
        while self.done < target:
            if time.time() > stop:
                self.over = True
                return
            yield bench.synthetic_batch(self.done, self.per, self.rng, self.catalogue)
            self.done += 1


def deadline(hhmm: str | None) -> float:
    """The clock time `hhmm` (UTC) as a time.time() value: the next time the clock shows it, so a
    time already past today means tomorrow (as `at` reads it), never a deadline already gone."""
    if not hhmm:
        return float("inf")
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", hhmm.strip())
    if not m:
        raise bench.BenchError(f"--until {hhmm!r}: expected HH:MM (UTC), e.g. 06:20")
    now = dt.datetime.now(dt.timezone.utc)
    end = now.replace(hour=int(m.group(1)), minute=int(m.group(2)), second=0, microsecond=0)
    if end <= now:
        end += dt.timedelta(days=1)
    return time.time() + (end - now).total_seconds()


@contextlib.contextmanager
def database(backend: str, pg: str | None, sqlite_path: str | None = None):
    """Where to measure: the SQLite file, the PostgreSQL URL given, or a fresh database on a
    throwaway server (stopped afterwards)."""
    server = None
    try:
        if backend == "postgresql" and not pg:
            from pgserver import Server
            server = Server()
        yield (pg or server.new_database()) if backend == "postgresql" else sqlite_path
    finally:
        if server is not None:
            server.stop()


def ledger(a: argparse.Namespace) -> None:
    from armsledger.store import open_store

    with database(a.backend, a.pg, a.db) as db:
        store = open_store(db)
        per = 10
        source = Synthetic(a.seed, per)
        stop = deadline(a.until)
        marks = sorted({m for m in a.checkpoints if m < a.claims} | {a.claims})
        build = 0.0
        print(f"{a.backend}: building up to {a.claims:,} claims, checkpoints {marks}", flush=True)
        for mark in marks:
            t0 = time.perf_counter()
            store.bulk_add(source.batches(-(-mark // per), stop))
            done, over = source.done, source.over
            dt_build = time.perf_counter() - t0
            build += dt_build
            q = time_queries(store, a.queries, a.seed)
            print(f"{a.backend}: {done * per:,} claims ({done:,} articles, {q['deals']:,} deals seen); "
                  f"build so far {build:.0f} s ({done * per / build:.0f} claims/s overall, last stretch "
                  f"{(done * per - (marks[marks.index(mark) - 1] if marks.index(mark) else 0)) / max(dt_build, 1e-9):.0f}"
                  f" claims/s); {timings(q)}", flush=True)
            if over:
                print(f"{a.backend}: stopped at {a.until} UTC with {done * per:,} claims", flush=True)
                break
        if a.backend == "sqlite":
            size = sqlite_bytes(db)
            print(f"sqlite: database {size / 2**30:.2f} GiB", flush=True)
        store.close()


def bulk(a: argparse.Namespace) -> None:
    """The ``ledger`` command's ledger built by ``Store.bulk_load`` (claims first, each deal's
    summary once at the end: the same rows as ``bulk_add``, see tests/test_scale.py), then the
    same query timing, at each checkpoint."""
    from armsledger.store import open_store

    if Path(a.db).exists():
        raise SystemExit(f"bulk: {a.db} exists; give a new file")
    store = open_store(a.db)
    per = 10
    source = Synthetic(a.seed, per)
    marks = sorted({m for m in a.checkpoints if m < a.claims} | {a.claims})
    build = 0.0
    print(f"bulk: building {a.claims:,} claims into {a.db}, checkpoints {marks}", flush=True)
    for mark in marks:
        t0 = time.perf_counter()
        store.bulk_load(source.batches(-(-mark // per)), workers=a.workers)
        done = source.done
        dt_build = time.perf_counter() - t0
        build += dt_build
        size = sqlite_bytes(a.db)
        print(f"bulk: {done * per:,} claims ({done:,} articles) in {build:.0f} s ({done * per / build:.0f} claims/s "
              f"overall; this stretch {dt_build:.0f} s); database {size / 2**30:.2f} GiB; "
              f"{time.strftime('%H:%M:%S', time.gmtime())} UTC", flush=True)
        if a.queries:
            q = time_queries(store, a.queries, a.seed)
            print(f"sqlite: {done * per:,} claims ({q['deals']:,} deals seen): {timings(q)}", flush=True)
    store.close()


def ingest(a: argparse.Namespace) -> None:
    with database("postgresql", a.pg) as db:
        r = bench.in_fresh_process(bench._ingest_child, bench.DEFAULT_EXTRACT, STORE, a.articles, a.seed, db)
        ratio = (r["seconds"] / r["n"]) / (r["first"] / r["tenth"])
        print(f"postgresql: ingest of {r['n']:,} articles ({r['added']:,} added): {r['n'] / r['seconds']:.0f} "
              f"articles/s ({r['seconds']:.0f} s), peak RSS {r['rss']:.0f} MB; per-article cost, all vs first "
              f"10%: {ratio:.2f}", flush=True)


TABLES = ("articles", "claims", "deals", "deal_years", "deal_stages", "deal_dates", "deal_parts")


def pgcopy(sqlite_path: str, dsn: str) -> dict:
    """Load the ledger that the store built in the SQLite file ``sqlite_path`` into a new PostgreSQL
    ledger at ``dsn``: the schema is PgStore's own (its migrations), the rows are the SQLite ledger's
    (same ids, deal ids, summaries, insertion order: claims and articles keep their rowid), copied with
    COPY in one transaction, with PgStore's secondary indexes dropped before and re-created (from
    their own definitions) after the load. ``verify`` checks on a small ledger that this gives the
    rows that PgStore.bulk_add writes itself."""
    import sqlite3

    from armsledger.store import open_store

    open_store(dsn).close()  # PgStore's schema, migrations, countries, views
    import psycopg

    src = sqlite3.connect(sqlite_path, isolation_level=None)
    src.execute("BEGIN")  # one snapshot, even while a build is still writing
    t0 = time.perf_counter()
    counts = {}
    with psycopg.connect(dsn) as pg:
        pg.execute("SET maintenance_work_mem = '1GB'")
        idx = pg.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(TABLES),)).fetchall()
        for name, _ in idx:
            pg.execute(f'DROP INDEX "{name}"')
        for table in TABLES:
            pg_cols = [r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s ORDER BY ordinal_position", (table,))]
            sq_cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            cols = [c for c in pg_cols if c in sq_cols]
            select = cols[:]
            if "rowid" in pg_cols and "rowid" not in sq_cols:  # SQLite's implicit rowid: insertion order
                cols.append("rowid")
                select.append("rowid")
            n = 0
            with pg.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for row in src.execute(f"SELECT {', '.join(select)} FROM {table}"
                                       + (" ORDER BY rowid" if "rowid" in select else "")):
                    cp.write_row(row)
                    n += 1
            counts[table] = n
            if "rowid" in cols:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'rowid'), "
                           f"GREATEST((SELECT max(rowid) FROM {table}), 1))")
        t_copy = time.perf_counter() - t0
        for _, sql in idx:
            pg.execute(sql)
        pg.commit()
    src.execute("COMMIT")
    src.close()
    with psycopg.connect(dsn, autocommit=True) as pg:
        for table in TABLES:
            pg.execute(f"VACUUM ANALYZE {table}")
    return {"counts": counts, "copy_s": t_copy, "total_s": time.perf_counter() - t0, "indexes": len(idx)}


def _dump(dsn: str) -> dict:
    """Every row of the ledger's tables (but the ingest and update times), sorted, and its
    indexes: of a PostgreSQL ledger, or of an SQLite file (claims and articles with their rowid,
    the insertion order)."""
    skip = {"ingested_at", "updated_at"}
    out = {}
    if not dsn.lower().startswith(("postgresql:", "postgres:")):
        import sqlite3

        con = sqlite3.connect(dsn)
        for table in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in skip]
            if table in ("articles", "claims"):
                cols.append("rowid")
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY "
                                     + ", ".join(str(i + 1) for i in range(len(cols)))).fetchall()
        out["indexes"] = sorted(con.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type='index'"
                                            ).fetchall(), key=repr)
        con.close()
        return out
    import psycopg

    with psycopg.connect(dsn) as pg:
        for table in TABLES:
            cols = [r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s ORDER BY ordinal_position", (table,)) if r[0] not in skip]
            out[table] = pg.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY " + ", ".join(str(i + 1) for i in range(len(cols)))).fetchall()
        out["indexes"] = sorted(pg.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                                           ).fetchall())
    return out


def verify(a: argparse.Namespace) -> None:
    """The copy path against PgStore.bulk_add on the same small ledger: every row equal."""
    import tempfile

    from pgserver import Server

    from armsledger.store import open_store

    server = Server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            direct, copied = server.new_database(), server.new_database()
            for db in (direct, str(Path(tmp) / "l.db")):
                rng, cat = random.Random(a.seed), bench._catalogue(a.seed)
                s = open_store(db)
                s.bulk_add(bench.synthetic_batch(i, 10, rng, cat) for i in range(a.claims // 10))
                s.close()
            pgcopy(str(Path(tmp) / "l.db"), copied)
            x, y = _dump(direct), _dump(copied)
            for k in x:
                print(f"verify: {k}: {len(x[k])} rows, {'equal' if x[k] == y[k] else 'DIFFERENT'}")
            s1, s2 = open_store(direct), open_store(copied)
            same = all(s1.ledger(recipient=r) == s2.ledger(recipient=r) for r in bench.RECIPIENTS)
            ids = [d["id"] for d in s1.ledger()]
            same_deals = all(s1.deal(i) == s2.deal(i) for i in ids[:300])
            print(f"verify: ledger() equal for every recipient: {same}; deal() equal for {min(300, len(ids))} "
                  f"deals: {same_deals}")
            s1.close()
            s2.close()
            if not (same and same_deals and all(x[k] == y[k] for k in x)):
                raise SystemExit(1)
    finally:
        server.stop()


def copied(a: argparse.Namespace) -> None:
    """PostgreSQL ledger loaded from the SQLite ledger (pgcopy), then the same query timing."""
    from armsledger.store import open_store

    with database("postgresql", a.pg) as dsn:
        r = pgcopy(a.db, dsn)
        print(f"postgresql: loaded {r['counts']['claims']:,} claims, {r['counts']['articles']:,} articles, "
              f"{r['counts']['deals']:,} deals from {a.db} by COPY in {r['copy_s']:.0f} s, {r['indexes']} "
              f"indexes re-created, analysed: {r['total_s']:.0f} s in all", flush=True)
        store = open_store(dsn)
        q = time_queries(store, a.queries, a.seed)
        print(f"postgresql: {r['counts']['claims']:,} claims ({q['deals']:,} deals seen): {timings(q)}", flush=True)
        store.close()


def dealsize(a: argparse.Namespace) -> None:
    """deal() latency by deal size on an existing SQLite ledger: at the sizes of its p50 and p95
    deals, and at those sizes scaled to 10,000,000 claims (deals saturate, so they grow with the ledger)."""
    import statistics

    from armsledger.store import open_store

    s = open_store(a.db, create=False)
    n_total = s._conn.execute("SELECT max(rowid) FROM claims").fetchone()[0]
    ns = sorted(r[0] for r in s._conn.execute("SELECT n_claims FROM deals"))
    p = lambda q: ns[min(len(ns) - 1, int(q * (len(ns) - 1)))]  # noqa: E731
    print(f"dealsize: {n_total:,} claims, {len(ns):,} deals; deal size p50 {p(.5)} p95 {p(.95)} max {ns[-1]}")
    scale = a.target / n_total
    for label, target in (("p50 now", p(.5)), ("p95 now", p(.95)), (f"p50 at {a.target:,}", round(p(.5) * scale)),
                          (f"p95 at {a.target:,}", round(p(.95) * scale))):
        rows = s._conn.execute("SELECT id, n_claims FROM deals ORDER BY abs(n_claims - ?) LIMIT 5", (target,)).fetchall()
        ts = []
        for did, _n in rows:
            t = time.perf_counter()
            s.deal(did)
            ts.append((time.perf_counter() - t) * 1000)
        print(f"dealsize: deal() for {label} size {target} claims (5 deals of {min(r[1] for r in rows)}-"
              f"{max(r[1] for r in rows)} claims): median {statistics.median(ts):.0f} ms, max {max(ts):.0f} ms",
              flush=True)
    s.close()


def bigdeal(a: argparse.Namespace) -> None:
    """deal() latency of one deal of --claims claims (one per article; tests/test_big_deal.py's
    articles: a tenth are denials naming no claim, so every one contradicts all the others), on SQLite
    or PostgreSQL: the size of the p95 deal at 10,000,000 claims, built in seconds instead of a day."""
    import json
    import tempfile

    from armsledger.store import open_store
    from test_big_deal import articles_of_one_deal

    with tempfile.TemporaryDirectory() as tmp, database(a.backend, a.pg, str(Path(tmp) / "deal.db")) as db:
        s = open_store(db)
        s.bulk_add(articles_of_one_deal(a.claims, a.seed))
        (row,) = s.ledger()
        d = s.deal(row["id"])
        ts = []
        for _ in range(a.queries):
            t = time.perf_counter()
            s.deal(row["id"])
            ts.append((time.perf_counter() - t) * 1000)
        print(f"bigdeal ({a.backend}): {len(d.claims)} claims, {len(d.contradictions)} contradictions, "
              f"{len(json.dumps(d.to_dict(), default=str)) / 1e6:.1f} MB as JSON; deal() p50 "
              f"{bench.pct(ts, .5):.0f} ms, p95 {bench.pct(ts, .95):.0f} ms ({a.queries} calls)", flush=True)
        s.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    lp = sub.add_parser("ledger")
    lp.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    lp.add_argument("--db", default="/tmp/armsledger-scale/ledger.db", help="the SQLite file")
    lp.add_argument("--claims", type=int, default=10_000_000)
    lp.add_argument("--checkpoints", type=lambda s: [int(x) for x in s.split(",")],
                    default=[100_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000, 7_500_000])
    lp.add_argument("--queries", type=int, default=200)
    lp.add_argument("--until", help="HH:MM UTC: stop building there and measure")
    blp = sub.add_parser("bulk")
    blp.add_argument("--db", default="/tmp/armsledger-scale/bulk.db", help="the SQLite file (new)")
    blp.add_argument("--claims", type=int, default=10_000_000)
    blp.add_argument("--checkpoints", type=lambda s: [int(x) for x in s.split(",")], default=[1_000_000])
    blp.add_argument("--queries", type=int, default=200)
    blp.add_argument("--workers", type=int, default=2, help="processes computing the deal summaries")
    vp = sub.add_parser("verify")
    vp.add_argument("--claims", type=int, default=5000)
    cp = sub.add_parser("pgcopy")
    cp.add_argument("--db", default="/tmp/armsledger-scale/ledger.db", help="the SQLite ledger to load")
    cp.add_argument("--queries", type=int, default=200)
    dp = sub.add_parser("dealsize")
    dp.add_argument("--db", default="/tmp/armsledger-scale/ledger.db", help="the SQLite ledger")
    dp.add_argument("--target", type=int, default=10_000_000, help="the ledger size to scale deal sizes to")
    bp = sub.add_parser("bigdeal")
    bp.add_argument("--claims", type=int, default=950)
    bp.add_argument("--queries", type=int, default=20)
    bp.add_argument("--seed", type=int, default=5)
    bp.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    bp.add_argument("--pg", help="a postgresql:// URL (default: a throwaway server)")
    ip = sub.add_parser("ingest")
    ip.add_argument("--articles", type=int, default=100_000)
    for p in (lp, blp, ip, vp, cp):
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--pg", help="a postgresql:// URL (default: a throwaway server)")
    a = ap.parse_args(argv)
    try:
        {"ledger": ledger, "bulk": bulk, "ingest": ingest, "verify": verify, "pgcopy": copied, "dealsize": dealsize,
         "bigdeal": bigdeal}[a.cmd](a)
    except bench.BenchError as exc:
        print(f"scale.py {a.cmd}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
