"""Exports (ledger rows, SIPRI layout) and reconciliation with the SIPRI register."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from armsledger.models import Claim
from armsledger.resolve import assign_deals, build_deal
from armsledger.serve.export import (SIPRI_HEADER, country_code, country_name, to_rows, to_sipri, write_csv,
                                     write_json, write_sipri_csv)
from armsledger.serve.reconcile import family_match, read_sipri, reconcile

REGISTER = Path(__file__).resolve().parents[2] / "shared" / "data" / "sipri" / "trade-register-2025-03-13.csv"


def mk(cid, **kw):
    kw.setdefault("supplier", "RUS")
    kw.setdefault("recipient", "MLI")
    return Claim(id=cid, article={"id": cid.rsplit("-", 1)[0], "published": "2022-04-19"}, **kw)


def mali_claims():
    return [
        mk("m1-1", designation="Mil Mi-35P", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2,
           stage="delivered", date="2022-04-18", hedged=True, terms={"aid": True, "second_hand": True}),
        mk("m2-1", designation="Mi-24P", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2,
           stage="delivered", date="2022-04-18"),
        mk("m2-2", designation="Mil Mi35P", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2,
           stage="delivered", date="2022-03-31"),
        mk("m1-2", designation="59N6-TE", family="59N6", category="air search radar", stage="delivered",
           date="2022-04-18"),
        mk("m2-3", designation="59N6-TE", family="59N6", category="air search radar", stage="delivered",
           date="2022-03-31"),
        mk("m2-4", designation="Mi-171", family="Mi-17", category="transport helicopter", quantity=4,
           stage="delivered", date="2021-10", granularity="month"),
        mk("m2-5", designation="Mi-171", family="Mi-17", category="transport helicopter", quantity=4,
           stage="ordered", date="2020-12", granularity="month", terms={"purchase": True, "value": "$61 m"}),
    ]


def mali_deals():
    claims = mali_claims()
    mapping = {}
    for art in ("m1", "m2"):
        mapping.update(assign_deals([c for c in claims if c.article["id"] == art]))
    by = {}
    for c in claims:
        by.setdefault(mapping[c.id], []).append(c)
    return [build_deal(did, cs) for did, cs in by.items()]


def test_country_names():
    assert country_name("RUS") == "Russia"
    assert country_name("MLI") == "Mali"
    assert country_name("USA") == "United States"
    assert country_name("XXQ") == "XXQ"
    assert country_code("Russia") == "RUS" and country_code("United States") == "USA"
    assert country_code("Turkiye") == "TUR" and country_code("Soviet Union") == "SUN"


def test_sipri_export_columns_and_uncertainty():
    rows = {r["Weapon designation"]: r for r in to_sipri(mali_deals())}
    assert set(rows) == {"Mi-24P/Mi-35P", "59N6", "Mi-17"}
    mi17 = rows["Mi-17"]
    assert (mi17["Recipient"], mi17["Supplier"]) == ("Mali", "Russia")
    assert (mi17["Year of order"], mi17["Year of order ?"]) == ("2020", "")
    assert (mi17["Number ordered"], mi17["Number ordered ?"]) == ("4", "")
    assert (mi17["Number delivered"], mi17["Number delivered ?"]) == ("4", "")
    assert mi17["Weapon description"] == "transport helicopter"
    assert mi17["Year(s) of delivery"] == "2021"
    assert "$61 m" in mi17["Comments"] and "Mi-171" in mi17["Comments"]
    mi24 = rows["Mi-24P/Mi-35P"]
    # no order reported: year and number of the order inferred from deliveries, marked "?"
    assert (mi24["Year of order"], mi24["Year of order ?"]) == ("2022", "?")
    assert (mi24["Number ordered"], mi24["Number ordered ?"]) == ("4", "?")
    assert (mi24["Number delivered"], mi24["Number delivered ?"]) == ("4", "?")  # one report hedged
    assert mi24["status"] == "Second hand"
    assert "aid" in mi24["Comments"] and "contradiction" in mi24["Comments"]
    radar = rows["59N6"]
    assert radar["Number delivered"] == "" and radar["Number delivered ?"] == ""
    assert radar["Year(s) of delivery"] == "2022"


def test_sipri_csv_header_and_years():
    claims = [mk("y1-1", family="Mi-17", category="transport helicopter", quantity=2, stage="delivered",
                 date="2021-03"),
              mk("y1-2", family="Mi-17", category="transport helicopter", quantity=2, stage="delivered",
                 date="2022-05")]
    deal = build_deal("d1", claims)
    fh = io.StringIO()
    assert write_sipri_csv([deal], fh) == 1
    lines = list(csv.reader(io.StringIO(fh.getvalue())))
    assert lines[0] == SIPRI_HEADER
    assert lines[0][3] == lines[0][5] == lines[0][9] == " "
    assert lines[1][10] == "2021; 2022" and lines[1][8] == "4"


def test_ledger_rows_export():
    row = {"id": "abc", "supplier": "RUS", "recipient": "MLI", "family": "Mi-17", "category": "transport helicopter",
           "designations": ["Mi-171", "Mi-171Sh"], "stages": ["delivered", "ordered"], "quantity_ordered": 4,
           "quantity_delivered": 4, "quantity_uncertain": False, "order_date": "2020-12", "first_date": "2020-12",
           "last_date": "2021-10", "delivery_years": [2021], "n_claims": 2, "n_articles": 1,
           "n_contradictions": 0, "hedged": False, "terms": {"value": "$61 m"}}
    (flat,) = to_rows([row])
    assert flat["designations"] == "Mi-171; Mi-171Sh" and flat["quantity_uncertain"] == ""
    (kept,) = to_rows([row], flat=False)
    assert kept["designations"] == ["Mi-171", "Mi-171Sh"]
    fh = io.StringIO()
    write_csv([row], fh)
    (back,) = list(csv.DictReader(io.StringIO(fh.getvalue())))
    assert back["family"] == "Mi-17" and back["delivery_years"] == "2021"
    fh = io.StringIO()
    write_json([row], fh)
    assert json.loads(fh.getvalue())[0]["terms"] == {"value": "$61 m"}
    # a ledger row is also accepted by the SIPRI export
    (s,) = to_sipri([row])
    assert (s["Recipient"], s["Weapon designation"], s["Number delivered"]) == ("Mali", "Mi-17", "4")


def test_family_match():
    assert family_match("Mi-24P/Mi-35P", "Mi-24P/Mi-35P") == 3
    assert family_match("59N6", "59N6 Protivnik-GE") == 2
    assert family_match("Mi-35P", "Mi-24P/Mi-35P") == 2
    assert family_match("Mi-24P/Mi-35P", "Mi-35M") == 0
    assert family_match("Mi-17", "Mi-8T") == 0


def test_read_sipri_small(tmp_path):
    p = tmp_path / "reg.csv"
    pre = "\n".join(f"preamble line {i}" for i in range(11))
    p.write_text(pre + "\n" + ",".join(SIPRI_HEADER + ["SIPRI TIV per unit", "SIPRI TIV for total order",
                                                        "SIPRI TIV of delivered weapons"]) + "\n"
                 + 'Mali,Russia,2021,?,3,?,Mi-24P/Mi-35P,combat helicopter,3,,2022,Second hand,"Second-hand; aid",3.6,10.8,10.8\n'
                 + "Mali,Russia,2020,,4,,Mi-17,transport helicopter,4,,2019; 2021,New,,7.25,29,29\n",
                 encoding="cp1252")
    rows = read_sipri(p)
    assert len(rows) == 2
    r = rows[0]
    assert (r["recipient"], r["supplier"], r["order_year"], r["order_year_uncertain"]) == ("Mali", "Russia", 2021, True)
    assert (r["ordered"], r["ordered_uncertain"], r["delivered"], r["delivered_uncertain"]) == (3, True, 3, False)
    assert r["comments"] == "Second-hand; aid" and r["tiv_order"] == 10.8
    assert rows[1]["delivery_years"] == [2019, 2021]
    assert read_sipri(p, recipients=["mali"], suppliers=["France"]) == []
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError):
        read_sipri(bad)


@pytest.mark.skipif(not REGISTER.exists(), reason="SIPRI register not available")
def test_reconcile_against_real_register():
    rows = read_sipri(REGISTER)
    assert len(rows) > 20000
    deals = mali_deals()
    extra = build_deal("zz", [mk("m3-1", family="Ka-52", category="combat helicopter", quantity=1,
                                 stage="delivered", date="2022")])
    rep = reconcile(deals + [extra], rows)
    got = {m["family"]: m for m in rep["matched"]}
    assert set(got) == {"Mi-24P/Mi-35P", "Mi-17", "59N6"}
    assert got["59N6"]["designation"] == "59N6 Protivnik-GE"
    assert got["Mi-17"]["register"]["order_year"] == 2020  # the 2020 order, not the 2022 Mi-8MT one
    assert got["Mi-17"]["differences"] == {}
    assert got["Mi-24P/Mi-35P"]["differences"]["number delivered"] == {"ledger": 4, "register": 3}
    assert [d["family"] for d in rep["ledger_only"]] == ["Ka-52"]
    # register-only rows are restricted to the ledger's pairs (Russia → Mali)
    assert rep["register_only"]
    assert all((r["supplier"], r["recipient"]) == ("Russia", "Mali") for r in rep["register_only"])
    assert rep["summary"]["matched"] == 3
