"""SQLite store: schema, idempotent and atomic ingest, ledger filters, deal view."""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from armsledger.models import Article, Claim, Evidence
from armsledger.store import Store
from armsledger.store.sqlite import SCHEMA_VERSION

TEXT_A = ("Mali received two Mil Mi-35P helicopters and 59N6-TE radars from Russia yesterday. "
          "The country has previously received eight helicopters.")
TEXT_B = ("On Monday Mali announced two Mi-24P helicopters from Russia. An earlier consignment of two "
          "Mil Mi35P helicopters and 59N6-TE radars arrived on March 31. Four Mi-171 were delivered in "
          "October last year under a December 2020 contract. France sold 26 Rafale M to India in 2025.")


def article(text, published="2022-04-19", outlet="Wire"):
    return Article(text=text, published=published, outlet=outlet, url=f"https://example.org/{len(text)}")


def claim(a: Article, n: int, quote: str | None = None, **kw) -> Claim:
    kw.setdefault("supplier", "RUS")
    kw.setdefault("recipient", "MLI")
    ev = {}
    if quote:
        start = a.text.index(quote)
        ev["quantity"] = Evidence.of(a.text, start, start + len(quote))
    return Claim(id=f"{a.id}-{n}", article=a.meta(), evidence=ev, **kw)


def seed():
    a, b = article(TEXT_A), article(TEXT_B, outlet="AFP")
    ca = [
        claim(a, 1, "two Mil Mi-35P helicopters", designation="Mil Mi-35P", family="Mi-24P/Mi-35P",
              category="combat helicopter", quantity=2, stage="delivered", date="2022-04-18", granularity="day",
              hedged=True),
        claim(a, 2, designation="59N6-TE", family="59N6", category="air search radar", stage="delivered",
              date="2022-04-18", granularity="day"),
        claim(a, 3, "previously received eight helicopters", kind="cumulative", category="helicopter",
              quantity=8, date="2022-04-18", terms={"before_latest": True}),
    ]
    cb = [
        claim(b, 1, "two Mi-24P helicopters", designation="Mi-24P", family="Mi-24P/Mi-35P",
              category="combat helicopter", quantity=2, stage="delivered", date="2022-04-18", granularity="day"),
        claim(b, 2, designation="Mil Mi35P", family="Mi-24P/Mi-35P", category="combat helicopter", quantity=2,
              stage="delivered", date="2022-03-31", granularity="day"),
        claim(b, 3, designation="59N6-TE", family="59N6", category="air search radar", stage="delivered",
              date="2022-03-31", granularity="day"),
        claim(b, 4, "Four Mi-171", designation="Mi-171", family="Mi-17", category="transport helicopter",
              quantity=4, stage="delivered", date="2021-10", granularity="month"),
        claim(b, 5, designation="Mi-171", family="Mi-17", category="transport helicopter", quantity=4,
              stage="ordered", date="2020-12", granularity="month", terms={"purchase": True}),
        claim(b, 6, "26 Rafale M", supplier="FRA", recipient="IND", designation="Rafale M", family="Rafale",
              category="FGA aircraft", quantity=26, stage="ordered", date="2025", granularity="year"),
    ]
    return (a, ca), (b, cb)


def digest(path) -> tuple[dict[str, int], str]:
    con = sqlite3.connect(path)
    counts, h = {}, hashlib.sha256()
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        counts[t] = con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for row in con.execute(f"SELECT * FROM {t} ORDER BY 1"):
            h.update(repr(row).encode())
    con.close()
    return counts, h.hexdigest()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ledger.db")
    for a, cs in seed():
        assert s.add(a, cs) is True
    yield s
    s.close()


def test_schema_created(tmp_path, monkeypatch):
    monkeypatch.setenv("ARMSLEDGER_DB", str(tmp_path / "env.db"))
    s = Store()
    assert s.path == str(tmp_path / "env.db")
    con = sqlite3.connect(tmp_path / "env.db")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "claims", "deals", "schema_version", "deal_years", "deal_stages"} <= tables
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"claims_deal", "claims_article", "deals_recipient", "deals_supplier", "deals_category"} <= indexes
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    s.close()
    # reopening does not duplicate the version row
    Store(tmp_path / "env.db").close()
    con = sqlite3.connect(tmp_path / "env.db")
    assert con.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1
    con.close()


