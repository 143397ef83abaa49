"""A maker named with the item sells it (extract/makers.py), after the decision: on short articles written for
these tests."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor
from _extractutil import transfers


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("seller", ["Turkey", "Turkish Aerospace"])
def test_a_maker_named_with_the_item_outranks_the_articles_other_seller(ex, seller):
    text = (f"Indonesia bought 12 ANKA drones from {seller} in 2023.\n\n"
            "Indonesia also agreed to purchase 42 Dassault Rafale jets in February 2022.")
    assert ("Dassault Rafale", "ordered", "FRA", "IDN", 42) in transfers(ex, text)


@pytest.mark.parametrize("text, want", [
    # the seller is named in the sentence, in a role the rules did not read: a second-hand sale
    ("Britain sold three Sentinel aircraft to Chile in 2022.\n\n"
     "The sale of two Boeing E-3D Sentry aircraft to Chile has been confirmed by the UK Ministry of Defence.",
     ("Boeing E-3D Sentry", "ordered", "GBR", "CHL", 2)),
    # the article names this seller for this item: built under licence abroad
    ("Poland bought 16 helicopters from PZL Mielec in 2019.\n\n"
     "Five Sikorsky S-70i Black Hawk helicopters were acquired from Polish company PZL Mielec.\n\n"
     "The Philippines received five Sikorsky S-70i Black Hawk helicopters last week.",
     ("Sikorsky S-70i Black Hawk", "delivered", "POL", "PHL", 5)),
    # a seller the register has for the family: second-hand
    ("The Netherlands sold 12 used Leopard tanks to Peru.\n\nLima also received four used Lockheed Martin F-16 jets.",
     ("Lockheed Martin F-16", "delivered", "NLD", "PER", 4)),
    ("Germany sent Gepard guns to Ukraine.\n\nIt also sent two Raytheon Patriot batteries.",
     ("Raytheon Patriot", "delivered", "DEU", "UKR", 2)),
    # the seller is the sentence's own
    ("Peru's air force has sold six Embraer EMB-312 Tucanos to Angola.", ("Embraer EMB-312 Tucanos", "ordered", "PER", "AGO", 6)),
])
def test_a_seller_the_article_gives_for_the_item_stays(ex, text, want):
    assert want in transfers(ex, text)


def test_a_maker_the_register_does_not_have_selling_the_family_names_no_seller(ex):
    """The register has the Bushmaster from Australia and Ireland, not from Thales's France: the step does not pick
    a state the register contradicts."""
    text = "Ukraine received Leopard tanks from Germany.\n\nKyiv also received 90 Thales Bushmaster vehicles."
    assert not any(t[0] == "Thales Bushmaster" and t[2] == "FRA" for t in transfers(ex, text))
