"""Reconciliation with the SIPRI register: why each pair matched, never across more than two
years, status differences, the register limited to what the ledger covers, a readable table
that lists everything (or says what --limit left out), and CSV."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsledger
from armsledger.models import Claim
from armsledger.resolve import build_deal
from armsledger.serve.cli import app
from armsledger.serve.export import SIPRI_HEADER
from armsledger.serve.reconcile import MAX_YEAR_GAP, read_sipri, reconcile

EXAMPLES = Path(armsledger.__file__).parent / "examples"
REGISTER = Path(__file__).resolve().parents[2] / "shared" / "data" / "sipri" / "trade-register-2025-03-13.csv"
runner = CliRunner()


def write_register(path: Path, lines: list[str]) -> Path:
    pre = "\n".join(f"preamble line {i}" for i in range(11))
    path.write_text(pre + "\n" + ",".join(SIPRI_HEADER) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def deal(did: str, **kw) -> object:
    kw.setdefault("supplier", "RUS")
    kw.setdefault("recipient", "MLI")
    return build_deal(did, [Claim(id=f"{did}-1", article={"id": did}, **kw)])


def test_matches_say_why_never_span_years_and_report_status(tmp_path):
    reg = write_register(tmp_path / "r.csv", [
        "Mali,Russia,1995,,4,,Mi-17,transport helicopter,4,,1996,New,",            # decades earlier
        "Mali,Russia,2020,,4,,Mi-17,transport helicopter,4,,2021,Second hand,",
        "Mali,Russia,1960,,2,,An-2,transport aircraft,2,,1961,New,",               # out of the ledger's years
        "Mali,France,2021,,2,,VAB,APC,2,,2022,New,",                               # not a ledger pair
    ])
    rows = read_sipri(reg)
    near = deal("d1", family="Mi-17", category="transport helicopter", quantity=4, stage="delivered", date="2021")
    far = deal("d2", family="Mi-17", category="transport helicopter", quantity=2, stage="delivered", date="2010")
    rep = reconcile([near, far], rows)
    (m,) = rep["matched"]
    assert m["deal"] == "d1" and m["register"]["order_year"] == 2020
    assert "same designation (Mi-17)" in m["why"] and "2021" in m["why"]
    assert m["differences"]["status"] == {"ledger": "not stated", "register": "Second hand"}
    assert [d["deal"] for d in rep["ledger_only"]] == ["d2"]  # 1995/1996 is more than two years from 2010
    assert [r["designation"] for r in rep["register_only"]] == []  # 1995 (>2 years off) and 1960 (out of range)


@pytest.mark.skipif(not REGISTER.exists(), reason="SIPRI register not present")
def test_cli_table_lists_everything_and_limit_says_what_it_cut(tmp_path):
    db = tmp_path / "a.db"
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db)]).exit_code == 0
    result = json.loads(runner.invoke(app, ["reconcile", str(REGISTER), "--db", str(db), "-f", "json"]).stdout)
    for m in result["matched"]:
        years = set(m["register"]["delivery_years"]) | {m["register"]["order_year"]} - {None}
        assert m["why"]
        assert years  # every matched register row is dated here
    n_reg = len(result["register_only"])
    assert n_reg > 5
    table = runner.invoke(app, ["reconcile", str(REGISTER), "--db", str(db)]).stdout
    assert f"register only: {n_reg}" in table and "{" not in table  # no raw dicts
    for r in result["register_only"]:
        assert str(r["line"]) in table  # all of them listed
    cut = runner.invoke(app, ["reconcile", str(REGISTER), "--db", str(db), "--limit", "3"]).stdout
    assert f"... {n_reg - 3} more (--limit 0 lists all)" in cut
    out = tmp_path / "rec.csv"
    assert runner.invoke(app, ["reconcile", str(REGISTER), "--db", str(db), "-f", "csv", "-o", str(out)]
                         ).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sum(r["section"] == "register only" for r in rows) == n_reg
    assert sum(r["section"] == "matched" for r in rows) == len(result["matched"])
    assert all(r["why"] for r in rows)


@pytest.mark.skipif(not REGISTER.exists(), reason="SIPRI register not present")
def test_no_match_across_more_than_two_years_on_the_real_register():
    rows = read_sipri(REGISTER, recipients=["Mali"], suppliers=["Russia"])
    for year in (2000, 2010, 2022):
        d = deal(f"y{year}", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2, stage="delivered",
                 date=str(year))
        for m in reconcile([d], rows)["matched"]:
            r = m["register"]
            gap = min(abs(year - y) for y in set(r["delivery_years"]) | {r["order_year"]} if y)
            assert gap <= MAX_YEAR_GAP, (year, r)