def test_idempotent_add(store):
    (a, ca), (b, cb) = seed()
    before = digest(store.path)
    assert store.has_article(a.id) and store.has_article(b.id)
    assert store.add(a, ca) is False
    assert store.add(b, cb) is False
    # the same text with other layout is the same article
    assert store.add(Article(text=a.text.replace(" ", "  \n"), published="2022-04-19"), ca) is False
    assert digest(store.path) == before
    assert before[0]["articles"] == 2 and before[0]["claims"] == 9


def test_rollback_on_failure(tmp_path, monkeypatch):
    s = Store(tmp_path / "rb.db")
    (a, ca), (b, cb) = seed()
    assert s.add(a, ca)
    before = digest(s.path)

    def boom(self, deal_id, new):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_refresh_deal", boom)
    with pytest.raises(RuntimeError):
        s.add(b, cb)
    assert digest(s.path) == before
    assert not s.has_article(b.id)
    monkeypatch.undo()
    assert s.add(b, cb) is True  # and the article can be ingested afterwards
    s.close()


def test_duplicate_claim_id_rolls_back(tmp_path):
    s = Store(tmp_path / "dup.db")
    (a, ca), _ = seed()
    ca[1].id = ca[0].id
    with pytest.raises(ValueError):
        s.add(a, ca)
    assert s.stats()["articles"] == 0 and s.stats()["claims"] == 0
    s.close()


def test_claims_filters(store):
    assert len(store.claims()) == 9
    assert {c.id.split("-")[1] for c in store.claims(stage="ordered")} == {"5", "6"}
    assert [c.designation for c in store.claims(supplier="FRA")] == ["Rafale M"]
    assert len(store.claims(recipient="MLI")) == 8
    assert len(store.claims(category="helicopter", stage="delivered")) == 4
    assert len(store.claims(year=2021)) == 1
    assert len(store.claims(kind="cumulative")) == 1
    c = store.claims(family="Mi-17", stage="delivered")[0]
    assert c.evidence["quantity"].quote == "Four Mi-171"
    with pytest.raises(ValueError):
        store.claims(colour="red")


def test_ledger_filters(store):
    rows = store.ledger()
    assert len(rows) == 4
    assert {r["family"] for r in store.ledger(recipient="MLI")} == {"Mi-24P/Mi-35P", "59N6", "Mi-17"}
    assert [r["family"] for r in store.ledger(supplier="fra")] == ["Rafale"]  # case-insensitive codes
    assert {r["family"] for r in store.ledger(category="helicopter")} == {"Mi-24P/Mi-35P", "Mi-17"}
    assert [r["family"] for r in store.ledger(category="transport helicopter")] == ["Mi-17"]
    assert {r["family"] for r in store.ledger(stage="ordered")} == {"Mi-17", "Rafale"}
    assert [r["family"] for r in store.ledger(year=2021)] == ["Mi-17"]  # claim dates, not deal first dates
    assert [r["family"] for r in store.ledger(year=2020, recipient="MLI")] == ["Mi-17"]
    assert store.ledger(year=2023) == []
    assert len(store.ledger(limit=2)) == 2
    mi24 = next(r for r in rows if r["family"] == "Mi-24P/Mi-35P")
    assert mi24["n_claims"] == 3 and mi24["n_articles"] == 2
    assert mi24["quantity_delivered"] == 4
    assert mi24["first_date"] == "2022-03-31" and mi24["last_date"] == "2022-04-18"
    assert mi24["stages"] == ["delivered"]
    assert set(mi24["designations"]) == {"Mil Mi-35P", "Mi-24P", "Mil Mi35P"}
    assert mi24["n_contradictions"] == 1 and mi24["hedged"] is True
    mi17 = next(r for r in rows if r["family"] == "Mi-17")
    assert (mi17["quantity_ordered"], mi17["quantity_delivered"], mi17["quantity_uncertain"]) == (4, 4, False)
    assert mi17["order_date"] == "2020-12" and mi17["delivery_years"] == [2021]
    radar = next(r for r in rows if r["family"] == "59N6")
    assert radar["n_contradictions"] == 1  # delivery date, between articles


