"""Resolution: deal identity, tranches, contradictions, cumulative checks (hand-built claims)."""
from __future__ import annotations

from armsledger.models import Claim
from armsledger.resolve import (assign_deals, build_deal, category_group, check_cumulative, cumulative_status,
                                deal_key, normalise_designation)


def mk(cid: str, **kw) -> Claim:
    art = cid.rsplit("-", 1)[0]
    kw.setdefault("supplier", "FRA")
    kw.setdefault("recipient", "IND")
    kw.setdefault("kind", "transfer")
    published = kw.pop("published", "2023-06-01")
    return Claim(id=cid, article={"id": art, "published": published}, **kw)


def group_by_deal(claims):
    mapping = {}
    for art in sorted({c.article["id"] for c in claims}):
        mapping.update(assign_deals([c for c in claims if c.article["id"] == art]))
    deals = {}
    for c in claims:
        did = mapping[c.id]
        if did is not None:
            deals.setdefault(did, []).append(c)
    return mapping, {did: build_deal(did, cs) for did, cs in deals.items()}


def test_category_group():
    assert category_group("combat helicopter") == "helicopter"
    assert category_group("transport helicopter") == "helicopter"
    assert category_group("air search radar") == "radar/sensor"
    assert category_group("radar") == "radar/sensor"
    assert category_group("FGA aircraft") == "aircraft"
    assert category_group("trainer aircraft") == "aircraft"
    assert category_group("SAM system") == "air defence"
    for c in ("APC", "IFV", "tank"):
        assert category_group(c) == "armoured vehicle"
    assert category_group("self-propelled gun") == "artillery"
    assert category_group("MRL") == "artillery"
    assert category_group("UAV") == "uav"
    assert category_group("frigate") == "ship"
    assert category_group("patrol craft") == "ship"
    assert category_group(None) is None


def test_deal_key_deterministic_and_merges_across_articles():
    a = mk("aa01-1", family="Rafale", designation="Rafale EH", category="FGA aircraft", quantity=3,
           stage="delivered", date="2020-07-27", granularity="day")
    b = mk("bb02-1", family="Rafale", designation="Rafale", category="FGA aircraft", quantity=3,
           stage="delivered", date="2020-07-27", granularity="day")
    other = mk("bb02-2", family="Scorpene", category="submarine", stage="ordered", date="2019")
    assert deal_key(a) == deal_key(b)
    assert deal_key(a) != deal_key(other)
    assert len(deal_key(a)) >= 8
    bare = mk("cc03-1", category=None, designation="similar deliveries", stage="expected")
    assert deal_key(bare) == deal_key(mk("dd04-1", designation="more equipment", stage="expected"))
    mapping, deals = group_by_deal([a, b, other])
    assert mapping["aa01-1"] == mapping["bb02-1"]
    d = deals[mapping["aa01-1"]]
    assert [c.id for c in d.claims] == ["aa01-1", "bb02-1"]
    assert len(d.tranches) == 1 and d.tranches[0].quantity == 3
    assert d.tranches[0].claims == ["aa01-1", "bb02-1"]
    assert d.contradictions == []  # "Rafale" is less specific than "Rafale EH", not a variant


def test_tranches_by_date_and_coarser_granularity():
    cs = [
        mk("a1-1", family="K9", category="self-propelled gun", quantity=10, stage="delivered", date="2021-03-05"),
        mk("a2-1", family="K9", category="self-propelled gun", quantity=10, stage="delivered", date="2021-03"),
        mk("a2-2", family="K9", category="self-propelled gun", quantity=20, stage="delivered", date="2022-11-20"),
        mk("a3-1", family="K9", category="self-propelled gun", quantity=100, stage="ordered", date="2017-05"),
    ]
    _, deals = group_by_deal(cs)
    (d,) = deals.values()
    assert [(t.date, t.quantity, t.claims) for t in d.tranches] == [
        ("2021-03-05", 10, ["a1-1", "a2-1"]), ("2022-11-20", 20, ["a2-2"])]
    assert [(o.date, o.quantity) for o in d.orders] == [("2017-05", 100)]
    assert d.contradictions == []


def test_quantity_disagreement_same_tranche():
    cs = [mk("q1-1", family="T-90", category="tank", quantity=12, stage="delivered", date="2022-02-01"),
          mk("q2-1", family="T-90", category="tank", quantity=14, stage="delivered", date="2022-02-01")]
    _, deals = group_by_deal(cs)
    (d,) = deals.values()
    assert d.tranches[0].quantity is None
    (x,) = d.contradictions
    assert x.field == "quantity"
    assert {s["value"]: s["claims"] for s in x.sides} == {12: ["q1-1"], 14: ["q2-1"]}


