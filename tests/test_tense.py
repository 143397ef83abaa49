"""A delivery told by an event noun takes the tense of the verb that governs it (extract/tense.py).

Sentences written for these tests: the parse-level reading first, then the whole extractor."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor, tense
from armsledger.models import Article

PUB = "2024-05-02"


def noun_is_future(nlp, text: str, noun: str) -> bool:
    tok = next(t for t in nlp(text) if t.text == noun)
    verb = tense._clause_verb(tok)
    return verb is not None and tense._future(verb)


@pytest.mark.parametrize("text,noun,future", [
    ("The first deliveries of the jets would take place in 2026, the agency said.", "deliveries", True),
    ("Deliveries of the frigates will begin in 2027.", "Deliveries", True),
    ("Delivery of the first corvette is scheduled for March.", "Delivery", True),
    ("The navy was supposed to complete the delivery of the boats this year.", "delivery", True),
    ("Deliveries of the frigates began in 2021.", "Deliveries", False),
    ("The delivery of the tanks was completed last month.", "delivery", False),
    ("Officials attended the delivery of the first jet on Monday.", "delivery", False),
    ("Deliveries of the frigates are due to be completed in 2027.", "Deliveries", True),   # "due" as an adjective
    # a future verb about the delivery, not of it; a schedule set back; what did not happen
    ("The delivery of the tanks in 2020 will be investigated by the committee.", "delivery", False),
    ("The delivery of the jets would strengthen the air force.", "delivery", False),
    ("The delivery of the jets was set back by two years.", "delivery", False),
    ("Without the delivery of the rocket launchers, the army would have lost the city.", "delivery", False),
])
def test_the_verb_above_the_noun_gives_its_tense(nlp, text, noun, future):
    assert noun_is_future(nlp, text, noun) is future


@pytest.fixture(scope="module")
def ex(decided_extractor) -> Extractor:
    return decided_extractor


def transfers(ex: Extractor, text: str) -> list[tuple]:
    return [(c.supplier, c.recipient, c.stage, c.date) for c in ex.extract(Article(text=text, published=PUB))
            if c.kind == "transfer"]


@pytest.mark.parametrize("text,told", [
    ("The first deliveries of K9 howitzers from South Korea to Estonia would take place in 2026, the agency said.",
     ("KOR", "EST", "expected", "2026")),
    ("Deliveries of the 12 Rafale jets from France to Serbia will begin in 2026.", ("FRA", "SRB", "expected", "2026")),
    # the past tells the delivery
    ("Deliveries of the 12 Rafale jets from France to Serbia began in 2023.", ("FRA", "SRB", "delivered", "2023")),
])
def test_a_delivery_noun_under_a_future_verb_is_an_expected_delivery(ex, text, told):
    assert transfers(ex, text) == [told]


@pytest.mark.parametrize("text", [
    # the future of another clause; a delivery under way; a future about the delivery, not of it
    "The Netherlands completed the delivery of 24 F-16 jets to Romania; the aircraft will fly from Romanian bases.",
    "The delivery of Leopard 2 tanks from Germany to Poland, which began last year, will be finished by the end of 2024.",
    "The delivery of the T-90 tanks from Russia to India in 2020 will be investigated.",
])
def test_no_schedule_where_the_future_is_not_the_deliverys(ex, text):
    assert all(t[2] != "expected" for t in transfers(ex, text))


def test_a_schedule_is_dated_by_its_own_clause_whenever_it_was_reported(ex):
    # the plan was told in 2021; its 2023 is in the past of a 2024 report, and still the schedule's date
    assert transfers(ex, "The delivery of F-16 Block 70 jets from the United States to Bulgaria would start in 2023, "
                         "the ministry said in 2021.") == [("USA", "BGR", "expected", "2023")]


def test_a_schedule_also_read_as_expected_is_told_once(ex):
    # the rules read both "Delivery of" (a delivery) and "is scheduled for" (expected) here
    assert transfers(ex, "Delivery of the first Gowind corvette from France to Egypt is scheduled for March 2025.") == [
        ("FRA", "EGY", "expected", "2025-03")]


def test_the_step_switched_off_leaves_the_delivery(ex, monkeypatch):
    monkeypatch.setattr(tense, "_future", lambda verb: False)
    assert transfers(ex, "Deliveries of the 12 Rafale jets from France to Serbia will begin in 2026.")[0][2] == "delivered"