def test_deal_view(store):
    mi24 = next(r for r in store.ledger() if r["family"] == "Mi-24P/Mi-35P")
    d = store.deal(mi24["id"])
    assert d.family == "Mi-24P/Mi-35P" and d.supplier == "RUS" and d.recipient == "MLI"
    assert len(d.claims) == 3
    assert d.claims[0].evidence  # claims come back with their evidence
    assert [(t.date, t.quantity) for t in d.tranches] == [("2022-03-31", 2), ("2022-04-18", 2)]
    assert [x.field for x in d.contradictions] == ["designation"]
    (check,) = d.checks
    assert check.field == "cumulative" and check.sides[0]["value"] == 8 and check.sides[1]["value"] == 6
    assert store.deal("nope") is None
    assert d.to_dict()["claims"][0]["equipment"]["family"] == "Mi-24P/Mi-35P"
    assert [x.id for x in store.deals(supplier="FRA")] == [r["id"] for r in store.ledger(supplier="FRA")]


def test_later_article_joins_existing_family_deal(store):
    c = Article(text="Russia delivered two more combat helicopters to Mali.", published="2022-06-02")
    bare = Claim(id=f"{c.id}-1", article=c.meta(), supplier="RUS", recipient="MLI",
                 designation="combat helicopters", category="combat helicopter", quantity=2, stage="delivered",
                 date="2022-06-01", granularity="day")
    assert store.add(c, [bare])
    mi24 = next(r for r in store.ledger() if r["family"] == "Mi-24P/Mi-35P")
    assert mi24["n_claims"] == 4 and mi24["n_articles"] == 3 and mi24["quantity_delivered"] == 6
    assert store.claims(article_id=c.id)[0].id == bare.id


def test_article_and_stats(store):
    (a, _), _ = seed()
    got = store.article(a.id)
    assert got.text == a.text and got.published == "2022-04-19" and got.id == a.id
    assert store.article("0" * 16) is None
    st = store.stats()
    assert st["articles"] == 2 and st["claims"] == 9 and st["deals"] == 4 and st["cumulative_claims"] == 1
    assert st["claims_by_stage"]["delivered"] == 6


def test_claims_get_ids_and_article(tmp_path):
    s = Store(tmp_path / "ids.db")
    a = article("Germany delivered one IRIS-T SLM system to Ukraine.")
    c = Claim(article={}, supplier="DEU", recipient="UKR", family="IRIS-T SLM", category="SAM system",
              quantity=1, stage="delivered", date="2022-10")
    assert s.add(a, [c])
    (got,) = s.claims()
    assert got.id == f"{a.id}-1" and got.article["id"] == a.id
    s.close()


def test_incremental_summary_for_large_deals(tmp_path):
    s = Store(tmp_path / "big.db")
    for i in range(8):
        a = article(f"Report {i}: Germany delivered Leopard 2 tanks to Ukraine.")
        c = Claim(article=a.meta(), supplier="DEU", recipient="UKR", family="Leopard 2", category="tank",
                  quantity=2, stage="delivered", date=f"2023-0{i + 1}-15", granularity="day")
        assert s.add(a, [c])
    (row,) = s.ledger()
    assert row["n_claims"] == 8 and row["n_articles"] == 8
    assert row["quantity_delivered"] == 16
    assert row["first_date"] == "2023-01-15" and row["last_date"] == "2023-08-15"
    assert row["delivery_years"] == [2023]
    s.close()


# -- bulk_add and the incremental summaries ------------------------------------------

STAGES = ["ordered", "delivered", "delivered", "expected", "pledged", "denied"]


def synthetic(n: int, seed: int = 3):
    """n invented articles of 1-4 claims, a few pairs and families, so deals gather many
    claims with clashing quantities, coarse and fine dates, denials and undated claims."""
    import random

    rng = random.Random(seed)
    for i in range(n):
        a = Article(text=f"Invented report {i} on transfers.", published="2024-01-01", outlet=f"O{i % 3}",
                    url=f"https://example.org/{i}")
        claims = []
        for j in range(rng.randint(1, 4)):
            fam = rng.choice(["Leopard 2", "Leopard 2", "PzH 2000", None])
            year = rng.choice([2022, 2023])
            date = rng.choice([None, f"{year}", f"{year}-0{rng.randint(1, 3)}",
                               f"{year}-0{rng.randint(1, 3)}-{rng.randint(10, 12)}"])
            stage = rng.choice(STAGES)
            claims.append(Claim(
                id=f"{a.id}-{j + 1}", article=a.meta(), supplier=rng.choice(["DEU", "DEU", "NLD"]),
                recipient="UKR", family=fam, category=rng.choice(["tank", "self-propelled gun"]),
                designation=rng.choice([fam, (fam or "") + "A6", None]) if fam else None,
                quantity=rng.choice([None, 2, 4, 6]), stage=stage, date=date,
                uncertain=rng.random() < .1, hedged=rng.random() < .1,
                denies=(f"{a.id}-1" if stage == "denied" and j and rng.random() < .5 else None),
                terms={"purchase": True} if rng.random() < .2 else {}))
        yield a, claims