def test_designation_normalisation():
    assert normalise_designation("Mil Mi35P") == normalise_designation("Mi-35P") == "mi35p"
    assert normalise_designation("Mil Mi-35P") == "mi35p"
    assert normalise_designation("Mi-24P") != normalise_designation("Mi-35P")


def _helicopters():
    # article x1 reports one delivery; article x2 reports that one AND an earlier one
    return [
        mk("x1-1", supplier="RUS", recipient="MLI", designation="Mil Mi-35P", family="Mi-24P/Mi-35P",
           category="combat helicopter", quantity=2, stage="delivered", date="2022-04-18", hedged=True),
        mk("x1-2", supplier="RUS", recipient="MLI", designation="59N6-TE", family="59N6",
           category="air search radar", stage="delivered", date="2022-04-18"),
        mk("x2-1", supplier="RUS", recipient="MLI", designation="Mi-24P", family="Mi-24P/Mi-35P",
           category="combat helicopter", quantity=2, stage="delivered", date="2022-04-18"),
        mk("x2-2", supplier="RUS", recipient="MLI", designation="Mil Mi35P", family="Mi-24P/Mi-35P",
           category="combat helicopter", quantity=2, stage="delivered", date="2022-03-31"),
        mk("x2-3", supplier="RUS", recipient="MLI", designation="59N6-TE", family="59N6",
           category="air search radar", stage="delivered", date="2022-03-31"),
        mk("x2-4", supplier="RUS", recipient="MLI", designation="Mil Mi35P", family="Mi-24P/Mi-35P",
           category="combat helicopter", stage="ordered", date="2019", granularity="year",
           attribution="a newsletter"),
        mk("x2-5", supplier="RUS", recipient="MLI", designation="Mil Mi35P", family="Mi-24P/Mi-35P",
           category="combat helicopter", stage="denied", denies="x2-4", attribution="a ministry source"),
        mk("x2-6", supplier="RUS", recipient="MLI", designation="Mi-171", family="Mi-17",
           category="transport helicopter", quantity=4, stage="delivered", date="2021-10", granularity="month"),
        mk("x2-7", supplier="RUS", recipient="MLI", designation="Mi-171", family="Mi-17",
           category="transport helicopter", quantity=4, stage="ordered", date="2020-12", granularity="month"),
        mk("x2-8", supplier="RUS", recipient="MLI", designation="similar deliveries", stage="expected",
           date="2022-07", granularity="month"),
    ]


def test_designation_variant_and_separate_tranches_from_one_article():
    mapping, deals = group_by_deal(_helicopters())
    d = deals[mapping["x1-1"]]
    assert sorted(c.id for c in d.claims) == ["x1-1", "x2-1", "x2-2", "x2-4", "x2-5"]
    assert [(t.date, t.quantity, t.claims) for t in d.tranches] == [
        ("2022-03-31", 2, ["x2-2"]), ("2022-04-18", 2, ["x1-1", "x2-1"])]
    fields = sorted(x.field for x in d.contradictions)
    # x2 reports both dates itself: two deliveries, no date contradiction
    assert fields == ["designation", "order"]
    des = next(x for x in d.contradictions if x.field == "designation")
    assert "2022-04-18" in des.description
    assert {s["value"] for s in des.sides} == {"Mil Mi-35P", "Mi-24P"}
    assert sorted(i for s in des.sides for i in s["claims"]) == ["x1-1", "x2-1"]


def test_date_contradiction_between_articles():
    mapping, deals = group_by_deal(_helicopters())
    d = deals[mapping["x1-2"]]
    assert mapping["x2-3"] == mapping["x1-2"]
    (x,) = d.contradictions
    assert x.field == "delivery date"
    assert {s["value"]: s["claims"] for s in x.sides} == {"2022-03-31": ["x2-3"], "2022-04-18": ["x1-2"]}
    # both tranches kept
    assert [t.date for t in d.tranches] == ["2022-03-31", "2022-04-18"]


def test_no_date_contradiction_when_far_apart():
    cs = [mk("f1-1", family="Su-30", category="FGA aircraft", quantity=2, stage="delivered", date="2022-01-10"),
          mk("f2-1", family="Su-30", category="FGA aircraft", quantity=2, stage="delivered", date="2022-06-10")]
    _, deals = group_by_deal(cs)
    (d,) = deals.values()
    assert d.contradictions == []


