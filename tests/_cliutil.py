"""Shared by the CLI-level tests: run a command that must succeed, and a ledger of the example articles."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import armsledger
from armsledger.serve.cli import app

EXAMPLES = Path(armsledger.__file__).parent / "examples"
runner = CliRunner()


def run(*args) -> str:
    """stdout of an `armsledger` command that must exit 0."""
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, (res.output, res.exception)
    return res.stdout


def examples_ledger(folder: Path) -> Path:
    """A ledger file in `folder` built by `armsledger ingest` from the example articles."""
    path = folder / "arms.db"
    run("ingest", EXAMPLES, "--db", path)
    return path