def _views(s: Store):
    rows = s.ledger()
    return rows, {r["id"]: s.deal(r["id"]).to_dict() for r in rows}


def test_bulk_add_matches_add(tmp_path):
    one = Store(tmp_path / "one.db")
    for a, cs in synthetic(300):
        assert one.add(a, cs)
    bulk = Store(tmp_path / "bulk.db")
    assert bulk.bulk_add(synthetic(300), batch=7) == 300
    assert _views(bulk) == _views(one)
    assert digest_tables(bulk.path, "deal_dates", "deal_parts") == digest_tables(one.path, "deal_dates", "deal_parts")
    for a, cs in seed():  # real-looking claims too, including a cumulative one
        assert one.add(a, cs)
    assert bulk.bulk_add(iter(seed())) == 2
    assert _views(bulk) == _views(one)
    one.close()
    bulk.close()


def test_bulk_add_is_idempotent_and_streams(tmp_path):
    s = Store(tmp_path / "b.db")
    assert s.bulk_add(synthetic(50), batch=10) == 50
    before = digest(s.path)
    assert s.bulk_add(synthetic(50), batch=10) == 0
    assert digest(s.path) == before
    # repeated within one call: added once; a generator is consumed lazily
    pulled = []

    def gen():
        for a, cs in synthetic(60):
            pulled.append(a.id)
            yield a, cs
        yield from synthetic(60)

    assert s.bulk_add(gen(), batch=4) == 10
    assert len(pulled) == 60 and s.stats()["articles"] == 60
    s.close()


def test_bulk_add_failure_keeps_earlier_articles(tmp_path):
    s = Store(tmp_path / "f.db")
    items = list(synthetic(5))
    bad_a, bad_cs = items[3]
    bad_cs.append(bad_cs[0])  # duplicate claim id: ValueError
    with pytest.raises(ValueError):
        s.bulk_add(items, batch=100)
    assert s.stats()["articles"] == 3 and not s.has_article(bad_a.id)
    s.close()


def digest_tables(path, *tables) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for t in tables:
        for row in con.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


EXACT = ("supplier", "recipient", "family", "category", "designations", "stages", "quantity_ordered",
         "quantity_delivered", "quantity_uncertain", "order_date", "first_date", "last_date", "delivery_years",
         "n_claims", "n_articles", "hedged", "terms")


@pytest.mark.parametrize("seed_", [1, 2, 3])
def test_incremental_summary_equals_rebuild(tmp_path, seed_):
    """The incrementally kept summary equals a rebuild from all claims (build_deal); the
    contradiction count too, except for the delivery-date rule (documented approximation).
    exact_limit=0: every deal on the incremental path, whatever its size."""
    s = Store(tmp_path / "inc.db", exact_limit=0)
    s.bulk_add(synthetic(400, seed_))
    rows = s.ledger()
    assert len(rows) >= 6 and max(r["n_claims"] for r in rows) > 100
    for row in rows:
        ref = s._summary_rebuild(row["id"])
        assert {k: row[k] for k in EXACT} == {k: ref[k] for k in EXACT}, row["id"]
        deal = s.deal(row["id"])
        # between-article contradictions of possibly one delivery: exact in the deal view only
        dated = sum(1 for x in deal.contradictions if x.field in ("delivery date", "delivery quantity"))
        state_dd = json.loads(s._conn.execute("SELECT state FROM deals WHERE id=?", (row["id"],)).fetchone()[0])["dd"]
        assert row["n_contradictions"] - state_dd == len(deal.contradictions) - dated
    s.close()


def test_schema_1_database_is_upgraded(tmp_path):
    path = tmp_path / "v1.db"
    s = Store(path)
    s.bulk_add(synthetic(120))
    for a, cs in seed():
        s.add(a, cs)
    expected = _views(s)
    s.close()
    con = sqlite3.connect(path)  # what a schema-1 database looks like: no incremental state
    con.executescript("UPDATE schema_version SET version=1; DROP TABLE deal_dates; DROP TABLE deal_parts; "
                      "UPDATE deals SET state='{}', n_claims=0;")
    con.close()
    s = Store(path)
    assert _views(s) == expected
    assert s._conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    s.close()
