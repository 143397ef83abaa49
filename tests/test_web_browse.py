"""The workbench's ledger queries on a synthetic ledger: every counting path gives the plain SQL's answer."""
from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from armsledger.store import Store
from armsledger.store import browse as browse_mod
from armsledger.store.browse import Browse, LedgerQuery

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench.py"


@pytest.fixture(scope="module")
def browse(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("armsledger_bench_for_browse", BENCH)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    store = Store(tmp_path_factory.mktemp("browse") / "l.db")
    rng, cat = random.Random(3), bench._catalogue(3)
    store.bulk_add(bench.synthetic_batch(i, 10, rng, cat) for i in range(300))
    return Browse(store)


def plain(b: Browse, q: LedgerQuery) -> tuple[list[str], dict[str, Counter]]:
    where, args = b.where(q)
    w = (" WHERE " + " AND ".join(where)) if where else ""
    ids = [r[0] for r in b._conn.execute(f"SELECT id FROM deals{w}", args)]
    sub = f"SELECT id FROM deals{w}"
    out = {
        "stage": Counter(dict(b._conn.execute(f"SELECT stage, COUNT(*) FROM deal_stages WHERE deal_id IN ({sub}) "
                                              "GROUP BY stage", args))),
        "year": Counter(dict(b._conn.execute(f"SELECT year, COUNT(*) FROM deal_years WHERE deal_id IN ({sub}) "
                                             "GROUP BY year", args))),
        "supplier": Counter(dict(b._conn.execute(f"SELECT supplier, COUNT(*) FROM deals{w} GROUP BY supplier", args))),
    }
    return ids, out


QUERIES = [LedgerQuery(), LedgerQuery(stage="delivered"), LedgerQuery(year_from=2000, year_to=2010),
           LedgerQuery(recipient="IND"), LedgerQuery(contradictions=True), LedgerQuery(q="a"),
           LedgerQuery(review="unreviewed"), LedgerQuery(stage="ordered", year_from=2015)]


@pytest.mark.parametrize("direct_max", [0, 50, 100_000])
def test_facets_match_plain_sql(browse, monkeypatch, direct_max):
    monkeypatch.setattr(browse_mod, "SIDE_DIRECT_MAX", direct_max)
    for q in QUERIES:
        browse._cache.clear()
        ids, want = plain(browse, q)
        got = browse.facets(q, top=1000, budget_ms=60_000)
        for name in ("stage", "year", "supplier"):
            assert dict(got[name]) == dict(want[name]), (q, name, direct_max)
        rows, total = browse.ledger(LedgerQuery(**{**q.__dict__, "limit": 10_000}))
        assert total == len(ids) and sorted(r["id"] for r in rows) == sorted(ids)


def test_sort_and_paging(browse):
    q = LedgerQuery(sort="n_claims", order="desc", limit=7)
    pages = []
    for p in range(4):
        rows, total = browse.ledger(LedgerQuery(**{**q.__dict__, "offset": 7 * p}))
        pages.extend(rows)
    counts = [r["n_claims"] for r in pages]
    assert counts == sorted(counts, reverse=True) and len({r["id"] for r in pages}) == 28
    rows, _ = browse.ledger(LedgerQuery(sort="last_date", order="asc", limit=50))
    dates = [r["last_date"] for r in rows if r["last_date"]]
    assert dates == sorted(dates)


def test_budget_runs_out_cleanly(browse, monkeypatch):
    monkeypatch.setattr(browse_mod, "SIDE_DIRECT_MAX", 0)
    browse._cache.clear()
    got = browse.facets(LedgerQuery(stage="delivered"), budget_ms=0)
    assert got["year"] == [] and got["supplier"]  # the slow count is left out; the others are there
    assert browse.facets(LedgerQuery(stage="delivered"), budget_ms=60_000)["year"]  # not cached empty
