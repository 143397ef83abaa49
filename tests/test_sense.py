"""Weapons sent to take part in an exercise, a parade or a show are not transferred (extract/sense.py).

Sentences written for these tests; each is paired with the same report told without the purpose, which
stays a delivery, so that what is tested is the purpose and not a sentence the rules cannot read."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor
from armsledger.extract import decide as D
from armsledger.extract import sense
from armsledger.gazetteer import Gazetteer
from armsledger.models import Article


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def transfers(ex: Extractor, text: str):
    return [c for c in ex.extract(Article(text=text, published="2024-05-02")) if c.kind == "transfer"]


@pytest.mark.parametrize("for_show,plain", [
    ("Russia has sent two S-400 systems to Belarus, where they will take part in joint military drills next month.",
     "Russia has sent two S-400 systems to Belarus, the ministry said on Monday."),
    ("Two French Rafale jets landed in Egypt to join a military parade on Sunday.",
     "Two French Rafale jets landed in Egypt on Sunday, completing the delivery of the order."),
    ("Russia delivered two S-400 systems to Belarus for the joint exercise, the ministry said.",
     "Russia delivered two S-400 systems to Belarus, the ministry said."),
    # a port visit is no transfer (the guidelines)
    ("Three Chinese naval ships arrived at Chittagong in Bangladesh for a five-day goodwill visit on Monday.",
     "Three Chinese naval ships arrived at Chittagong in Bangladesh on Monday, completing the delivery of the order."),
    # what is still to come during a show is its purpose
    ("Russia sent two S-400 systems to Serbia to be used during joint drills next month.",
     "Russia sent two S-400 systems to Serbia last month, the ministry said."),
    # sent (not received) with a relative clause telling the show: sent for it
    ("Russia sent two Su-30 jets, which will take part in the parade, to Venezuela.",
     "Russia sent two Su-30 jets to Venezuela, the ministry said."),
])
def test_an_item_sent_for_an_exercise_is_no_delivery(ex, for_show, plain):
    assert [c.stage for c in transfers(ex, plain)] == ["delivered"]
    assert transfers(ex, for_show) == []


@pytest.mark.parametrize("text", [
    # a visit is the setting of the handover, not its purpose
    "China handed over two submarines to Bangladesh during the navy chief's visit to Beijing.",
    # "show" as a verb is a purpose, but not a show the jets take part in
    "France delivered six Rafale jets to Egypt to show its support, the ministry said.",
    # a show the items were seen at after the handover only dates that showing
    "Russia delivered two Su-35 jets to Iran, which were shown to reporters during a parade in Tehran.",
    # a handover timed to a person's visit is still a handover: only the items' own visit is a show
    "Japan handed over a patrol vessel to the Philippines to coincide with a visit by the prime minister.",
    "China handed over 10 armoured vehicles to Cambodia to mark the visit of its defence minister.",
    # what items received will do afterwards is no purpose of their receipt
    "Latvia received four HIMARS launchers from the United States, which will take part in a NATO exercise next month.",
    "Serbia took delivery of six Pantsir systems from Russia, which will be shown at a military parade next week.",
])
def test_a_handover_in_a_setting_stays(ex, text):
    assert [c.stage for c in transfers(ex, text)] == ["delivered"]


@pytest.mark.parametrize("captured,plain", [
    ("Ukraine's army has fielded captured Russian T-90 tanks, the ministry said.",
     "Ukraine's army has received 14 Polish T-72 tanks, the ministry said."),
    ("Ukraine has received captured Russian tanks.",
     "Ukraine has received Polish tanks."),
])
def test_an_item_taken_in_war_is_no_transfer_from_its_former_owner(ex, captured, plain):
    """The state named on a captured item is the one it was taken from, not its supplier."""
    assert [c.stage for c in transfers(ex, plain)] == ["delivered"]
    assert transfers(ex, captured) == []


def test_a_captured_item_given_on_keeps_its_giver(ex):
    """A giver named apart from the item hands it over: that is a transfer."""
    cs = transfers(ex, "Poland handed 12 captured Russian tanks to Ukraine.")
    assert [(c.supplier, c.recipient, c.stage) for c in cs] == [("POL", "UKR", "delivered")]


@pytest.mark.parametrize("text,expected", [
    # a schedule hung on a show or a ceremony schedules no delivery, nor does joining a show
    ("The 12 Rafale jets Egypt bought from France flew over the opening ceremony scheduled for August 6.", False),
    ("The 12 Rafale jets Egypt bought from France will join a parade scheduled for June.", False),
    # joining a force is entering service: a delivery to come
    ("The 12 Rafale jets Egypt bought from France will join the air force in June.", True),
    # a handover's ceremony is the delivery; a show joined after a delivery told in the clause leaves it (a second
    # reviewer's)
    ("Egypt ordered 12 Rafale jets from France, and their handover ceremony is scheduled for May.", True),
    ("The 12 Rafale jets Egypt bought from France will join the exercise after their delivery in March.", True),
])
def test_a_show_scheduled_or_joined_is_no_expected_delivery(ex, text, expected):
    stages = [c.stage for c in transfers(ex, text)]
    assert "ordered" in stages and ("expected" in stages) == expected


@pytest.mark.parametrize("other,delivery", [
    ("Sea trials of the first corvette are scheduled for this summer.",
     "Delivery of the first corvette is scheduled for May 2027."),
])
def test_a_schedule_of_another_event_is_no_expected_delivery(other, delivery):
    """Judged on the rule candidates, so that what is tested is the step, not the model's threshold."""
    def expected_after(text):
        cands = [c for c in Extractor(decide=False).candidates(Article(text=text, published="2024-05-02"))
                 if c.kind == "transfer" and c.stage == "expected"]
        _actors, parsed = D.sentences_read(cands, Gazetteer.default())
        return cands, sense.drop_non_transfers(cands, parsed)

    lead = "Peru signed a contract with Spain's Navantia for four Avante 2200 corvettes in 2021. "
    cands, kept = expected_after(lead + delivery)
    assert cands and kept == cands
    cands, kept = expected_after(lead + other)
    assert cands and kept == []


@pytest.mark.parametrize("text,stages", [
    # an agreement "reached" is no arrival: the schedule the sentence tells stays
    ("Under a tentative agreement reached on Monday, South Korea will deliver 48 K9 howitzers to Egypt.", ["expected"]),
    # a place reached is one
    ("The two K9 howitzers from South Korea reached Egypt on Monday.", ["delivered"]),
    ("The first Rafale jets from France reached India on Monday after a deal was reached in 2016.", ["delivered"]),
    # a share of the work reached is no arrival either
    ("Work on the 12 KT-1 trainers Peru ordered from South Korea has reached 40 percent.", ["ordered"]),
    ("Malaysia ordered 18 FA-50 jets from South Korea, and progress on the order has reached 35%.", ["ordered"]),
])
def test_an_agreement_reached_is_no_delivery(ex, text, stages):
    assert sorted(c.stage for c in transfers(ex, text)) == stages
