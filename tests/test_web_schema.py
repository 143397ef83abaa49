"""Schemathesis over the workbench's OpenAPI schema: every operation, generated inputs, no 500s.

Writes are called with a valid token, so review, merge, ingest and re-extract run for real
on a ledger built from the example articles (and one hostile article)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from armsledger.serve.web import create_app

from _webutil import TOKEN, build_ledger

_TMP = tempfile.TemporaryDirectory(prefix="armsledger-schema-")
_DB, _ = build_ledger(Path(_TMP.name))
APP = create_app(_DB, token=TOKEN)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])
