"""Two parties named together as the signers of a deal are oriented by what tells who sells, not by the order of
their names (extract/signers.py): "Indonesia and France signed a contract for 42 Rafale jets" is an order from
France.

Sentences written for these tests. Each checks the claim that should stand, and that the decision itself had read
it otherwise (with the step switched off), so that what is tested is the step and not a sentence the rules cannot
read."""
from __future__ import annotations

import pytest

from _extractutil import transfers

from armsledger.extract import Extractor, decide


@pytest.fixture(scope="module")
def ex(decided_extractor) -> Extractor:
    return decided_extractor


def _without_step(monkeypatch) -> None:
    monkeypatch.setattr(decide.signers, "orient_signers", lambda decided, mentions, **kw: decided)


@pytest.mark.parametrize("text,want", [
    # the maker the catalog gives the item (Dassault) is French
    ("Indonesia and France have formally signed a contract for 42 Rafale jets.",
     ("Rafale", "ordered", "FRA", "IDN", 42)),
    # "and the": the register also lists Jordan among Black Hawk suppliers (second-hand), but the maker is American
    ("Jordan and the United States signed a contract for 12 Black Hawk helicopters.",
     ("Black Hawk", "ordered", "USA", "JOR", 12)),
    # a company sells to a state's procurement agency, which is recorded as its state
    ("Hanwha Aerospace and the Armament Agency signed a contract for 212 K9 howitzers.",
     ("K9", "ordered", "KOR", "POL", 212)),
    # "a deal between": the recipient is the other side named, not the one the article named for another deal
    ("Russia has completed its delivery of Su-30K fighter jets to Angola, an official said. Another deal between "
     "Russia and Nigeria was also signed at the forum, for 12 Mi-35 attack helicopters.",
     ("Mi-35", "ordered", "RUS", "NGA", 12)),
])
def test_the_signers_are_oriented_by_who_sells(ex, monkeypatch, text, want):
    assert want in transfers(ex, text)
    _without_step(monkeypatch)
    assert want not in transfers(ex, text), "the decision alone had read the parties otherwise"


@pytest.mark.parametrize("text,want", [
    # two buyers and the seller they sign "with": the seller stays the seller
    ("Poland and Romania signed a contract with Lockheed Martin for HIMARS launchers.",
     ("HIMARS", "ordered", "USA", "ROU", None)),
    # a delivery in another clause, between parties the signing does not name, is left as it was
    ("A deal between Russia and Nigeria was signed, while Russia delivered six T-72 tanks to Syria.",
     ("T-72", "delivered", "RUS", "SYR", 6)),
    ("Armenia and Azerbaijan agreed a ceasefire as Russia delivered 20 T-72 tanks to Armenia.",
     ("T-72", "delivered", "RUS", "ARM", 20)),
    # two buyers and the seller named with "from": the seller stays the seller
    ("Latvia and Estonia signed a contract to buy IRIS-T SLM air defence systems from Germany.",
     ("IRIS-T SLM", "ordered", "DEU", "EST", None)),
    # a seller the article named before, which the item does come from: a third-party purchase stays as it was
    ("Russia delivered Mi-17 helicopters to Afghanistan in 2012. The United States and Afghanistan signed a contract "
     "for Mi-17 helicopters.", ("Mi-17", "ordered", "RUS", "AFG", None)),
    # the deal's own clause names the buyer: the item's maker's state does not overrule it
    ("Germany and Switzerland signed a deal under which Germany buys back 25 Leopard 2 tanks.",
     ("Leopard 2", "ordered", "CHE", "DEU", 25)),
])
def test_claims_of_another_side_or_clause_are_left_as_they_are(ex, text, want):
    assert want in transfers(ex, text)
