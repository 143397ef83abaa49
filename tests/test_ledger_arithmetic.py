"""Ledger arithmetic: one arrival told by two outlets is counted once; contradiction counts
agree in the ledger, the deal view and the export; deal summaries are a function of the set of
claims, not of the order the articles arrived in."""
from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsledger
from armsledger import Ledger
from armsledger.models import Article, Claim
from armsledger.serve.cli import app
from armsledger.store import Store

EXAMPLES = Path(armsledger.__file__).parent / "examples"
runner = CliRunner()

# invented articles that add to the examples' deals and to new ones
EXTRA = {
    "x1.txt": "published: 2023-05-20\noutlet: Third Wire\n---\nGhana received two more Super Tucano aircraft "
              "from Brazil on Friday, the air force said.\n",
    "x2.txt": "published: 2023-06-02\noutlet: Fourth Post\n---\nThe Philippines took delivery of two FA-50 jets "
              "from South Korea on Monday, in a deal worth USD 375 million.\n",
    "x3.txt": "published: 2023-06-03\noutlet: Fifth Daily\n---\nThe Philippines received two FA-50PH fighters "
              "from South Korea on Tuesday under a $374.9 million contract.\n",
}


def corpus(folder: Path) -> list[Path]:
    shutil.copytree(EXAMPLES, folder)
    for name, text in EXTRA.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.iterdir())


def summary(led: Ledger) -> dict[str, dict]:
    return {r["id"]: r for r in led.ledger()}


def test_one_arrival_told_twice_is_counted_once(tmp_path):
    led = Ledger(tmp_path / "a.db")
    led.ingest([EXAMPLES])
    (row,) = led.ledger(recipient="GHA")
    # Northwind: four on 11 May; Coastal Daily: five on 10 May: possibly one arrival
    assert row["quantity_delivered"] == 5 and row["quantity_uncertain"]
    assert row["quantity_delivered"] <= row["quantity_ordered"] == 6


def test_deliveries_a_month_apart_are_all_counted(tmp_path):
    s = Store(tmp_path / "m.db")
    for i in range(6):
        a = Article(text=f"Monthly report {i}: Germany delivered Leopard 2 tanks to Ukraine.", published="2024-01-01")
        s.add(a, [Claim(article=a.meta(), supplier="DEU", recipient="UKR", family="Leopard 2", category="tank",
                        quantity=2, stage="delivered", date=f"2023-0{i + 1}-15", granularity="day")])
    (row,) = s.ledger()
    assert row["quantity_delivered"] == 12


def test_contradictions_counted_the_same_in_every_view(tmp_path):
    folder = tmp_path / "in"
    corpus(folder)
    db = tmp_path / "c.db"
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db)]).exit_code == 0
    led = Ledger(db)
    sipri = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", "--db", str(db), "--all-stages"]).stdout)))
    checked = 0
    for row in led.ledger():
        deal = led.deal(row["id"])
        view = runner.invoke(app, ["deal", row["id"], "--db", str(db)]).stdout
        m = re.search(r"Contradictions \((\d+)\):", view)
        shown = int(m[1]) if m else 0
        assert row["n_contradictions"] == len(deal.contradictions) == shown, row["id"]
        exported = json.loads(runner.invoke(app, ["export", "--db", str(db), "-f", "json"]).stdout)
        assert {r["id"]: r["n_contradictions"] for r in exported}[row["id"]] == shown
        if shown:
            checked += 1
            designation = deal.family or ""
            line = next(r for r in sipri if r["Weapon designation"] == designation)
            assert f"{shown} contradiction(s)" in line["Comments"]
    assert checked >= 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_do_not_depend_on_ingest_order(tmp_path, seed):
    files = corpus(tmp_path / "in")
    reference = Ledger(tmp_path / "ref.db")
    for f in files:
        reference.ingest([f])
    shuffled = files[:]
    random.Random(seed).shuffle(shuffled)
    assert shuffled != files
    other = Ledger(tmp_path / f"shuffled{seed}.db")
    for f in shuffled:
        other.ingest([f])
    assert summary(other) == summary(reference)
    for did in summary(reference):
        a, b = reference.deal(did), other.deal(did)
        assert len(a.contradictions) == len(b.contradictions)
        assert [t.quantity for t in a.tranches] == [t.quantity for t in b.tranches]


def test_value_and_designations_do_not_depend_on_order(tmp_path):
    """Two reports of one deal's value ("USD 375 million", "$374.9 million"): the deal shows the
    same one whichever came first, and its designations in the same order."""
    files = [tmp_path / "x2.txt", tmp_path / "x3.txt"]
    for f in files:
        f.write_text(EXTRA[f.name], encoding="utf-8")
    rows = []
    for order in (files, files[::-1]):
        led = Ledger(tmp_path / f"v{len(rows)}.db")
        for f in order:
            led.ingest([f])
        (row,) = led.ledger(recipient="PHL")
        rows.append(row)
    assert rows[0]["designations"] == rows[1]["designations"] == sorted(rows[0]["designations"])
    assert rows[0]["terms"] == rows[1]["terms"]
    assert len(rows[0]["designations"]) >= 2 and rows[0]["terms"].get("value")


