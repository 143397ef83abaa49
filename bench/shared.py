"""Benchmark of the shared ledger: Dask extraction (1 vs 2 workers, per-batch overhead) and
PostgreSQL (ingest rate and peak memory, ledger and deal query latency), next to SQLite.

    python bench/shared.py                 # defaults: 400 articles on the cluster, 10,000 ingested,
                                           # 100,000 claims queried, on both backends
    python bench/shared.py --tiny          # seconds
    python bench/shared.py --pg postgresql://me@host/db   # an existing server (else one is started
                                                          # in a temporary folder, as the tests do)

Uses bench.py's corpus (the local articles, varied copies) and its ingest and query children,
with ``armsledger.store:open_store`` as the store, so SQLite and PostgreSQL run the same code.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import bench  # noqa: E402

STORE = "armsledger.store:open_store"


def corpus(n: int, seed: int = 7) -> list:
    """n distinct articles: varied copies of the local articles (bench.py's corpus)."""
    from armsledger.ingest.header import read_text

    sources = bench.load_sources()
    rng = random.Random(seed)
    return [read_text(bench.render(src, bench.variant_paragraphs(src, i // len(sources) + 1, rng)),
                      path=f"bench/{i}.txt") for i, src in ((i, sources[i % len(sources)]) for i in range(n))]


def time_cluster(articles: list, workers: int, batch: int) -> dict:
    """Seconds to extract ``articles`` on a local cluster of ``workers`` single-threaded processes,
    after a warm-up batch per worker (model loading is not the figure); and the per-batch overhead
    (round trip of an empty batch)."""
    from distributed import Client, LocalCluster

    from armsledger.cluster import extract_batch, extract_on_cluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cl, Client(cl) as client:
        client.run(lambda: __import__("armsledger.extract", fromlist=["extract"]).extract(
            __import__("armsledger.models", fromlist=["Article"]).Article(text="Mali received two helicopters.")))
        t0 = time.perf_counter()
        n = sum(1 for _a, _c, err in extract_on_cluster(articles, cl.scheduler_address, batch_size=batch)
                if err is None)
        seconds = time.perf_counter() - t0
        k = 50
        t1 = time.perf_counter()
        for _ in range(k):
            client.submit(extract_batch, [], 0.0, pure=False).result()
        overhead = (time.perf_counter() - t1) / k
    return {"articles": n, "seconds": seconds, "rate": n / seconds, "overhead_ms": overhead * 1000}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--cluster-articles", type=int, default=None)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--ingest", type=int, default=None, help="articles ingested per backend (0 skips)")
    ap.add_argument("--claims", type=int, default=None, help="claims in the query ledger (0 skips)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--pg", default=None, help="a postgresql:// URL (default: start a throwaway server)")
    a = ap.parse_args(argv)
    n_cluster = a.cluster_articles if a.cluster_articles is not None else (20 if a.tiny else 400)
    n_ingest = a.ingest if a.ingest is not None else (200 if a.tiny else 10_000)
    n_claims = a.claims if a.claims is not None else (2_000 if a.tiny else 100_000)
    queries = 20 if a.tiny else a.queries
    print(f"shared-ledger benchmark, {time.strftime('%Y-%m-%d')}")

    if n_cluster:
        arts = corpus(n_cluster)
        one = time_cluster(arts, 1, a.batch)
        two = time_cluster(arts, 2, a.batch)
        print(f"dask extract, 1 worker:  {one['rate']:.1f} articles/s ({one['articles']} articles, batches of {a.batch})")
        print(f"dask extract, 2 workers: {two['rate']:.1f} articles/s ({two['rate'] / one['rate']:.2f}x one worker)")
        print(f"dask per-batch overhead: {one['overhead_ms']:.1f} ms (1 worker), {two['overhead_ms']:.1f} ms (2 workers)")

    server = None
    dbs = {}
    with tempfile.TemporaryDirectory() as tmp:
        if n_ingest or n_claims:
            if a.pg:
                dbs["postgresql"] = lambda: a.pg
            else:
                from pgserver import Server, pg_bin

                if pg_bin() is not None:
                    server = Server()
                    dbs["postgresql"] = server.new_database
            counter = iter(range(10**6))
            dbs["sqlite"] = lambda: str(Path(tmp) / f"l{next(counter)}" / "ledger.db")
        try:
            for name, make in sorted(dbs.items(), key=lambda kv: kv[0] != "sqlite"):
                if n_ingest:
                    r = bench.in_fresh_process(bench._ingest_child, bench.DEFAULT_EXTRACT, STORE, n_ingest, 1, make())
                    print(f"{name}: ingest of {r['n']:,} articles: {r['n'] / r['seconds']:.0f} articles/s, "
                          f"peak RSS {r['rss']:.0f} MB")
                if n_claims:
                    r = bench.in_fresh_process(bench._ledger_child, STORE, n_claims, 1, make(), queries)
                    print(f"{name}: {r['claims']:,} claims (build {r['claims'] / r['build']:.0f} claims/s): "
                          f"ledger --recipient p50 {r['ledger'][0]:.1f} ms p95 {r['ledger'][1]:.1f} ms; "
                          f"deal p50 {r['deal'][0]:.1f} ms p95 {r['deal'][1]:.1f} ms")
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
