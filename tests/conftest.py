"""Fixtures shared by the tests that run against both backends: a real PostgreSQL server that
the tests start themselves (tests/pgserver.py; or the server of ARMSLEDGER_TEST_PG), once per
session, and a fresh database on it per test. Skipped, with the reason, only when no PostgreSQL
binaries are installed and no server is given."""
from __future__ import annotations

import os

import pytest

from pgserver import ENV, Server, pg_bin


@pytest.fixture(scope="session")
def pg_server():
    pytest.importorskip("psycopg")
    if not os.environ.get(ENV) and pg_bin() is None:
        pytest.skip(f"PostgreSQL not installed (no initdb/pg_ctl on PATH or under /usr/lib/postgresql) "
                    f"and {ENV} not set")
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def pg_dsn(pg_server):
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_db(request, tmp_path):
    """Where a fresh ledger goes, on each backend: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "l.db"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture(scope="session")
def decided_extractor():
    """An extractor with the committed decision model, shared by the tests of the steps after the decision;
    skips where no model is installed."""
    from armsledger.extract import Extractor, decide
    if decide.default_model() is None:
        pytest.skip("no decision model")
    return Extractor()


@pytest.fixture(scope="session")
def nlp():
    """The parser model (spaCy's small English pipeline), for the tests that read a parse; skips where it is
    not installed."""
    from armsledger.extract.parse import parser
    model = parser()
    if model is None:
        pytest.skip("the parser model is not installed")
    return model