def test_running_total_checked_at_the_scope_the_text_states(tmp_path):
    """"brings to eight the known number of helicopters" counts every helicopter (4 + 2 Mi-171, 2
    Mi-35P), not the Mi-35P family alone; the stated total is shown even when it agrees."""
    from armsledger.models import Evidence

    s = Store(tmp_path / "t.db")
    text = ("Russia delivered four Mi-171 helicopters to Mali in October. Two more Mi-171 arrived in March. "
            "Russia delivered two Mi-35P helicopters to Mali, which brings to eight the known number of "
            "helicopters delivered by Moscow.")
    art = Article(text=text, published="2022-08-10", outlet="Test Wire")
    last = text.index("Russia delivered two")
    sentence = Evidence(last, len(text), text[last:])

    def claim(n, **kw):
        return Claim(id=f"{art.id}-{n}", article=art.meta(), supplier="RUS", recipient="MLI", **kw)

    claims = [claim(1, family="Mi-17", category="transport helicopter", quantity=4, stage="delivered",
                    date="2021-10", granularity="month"),
              claim(2, family="Mi-17", category="transport helicopter", quantity=2, stage="delivered",
                    date="2022-03", granularity="month"),
              claim(3, family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2, stage="delivered",
                    date="2022-08-09", granularity="day"),
              claim(4, kind="cumulative", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=8,
                    stage="delivered", date="2022-08-10", evidence={"sentence": sentence}),
              claim(5, kind="cumulative", category="helicopter", quantity=8, stage="delivered", date="2022-08-10",
                    evidence={"sentence": sentence})]
    s.add(art, claims)
    mi35 = next(r for r in s.ledger() if r["family"] == "Mi-24P/Mi-35P")
    deal = s.deal(mi35["id"])
    assert deal.checks == []  # not "8 vs ledger sum 2"
    (total,) = deal.totals
    assert (total["claim"], total["stated"], total["ledger_sum"], total["consistent"]) == (f"{art.id}-5", 8, 8, True)
    assert total["source"]["outlet"] == "Test Wire"
    text_view = runner.invoke(app, ["deal", mi35["id"], "--db", str(tmp_path / "t.db")]).stdout
    assert "= 8 helicopter as of 2022-08-10 (Test Wire, 2022-08-10) agrees with the ledger sum 8" in text_view


STAGE_CHOICES = ["ordered", "delivered", "delivered", "expected", "pledged", "denied"]
CATEGORY_OF = {"Leopard 2": "tank", "Leopard 1": "tank", "PzH 2000": "self-propelled gun"}


def invented(n: int, seed: int):
    """n invented articles of 1-4 claims; a family always has its catalog category, and many claims
    have a category only ("the tanks"), so where they go depends on which family deals exist."""
    rng = random.Random(seed)
    for i in range(n):
        a = Article(text=f"Invented order-test report {i}.", published="2024-01-01", outlet=f"O{i % 3}")
        claims = []
        for j in range(rng.randint(1, 4)):
            fam = rng.choice(["Leopard 2", "PzH 2000", "Leopard 1", None, None])
            year = rng.choice([2022, 2023])
            stage = rng.choice(STAGE_CHOICES)
            claims.append(Claim(
                id=f"{a.id}-{j + 1}", article=a.meta(), supplier=rng.choice(["DEU", "NLD"]), recipient="UKR",
                family=fam, category=CATEGORY_OF[fam] if fam else rng.choice(["tank", "self-propelled gun"]),
                designation=fam, quantity=rng.choice([None, 2, 4, 6]), stage=stage,
                date=rng.choice([None, f"{year}", f"{year}-0{rng.randint(1, 3)}",
                                 f"{year}-0{rng.randint(1, 3)}-{rng.randint(10, 12)}"]),
                uncertain=rng.random() < .1, hedged=rng.random() < .1,
                denies=(f"{a.id}-1" if stage == "denied" and j and rng.random() < .5 else None),
                terms={"purchase": True} if rng.random() < .2 else {}))
        yield a, claims


@pytest.mark.parametrize("exact_limit", [300, 0])
def test_deal_assignment_and_summaries_independent_of_order(tmp_path, exact_limit):
    """Category-only claims join the pair's unique family deal of their category; a family deal
    that arrives later takes in the claims stored before it, so every order gives one ledger."""
    items = list(invented(150, 5))
    reference = Store(tmp_path / "ref.db", exact_limit=exact_limit)
    for a, cs in items:
        reference.add(a, cs)
    want = {r["id"]: r for r in reference.ledger()}
    assert len(want) >= 5
    for seed in (1, 2, 3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        other = Store(tmp_path / f"s{seed}.db", exact_limit=exact_limit)
        for a, cs in shuffled:
            other.add(a, cs)
        assert {r["id"]: r for r in other.ledger()} == want, seed
        assert dict(other._conn.execute("SELECT id, deal_id FROM claims").fetchall()) == \
            dict(reference._conn.execute("SELECT id, deal_id FROM claims").fetchall())
