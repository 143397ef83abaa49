"""Store.bulk_load (the fast path `bench/scale.py bulk` builds big ledgers with) writes exactly the
rows Store.bulk_add writes for the same articles: every table, every row, the indexes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import random
import sys
import time

import pytest

from armsledger.store import Store

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import bench  # noqa: E402
import scale  # noqa: E402
from test_store import synthetic  # noqa: E402


def bench_ledger(n_claims: int, seed: int = 1):
    """bench.py's synthetic query ledger, as `scale.py ledger` and `scale.py bulk` build it."""
    rng, catalogue = random.Random(seed), bench._catalogue(seed)
    return (bench.synthetic_batch(i, 10, rng, catalogue) for i in range(n_claims // 10))


def big_deals(n: int, seed: int = 3):
    """test_store's invented articles (few deals of many claims: clashing quantities, coarse and
    fine dates close together, denials, undated claims), every claim with a family."""
    for a, claims in synthetic(n, seed):
        yield a, [c if c.family else dataclasses.replace(c, family="Gepard") for c in claims]


def both(tmp_path, items, exact_limit=None, **kw):
    paths = []
    for how in ("bulk_add", "bulk_load"):
        path = str(tmp_path / f"{how}.db")
        s = Store(path, exact_limit=exact_limit)
        getattr(s, how)(items(), **kw.get(how, {}))
        s.close()
        paths.append(path)
    return [scale._dump(p) for p in paths]


def assert_same(x: dict, y: dict) -> None:
    assert set(x) == set(scale.TABLES) | {"indexes"}
    for table in x:
        assert x[table] == y[table], table


def test_bulk_load_writes_the_bench_ledger_bulk_add_writes(tmp_path):
    x, y = both(tmp_path, lambda: bench_ledger(4000), bulk_load={"workers": 2})  # 2,600 deals: 6 chunks
    assert len(x["claims"]) == 4000 and len(x["deals"]) > 1000
    assert_same(x, y)


@pytest.mark.parametrize("exact_limit", [None, 40])
def test_bulk_load_writes_the_rows_of_big_deals(tmp_path, exact_limit):
    """Deals of hundreds of claims, on the exact path (the default limit, 300) and on both (40:
    the small deals exact, the big ones incremental); small batches, so a deal's claims come
    from several transactions."""
    x, y = both(tmp_path, lambda: big_deals(400), exact_limit, bulk_load={"batch": 37})
    n_claims = {}
    for c in x["claims"]:  # id, article_id, deal_id, ...
        n_claims[c[2]] = n_claims.get(c[2], 0) + 1
    assert max(n_claims.values()) > 100
    state_dd = [r for r in x["deals"] if '"dd": 0' not in r[-1]]
    assert state_dd, "no deal met the delivery-date approximation"
    assert_same(x, y)


def test_bulk_load_continues_a_ledger(tmp_path):
    """A load into a ledger that already holds some of the deals rebuilds them from all their
    claims: what adding everything with bulk_add gives."""
    items = list(big_deals(300, seed=5))
    ref = Store(tmp_path / "ref.db")
    ref.bulk_add(iter(items))
    ref.close()
    s = Store(tmp_path / "two.db")
    s.bulk_add(iter(items[:120]))
    assert s.bulk_load(iter(items[100:]), batch=50) == 180  # the first 20 are stored already
    s.close()
    assert_same(scale._dump(str(tmp_path / "ref.db")), scale._dump(str(tmp_path / "two.db")))


def test_bulk_load_refuses_claims_whose_deal_depends_on_other_articles(tmp_path):
    s = Store(tmp_path / "l.db")
    with pytest.raises(ValueError, match="bulk_add"):
        s.bulk_load(synthetic(50))  # family-less claims with a category
    s.close()


def test_bulk_load_keeps_the_articles_before_a_failure(tmp_path):
    items = list(big_deals(60, seed=7))
    ref = Store(tmp_path / "ref.db")
    ref.bulk_add(iter(items[:25]))
    ref.close()

    def failing():
        yield from items[:25]
        raise RuntimeError("source went away")

    s = Store(tmp_path / "l.db")
    with pytest.raises(RuntimeError):
        s.bulk_load(failing(), batch=10)
    s.close()
    assert_same(scale._dump(str(tmp_path / "ref.db")), scale._dump(str(tmp_path / "l.db")))


def test_bulk_load_on_postgresql_writes_the_rows_bulk_add_writes(pg_server):
    """The same fast path through PgStore (its dialect layer; summaries computed in this process)."""
    from armsledger.store import open_store

    dumps = []
    for how in ("bulk_add", "bulk_load"):
        dsn = pg_server.new_database()
        s = open_store(dsn, exact_limit=40)
        getattr(s, how)(big_deals(200, seed=11))
        s.close()
        dumps.append(scale._dump(dsn))
    assert len(dumps[0]["claims"]) > 300
    assert_same(*dumps)


def test_until_a_time_already_past_means_tomorrow():
    """`--until HH:MM` is the next time the clock shows it: a time already past today is tomorrow's, not a
    deadline gone before the first batch."""
    past = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).strftime("%H:%M")
    left = scale.deadline(past) - time.time()
    assert 23 * 3600 < left <= 24 * 3600
    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=30)).strftime("%H:%M")
    assert 0 < scale.deadline(soon) - time.time() <= 1800
