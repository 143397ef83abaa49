"""A bare customer list is no transfer (extract/customers.py; guidelines: "a supplier or type said to be exported
to three or more recipients with no quantity or date for any of them" is not annotated, and a member given its own
quantity or date is annotated alone).

Sentences written for these tests. Each also checks, with the step switched off, that the decision itself had kept
the list's members, so that what is tested is the step."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor, customers, decide
from armsledger.models import Article


@pytest.fixture(scope="module")
def ex(decided_extractor) -> Extractor:
    return decided_extractor


def transfers(ex: Extractor, text: str) -> list[tuple]:
    return sorted((c.supplier, c.recipient, c.quantity) for c in ex.extract(Article(text=text, published="2024-05-02"))
                  if c.kind == "transfer")


def keep_lists(monkeypatch) -> None:
    monkeypatch.setattr(decide.customers, "drop_customer_lists", lambda claims: claims)


def test_a_bare_list_of_customers_is_no_transfer(ex, monkeypatch):
    text = "Turkey has sold the Bayraktar TB2 to Ukraine, Poland, Azerbaijan and Morocco."
    assert transfers(ex, text) == []
    keep_lists(monkeypatch)
    assert [r for _, r, _ in transfers(ex, text)] == ["AZE", "MAR", "POL", "UKR"]


def test_a_member_with_its_own_count_stays(ex, monkeypatch):
    # the rules spread one member's count or date over a list ("... and, in 2020, 24 to Norway" dates them all),
    # so the member is given its count here, on the list's own claims as the decision left them
    drop = customers.drop_customer_lists  # the step itself, before it is switched off for the extraction
    keep_lists(monkeypatch)
    text = "Turkey has sold the Bayraktar TB2 to Ukraine, Poland, Azerbaijan and Morocco."
    claims = [c for c in ex.extract(Article(text=text, published="2024-05-02")) if c.kind == "transfer"]
    poland = next(c for c in claims if c.recipient == "POL")
    poland.quantity = 6
    assert [c.recipient for c in drop(claims)] == ["POL"]
    poland.quantity, poland.date = None, "2021"
    poland.notes.pop("date_source", None)
    assert [c.recipient for c in drop(claims)] == ["POL"]


def test_two_recipients_are_no_list(ex):
    assert transfers(ex, "Turkey has sold Bayraktar TB2 drones to Ukraine and Poland.") == [
        ("TUR", "POL", None), ("TUR", "UKR", None)]
