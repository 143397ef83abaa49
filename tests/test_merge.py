"""merge.dedupe: one transfer told twice becomes one claim whose quotes back the values it holds."""
from armsledger.extract import merge
from armsledger.models import Claim, Evidence

TEXT = ("Ruritania took delivery of six Caesar howitzers from France on Tuesday. "
        "The six howitzers, worth $40 million, arrived in March 2024, the ministry said.")


def _claim(sentence: str, **kw) -> Claim:
    start = TEXT.index(sentence)
    ev = {"sentence": Evidence(start, start + len(sentence), sentence)}
    for key, quote in kw.pop("quotes", {}).items():
        i = TEXT.index(quote, start)
        ev[key] = Evidence(i, i + len(quote), quote)
    return Claim(article={"published": None}, supplier="FRA", recipient="RUR", designation="Caesar",
                 family="CAESAR 155mm", category="self-propelled gun", stage="delivered", evidence=ev, **kw)


def _first() -> Claim:
    return _claim(TEXT.split(". ")[0] + ".", quantity=6, date=None, date_text="on Tuesday",
                  date_unresolved=True, quotes={"quantity": "six", "date": "on Tuesday", "stage": "took delivery"})


def test_a_date_taken_from_the_repeat_comes_with_its_quote():
    second = _claim(TEXT.split(". ")[1], date="2024-03", granularity="month", date_text="in March 2024",
                    quotes={"date": "in March 2024", "stage": "arrived"})
    (one,) = merge.dedupe([_first(), second])
    assert one.date == "2024-03" and not one.date_unresolved
    q = one.evidence["date"]
    assert q.quote == one.date_text == "in March 2024" == TEXT[q.start:q.end]
    assert one.evidence["quantity"].quote == "six"


def test_no_quote_for_a_date_the_claim_does_not_hold():
    """A repeat whose date could not be resolved gives the claim no date, so none of its quotes either."""
    first = _first()
    first.date_text, first.date_unresolved = None, False
    del first.evidence["date"]
    second = _claim(TEXT.split(". ")[1], date=None, date_text="in March 2024", date_unresolved=True,
                    quotes={"date": "in March 2024", "stage": "arrived"})
    (one,) = merge.dedupe([first, second])
    assert one.date is None and one.date_text is None and "date" not in one.evidence


def test_a_count_taken_from_the_repeat_comes_with_its_quote():
    first = _first()
    first.quantity = None
    del first.evidence["quantity"]
    second = _claim(TEXT.split(". ")[1], quantity=6, quotes={"quantity": "six", "stage": "arrived"})
    (one,) = merge.dedupe([first, second])
    assert one.quantity == 6 and one.evidence["quantity"] == second.evidence["quantity"]


def test_a_term_is_quoted_only_when_the_claim_holds_it():
    """dedupe does not merge terms; so the repeat's quote of a price goes only with a price the claim holds."""
    first = _first()
    second = _claim(TEXT.split(". ")[1], quotes={"stage": "arrived", "terms.value": "$40 million"})
    second.terms = {"value": "$40 million"}
    (one,) = merge.dedupe([first, second])
    assert "value" not in one.terms and "terms.value" not in one.evidence
    first, second = _first(), _claim(TEXT.split(". ")[1], quotes={"stage": "arrived", "terms.value": "$40 million"})
    first.terms, second.terms = {"value": "$40 million"}, {"value": "$40 million"}
    (one,) = merge.dedupe([first, second])
    assert one.evidence["terms.value"].quote == "$40 million"


def test_a_repeat_folded_after_the_decision_gives_its_values_with_their_quotes():
    """repeats.absorb, the learned fold's merge: the same rule as dedupe's."""
    from armsledger.extract import repeats
    twin = _first()
    twin.quantity = None
    twin.evidence["quantity"] = Evidence(0, 0, "")  # a stale quote of a count the twin does not hold
    repeat = _claim(TEXT.split(". ")[1], quantity=6, date="2024-03", granularity="month", date_text="in March 2024",
                    quotes={"stage": "arrived", "date": "in March 2024"})
    repeats.absorb(twin, repeat)
    assert twin.quantity == 6 and "quantity" not in twin.evidence
    assert (twin.date, twin.date_unresolved, twin.evidence["date"].quote) == ("2024-03", False, "in March 2024")