def test_denial_contradiction():
    mapping, deals = group_by_deal(_helicopters())
    d = deals[mapping["x2-4"]]
    x = next(x for x in d.contradictions if x.field == "order")
    assert x.sides == [{"value": "ordered", "claims": ["x2-4"]}, {"value": "denied", "claims": ["x2-5"]}]
    # a denial with no target, in another article, contradicts the affirmative claims of the deal
    cs = [mk("s1-1", supplier="IRN", recipient="RUS", family="Shahed-136", category="UAV", stage="delivered",
             date="2022-09"),
          mk("s2-1", supplier="IRN", recipient="RUS", family="Shahed-136", category="UAV", stage="denied")]
    _, deals = group_by_deal(cs)
    (d,) = deals.values()
    (x,) = d.contradictions
    assert x.field == "stage"
    assert x.sides[-1] == {"value": "denied", "claims": ["s2-1"]}


def test_denial_without_family_follows_its_target():
    cs = [mk("t1-1", family="Leopard 2", category="tank", quantity=10, stage="ordered", date="2023"),
          mk("t1-2", category=None, designation="the tanks", stage="denied", denies="t1-1")]
    m = assign_deals(cs)
    assert m["t1-2"] == m["t1-1"]


def test_bare_category_joins_family_deal_same_article():
    cs = [mk("b1-1", supplier="RUS", recipient="MLI", designation="combat helicopters", family=None,
             category="combat helicopter", quantity=2, stage="delivered", date="2022-04-18"),
          mk("b1-2", supplier="RUS", recipient="MLI", designation="Mi-24P", family="Mi-24P/Mi-35P",
             category="combat helicopter", stage="delivered", date="2022-04-18"),
          mk("b1-3", supplier="RUS", recipient="MLI", designation="Mi-171", family="Mi-17",
             category="transport helicopter", stage="delivered", date="2021-10")]
    m = assign_deals(cs)
    assert m["b1-1"] == m["b1-2"] != m["b1-3"]
    d = build_deal(m["b1-1"], [cs[0], cs[1]])
    assert d.tranches[0].quantity == 2
    assert d.contradictions == []  # bare category has no variant to disagree about


def test_bare_category_joins_existing_deal_only_when_unambiguous():
    existing = [{"id": "d-mi24", "supplier": "RUS", "recipient": "MLI", "family": "Mi-24P/Mi-35P",
                 "category": "combat helicopter"},
                {"id": "d-mi17", "supplier": "RUS", "recipient": "MLI", "family": "Mi-17",
                 "category": "transport helicopter"}]
    combat = mk("n1-1", supplier="RUS", recipient="MLI", category="combat helicopter", quantity=2,
                stage="delivered", date="2022-05-01")
    generic = mk("n1-2", supplier="RUS", recipient="MLI", category="helicopter", quantity=2,
                 stage="delivered", date="2022-05-01")
    m = assign_deals([combat, generic], existing)
    assert m["n1-1"] == "d-mi24"
    assert m["n1-2"] == deal_key(generic)  # two helicopter families: ambiguous, own deal
    other_pair = mk("n1-3", supplier="RUS", recipient="BFA", category="combat helicopter", stage="delivered")
    assert assign_deals([other_pair], existing)["n1-3"] == deal_key(other_pair)


def test_cumulative_claims_not_in_deals():
    c = mk("c1-1", kind="cumulative", supplier="RUS", recipient="MLI", category="helicopter", quantity=8)
    assert assign_deals([c]) == {"c1-1": None}


def test_cumulative_mismatch_and_match():
    mapping, deals = group_by_deal(_helicopters())
    deal_list = list(deals.values())
    before = mk("x1-9", kind="cumulative", supplier="RUS", recipient="MLI", category="helicopter", quantity=8,
                date="2022-04-18", terms={"before_latest": True})
    (x,) = check_cumulative(before, deal_list)
    assert x.field == "cumulative"
    assert x.sides[0] == {"value": 8, "claims": ["x1-9"]}
    assert x.sides[1]["value"] == 6  # 4 Mi-171 + 2 on 2022-03-31, before the 2022-04-18 delivery
    assert sorted(x.sides[1]["claims"]) == ["x2-2", "x2-6"]
    assert "8" in x.description and "6" in x.description

    including = mk("x2-9", kind="cumulative", supplier="RUS", recipient="MLI", category="helicopter", quantity=8,
                   date="2022-04-18")
    assert check_cumulative(including, deal_list) == []
    assert cumulative_status(including, deal_list)["ledger_sum"] == 8

    # no date: as of the article's publication
    undated = mk("x3-9", kind="cumulative", supplier="RUS", recipient="MLI", category="combat helicopter",
                 quantity=4, published="2022-04-19")
    assert check_cumulative(undated, deal_list) == []
    too_many = mk("x4-9", kind="cumulative", supplier="RUS", recipient="MLI", category="helicopter",
                  quantity=12, date="2022-05-01")
    (x,) = check_cumulative(too_many, deal_list)
    assert x.sides[1]["value"] == 8

