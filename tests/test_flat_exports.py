"""Flat exports: one claim per row (CSV, XLSX, Parquet), DataFrames, SQLite views with plain
columns (datasette), and a SIPRI export of ordered/delivered deals only."""
from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from armsledger import Ledger
from armsledger.models import Claim, Evidence
from armsledger.resolve import build_deal
from armsledger.serve.cli import app
from _cliutil import examples_ledger, run, runner
from armsledger.serve.export import to_sipri

CLAIM_COLUMNS = {"claim_id", "deal_id", "supplier", "supplier_name", "recipient", "recipient_name", "designation",
                 "family", "category", "quantity", "stage", "date", "granularity", "attribution", "hedged",
                 "url", "outlet", "published", "title", "quantity_quote", "designation_quote", "sentence"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return examples_ledger(tmp_path_factory.mktemp("flat"))


def test_claims_csv_one_plain_row_per_claim(db):
    led = Ledger(db)
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "claims"))))
    assert len(rows) == led.stats()["claims"]
    assert CLAIM_COLUMNS <= set(rows[0])
    for r in rows:
        for k, v in r.items():
            assert not v.startswith(("[", "{")), (k, v)  # no JSON in cells
            assert v not in ("True", "False", "None"), (k, v)
    by_id = {r["claim_id"]: r for r in rows}
    for c in led.store.claims():
        r = by_id[c.id]
        assert r["quantity"] == ("" if c.quantity is None else str(c.quantity))
        assert r["hedged"] == ("yes" if c.hedged else "")
        if "quantity" in c.evidence:
            assert r["quantity_quote"] == c.evidence["quantity"].quote
        art = led.store.article(c.article["id"])
        assert (r["url"], r["outlet"], r["published"]) == (art.url or "", art.outlet or "", art.published or "")
    ghana = [r for r in rows if r["recipient"] == "GHA"]
    assert ghana and {r["recipient_name"] for r in ghana} == {"Ghana"}
    only = list(csv.DictReader(io.StringIO(run("export", "--db", db, "-f", "claims", "--recipient", "Ghana"))))
    assert sorted(r["claim_id"] for r in only) == sorted(r["claim_id"] for r in ghana)


def test_xlsx_and_parquet_hold_the_same_table(db, tmp_path):
    import pandas as pd

    rows = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "claims"))))
    run("export", "--db", db, "--format", "claims", "-o", tmp_path / "c.xlsx")
    run("export", "--db", db, "--format", "parquet", "-o", tmp_path / "c.parquet")
    for df in (pd.read_excel(tmp_path / "c.xlsx"), pd.read_parquet(tmp_path / "c.parquet")):
        assert list(df.columns) == list(rows[0])
        assert sorted(df["claim_id"]) == sorted(r["claim_id"] for r in rows)
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "xlsx"])
    assert res.exit_code == 2 and "-o" in res.stderr


def test_dataframes(db):
    led = Ledger(db)
    claims = led.claims_frame()
    deals = led.deals_frame()
    assert len(claims) == led.stats()["claims"] and CLAIM_COLUMNS <= set(claims.columns)
    assert sorted(deals["deal_id"]) == sorted(r["id"] for r in led.ledger())
    assert claims["hedged"].dtype == bool
    tucano = deals[deals["recipient"] == "GHA"].iloc[0]
    assert tucano["recipient_name"] == "Ghana" and "Coastal Daily (example)" in tucano["outlets"]
    assert int(tucano["quantity_ordered"]) == 6
    ghana = led.claims_frame(recipient="Ghana")
    assert set(ghana["recipient"]) == {"GHA"} and len(ghana) < len(claims)


def test_sqlite_views_have_plain_columns(db):
    con = sqlite3.connect(db)
    try:
        views = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='view'")}
        assert {"claims_flat", "deals_summary"} <= views
        for view in ("claims_flat", "deals_summary"):
            cur = con.execute(f"SELECT * FROM {view}")
            names = [d[0] for d in cur.description]
            for row in cur.fetchall():
                for name, v in zip(names, row):
                    assert not (isinstance(v, str) and v.startswith(("[", "{"))), (view, name, v)
        n_claims = con.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        assert con.execute("SELECT COUNT(*) FROM claims_flat").fetchone()[0] == n_claims
        assert con.execute("SELECT designations, stages, outlets FROM deals_summary WHERE recipient='GHA'"
                           ).fetchone()[1] == "delivered; expected; ordered"
    finally:
        con.close()


def _claim(cid: str, **kw) -> Claim:
    kw.setdefault("supplier", "RUS")
    kw.setdefault("recipient", "MLI")
    return Claim(id=cid, article={"id": cid.rsplit("-", 1)[0]}, **kw)


def test_sipri_rows_only_for_confirmed_and_meaningful_deals():
    ordered = build_deal("d1", [_claim("a-1", family="Mi-17", category="transport helicopter", quantity=4,
                                       stage="ordered", date="2021")])
    pledged = build_deal("d2", [_claim("a-2", family="T-72", category="tank", quantity=10, stage="pledged",
                                       date="2022")])
    generic = build_deal("d3", [_claim("a-3", designation="similar deliveries", stage="delivered", date="2022")])
    munitions = build_deal("d4", [_claim("a-4", designation="munitions", category="munitions", stage="delivered")])
    rows = to_sipri([ordered, pledged, generic, munitions], confirmed_only=True)
    assert [r["Weapon designation"] for r in rows] == ["Mi-17"]
    everything = to_sipri([ordered, pledged, generic, munitions])
    assert sorted((r["Weapon designation"], r["status"]) for r in everything) == \
        [("Mi-17", ""), ("T-72", "Pledged (not confirmed)")]


def test_second_hand_only_when_the_text_says_so():
    sentence = "Russia delivered four Mi-171 helicopters, a model used for troop transport, to Mali."
    used = sentence.index("used")
    verb = _claim("b-1", family="Mi-17", category="transport helicopter", quantity=4, stage="delivered",
                  date="2022", terms={"second_hand": True},
                  evidence={"terms.second_hand": Evidence(used, used + 4, "used"),
                            "sentence": Evidence(0, len(sentence), sentence)})
    (row,) = to_sipri([build_deal("d", [verb])])
    assert row["status"] == "" and "second-hand" not in row["Comments"].lower()
    sentence2 = "Russia delivered four used Mi-171 helicopters to Mali."
    used2 = sentence2.index("used")
    stated = _claim("c-1", family="Mi-17", category="transport helicopter", quantity=4, stage="delivered",
                    date="2022", terms={"second_hand": True},
                    evidence={"terms.second_hand": Evidence(used2, used2 + 4, "used"),
                              "sentence": Evidence(0, len(sentence2), sentence2)})
    (row,) = to_sipri([build_deal("d", [stated])])
    assert row["status"] == "Second hand"


def test_ledger_csv_has_sources_and_no_json(db):
    rows = list(csv.DictReader(io.StringIO(run("ledger", "--db", db, "--format", "csv"))))
    assert rows
    for r in rows:
        assert r["outlets"] and r["urls"].startswith("https://") and r["published"]
        for k, v in r.items():
            assert not v.startswith(("[", "{")) and v not in ("True", "False"), (k, v)
    ghana = next(r for r in rows if r["recipient"] == "GHA")
    assert ghana["outlets"] == "Coastal Daily (example); Northwind Wire (example)"
    assert "purchase" in ghana["terms"]
    as_json = __import__("json").loads(run("export", "--db", db, "--format", "json"))
    assert {r["id"]: r["urls"] for r in as_json}[ghana["id"]] == ghana["urls"].split("; ")
