"""`ingest --scheduler`: extraction on a real Dask cluster (a scheduler and two worker processes
on 127.0.0.1, started here) gives the same ledger as a single-process run, idempotently."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsledger.api import Ledger
from armsledger.errors import ArmsledgerError
from armsledger.serve.cli import app

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [str(ROOT / "armsledger" / "examples"), str(ROOT / "tests" / "fixtures" / "ingest")]
runner = CliRunner()


@pytest.fixture(scope="module")
def cluster():
    c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                 dashboard_address=None, silence_logs=40)
    yield c
    c.close()


def _snapshot(db: str) -> tuple:
    led = Ledger(db)
    claims = [(c.id, c.deal_id if hasattr(c, "deal_id") else None, c.to_dict()) for c in led.store.claims()]
    rows = led.ledger()
    return led.stats()["articles"], claims, rows


def _used_module(address: str) -> list[bool]:
    with distributed.Client(address, set_as_default=False) as client:
        return list(client.run(lambda: "armsledger.cluster" in sys.modules).values())


def test_cluster_ingest_matches_single_process(cluster, tmp_path):
    single, multi = str(tmp_path / "one.db"), str(tmp_path / "many.db")
    r1 = runner.invoke(app, ["ingest", *INPUTS, "--db", single, "-q", "--timeout", "0"])
    r2 = runner.invoke(app, ["ingest", *INPUTS, "--db", multi, "-q", "--timeout", "0",
                             "--scheduler", cluster.scheduler_address, "--batch-size", "2"])
    assert r1.exit_code == r2.exit_code  # the fixtures include unreadable files: both report them
    assert r1.output.splitlines()[-1].split(" → ")[0] in r2.output
    n, claims, rows = _snapshot(multi)
    assert n >= 8
    assert (n, claims, rows) == _snapshot(single)
    assert _used_module(cluster.scheduler_address) == [True, True]  # both workers extracted batches
    # idempotent: a second run over the cluster stores nothing new
    r3 = runner.invoke(app, ["ingest", *INPUTS, "--db", multi, "-q", "--timeout", "0",
                             "--scheduler", cluster.scheduler_address])
    assert "\n0 article(s) added" in "\n" + r3.output
    assert _snapshot(multi) == (n, claims, rows)


def test_cluster_results_come_back_in_input_order(cluster):
    from armsledger.cluster import extract_on_cluster
    from armsledger.ingest import read_paths
    from armsledger.models import Article

    arts = [a for a in read_paths(INPUTS[:1]) if isinstance(a, Article)]
    arts = arts * 3 + [Article(text="Nothing to see here.")]
    out = list(extract_on_cluster(iter(arts), cluster.scheduler_address, batch_size=1, window=5))
    assert [a.id for a, _c, _e in out] == [a.id for a in arts]
    assert all(e is None for _a, _c, e in out)
    assert out[-1][1] == [] and any(c for _a, c, _e in out)


def test_unreachable_scheduler_is_reported():
    from armsledger.cluster import extract_on_cluster
    from armsledger.models import Article

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(ArmsledgerError, match="cannot reach the Dask scheduler"):
        list(extract_on_cluster([Article(text="x y z")], f"tcp://127.0.0.1:{port}", connect_timeout=2))


def test_cluster_ingest_into_postgres(cluster, tmp_path, pg_dsn):
    """The shared set-up end to end: extraction on the cluster, the ledger in PostgreSQL
    (the tests' server, conftest.py)."""
    r = runner.invoke(app, ["ingest", INPUTS[0], "--db", pg_dsn, "-q", "--timeout", "0",
                            "--scheduler", cluster.scheduler_address, "--batch-size", "2"])
    assert r.exit_code == 0, r.output
    single = str(tmp_path / "one.db")
    runner.invoke(app, ["ingest", INPUTS[0], "--db", single, "-q", "--timeout", "0"])
    assert Ledger(pg_dsn).ledger() == Ledger(single).ledger()
