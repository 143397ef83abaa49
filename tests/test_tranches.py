"""Tranches told by a bare count after a counted item (extract/tranches.py).

Sentences written for these tests. Each positive case has a negative twin in which the bare number counts
something else (another party's item, an amount of money, a noun of its own), so what is tested is the
reading of the count, not a sentence the rules cannot read."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor
from armsledger.models import Article


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def transfers(ex: Extractor, text: str, published: str = "2022-05-02") -> list:
    return [c for c in ex.extract(Article(text=text, published=published)) if c.kind == "transfer"]


def told(ex: Extractor, text: str, published: str = "2022-05-02") -> list[tuple]:
    return sorted(((c.stage, c.supplier, c.recipient, c.quantity, c.date) for c in transfers(ex, text, published)),
                  key=repr)


def tranches_in(claims: list) -> list:
    return [c for c in claims if c.notes.get("tranche")]


@pytest.mark.parametrize("text,tranches", [
    # a bare number and its year, twice: one record each, and the first keeps the date of its own stretch
    ("Chile will receive 12 Leopard 2 tanks from Germany this year, 20 in 2025 and 14 in 2026.",
     {("expected", "DEU", "CHL", 12, "2022"), ("expected", "DEU", "CHL", 20, "2025"),
      ("expected", "DEU", "CHL", 14, "2026")}),
    # "two more": the number's only word is no noun
    ("Peru received four KT-1 trainers from South Korea in 2014 and two more in 2016.",
     {("delivered", "KOR", "PER", 4, "2014"), ("delivered", "KOR", "PER", 2, "2016")}),
    # "a further six" with a month
    ("Greece took delivery of six Rafale jets from France in January 2021 and a further six in July 2021.",
     {("delivered", "FRA", "GRC", 6, "2021-01"), ("delivered", "FRA", "GRC", 6, "2021-07")}),
    # an ordinal names one more of the item, uncounted
    ("India will receive two Scorpene submarines from France in 2025 and the third in 2027.",
     {("expected", "FRA", "IND", 2, "2025"), ("expected", "FRA", "IND", None, "2027")}),
    # the tranche's own verb gives its stage
    ("Nigeria received four Mi-35 helicopters from Russia in 2021, with the last six to be delivered in 2024.",
     {("delivered", "RUS", "NGA", 4, "2021"), ("expected", "RUS", "NGA", 6, "2024")}),
])
def test_a_bare_count_with_its_own_date_is_a_tranche(ex, text, tranches):
    assert tranches <= set(told(ex, text))


@pytest.mark.parametrize("text", [
    # another party between: Chile's two are its own deal
    "Peru received four KT-1 trainers from South Korea in 2014 and Chile two in 2016.",
    "Peru received four KT-1 trainers from South Korea in 2014, with Chile following, two in 2016.",
    # an amount of money, not a count
    "Peru received four KT-1 trainers from South Korea in 2014 and paid 20 million in 2013.",
    # a number before a noun counts that noun
    "Peru received four KT-1 trainers from South Korea in 2014 and two simulators in 2016.",
    # no date of its own
    "Peru received four KT-1 trainers from South Korea in 2014 and two more later.",
])
def test_a_number_that_counts_something_else_is_no_tranche(ex, text):
    claims = transfers(ex, text, "2016-05-02")
    assert ("KOR", "PER", 4, "2014") in {(c.supplier, c.recipient, c.quantity, c.date) for c in claims}
    assert not tranches_in(claims)


def test_a_tranche_is_quoted_at_its_own_count_and_date(ex):
    text = "Peru received four KT-1 trainers from South Korea in 2014 and two more in 2016."
    claims = transfers(ex, text, "2016-05-02")
    tranche = next(c for c in claims if c.date == "2016")
    assert tranche in tranches_in(claims)
    assert (tranche.evidence["quantity"].quote, tranche.evidence["date"].quote) == ("two", "in 2016")
    for ev in tranche.evidence.values():
        assert text[ev.start:ev.end] == ev.quote


@pytest.mark.parametrize("text,kept", [
    # the second clause has a transfer verb of its own: the rules already tell it; nothing is re-dated or doubled
    ("Nigeria received four Mi-35 helicopters from Russia in 2016, and the remaining eight were delivered in 2018.",
     {("delivered", "RUS", "NGA", 4, "2016"), ("delivered", "RUS", "NGA", 8, "2018")}),
    ("Poland received 24 K9 howitzers from South Korea in 2022, and 10 more were handed over in 2013.",
     {("delivered", "KOR", "POL", 24, "2022")}),
])
def test_a_count_with_a_verb_of_its_own_is_that_verbs(ex, text, kept):
    claims = transfers(ex, text, "2024-05-02")
    assert kept <= {(c.stage, c.supplier, c.recipient, c.quantity, c.date) for c in claims}
    assert not tranches_in(claims)


@pytest.mark.parametrize("text", [
    # a part of the item that does something else is no tranche
    "Chile received ten F-16 jets from the Netherlands in 2006, and 2 of them crashed in 2015.",
    "Chile received ten F-16 jets from the Netherlands in 2006, and two crashed in 2015.",
    "France delivered 24 Rafale jets to Egypt in 2016, and 12 in 2019 went to Qatar.",
    # a running total is no tranche
    "Chile will receive 12 Leopard 2 tanks from Germany this year, with 60 in total by 2026.",
])
def test_a_count_that_tells_no_transfer_of_the_item_is_no_tranche(ex, text):
    claims = transfers(ex, text, "2024-05-02")
    assert claims and not tranches_in(claims)


def test_the_first_tranche_keeps_a_date_of_its_own_clause_only(ex):
    """"which approved the sale in 2019" dates the approval, not the first tranche."""
    text = ("Chile will receive 12 Leopard 2 tanks from Germany, which approved the sale in 2019, "
            "with 20 in 2025.")
    claims = transfers(ex, text, "2024-05-02")
    assert "2019" not in {c.date for c in claims if c.quantity == 12}


def test_a_tranche_still_to_come_is_quoted_by_its_date(ex):
    """A tranche of a delivery dated after the report is expected, and its date, not "received", says so."""
    text = "India received 36 Rafale jets from France in 2021, with another 26 in 2028."
    claims = transfers(ex, text, "2024-05-02")
    later, = tranches_in(claims)
    assert (later.stage, later.quantity, later.date, later.evidence["stage"].quote) == ("expected", 26, "2028", "in 2028")
