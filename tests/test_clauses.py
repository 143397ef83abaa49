"""The subject of the verb that holds an item names that verb's own side of the transfer (extract/clauses.py).

Sentences written for these tests: two clauses with subjects of their own, where the rules read one set of
parties for the whole sentence, and the readings the step must leave alone."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor
from armsledger.extract import decide as D
from armsledger.models import Article


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def transfers(ex: Extractor, text: str) -> set[tuple]:
    return {(c.stage, c.supplier, c.recipient, c.designation) for c in ex.extract(Article(text=text, published="2024-05-02"))
            if c.kind == "transfer"}


@pytest.mark.parametrize("text,told,wrong", [
    # the second clause's subject is the buyer of the second clause's item
    ("Ghana received two Z-9 helicopters from China, while Nigeria ordered four Mi-35 helicopters from Russia.",
     ("ordered", "RUS", "NGA", "Mi-35"), ("ordered", "RUS", "GHA", "Mi-35")),
    ("Ghana received two Z-9 helicopters from China; Nigeria ordered four Z-9 helicopters.",
     ("ordered", "CHN", "NGA", "Z-9"), ("ordered", "CHN", "GHA", "Z-9")),
    # a force named after its state is the state
    ("Burkina Faso has already received three K-8 jets from China, and the Angola Air Force has ordered six Super "
     "Tucanos from Brazil.", ("ordered", "BRA", "AGO", "Super Tucanos"), ("ordered", "BRA", "BFA", "Super Tucanos")),
    # a passive's agent is its subject; the rules quoted the first clause's verb, the item's own verb tells the
    # same stage
    ("Brazil received 12 Leopard 2 tanks from Germany, while 24 Rafale jets were delivered to Egypt by France.",
     ("delivered", "FRA", "EGY", "Rafale"), ("delivered", "DEU", "EGY", "Rafale")),
    # a gerund with no subject of its own: its side is the object of the verb it gives the grounds of, through
    # the gerund it tells the means of ("accused Iran of enabling ... by providing")
    ("An official has accused Iran of enabling Russia's invasion of Ukraine by providing hundreds of drones to "
     "Russian forces.", ("delivered", "IRN", "RUS", "drones"), ("delivered", "UKR", "RUS", "drones")),
    ("Poland thanked Germany for helping Ukraine by delivering 18 Leopard 2 tanks.",
     ("delivered", "DEU", "UKR", "Leopard 2"), ("delivered", "POL", "UKR", "Leopard 2")),
])
def test_the_subject_of_the_items_own_verb_is_its_side(ex, text, told, wrong):
    got = transfers(ex, text)
    assert told in got and wrong not in got, got


def test_the_step_is_what_reads_it(ex, monkeypatch):
    """Without the step the rules' parties stand (the case is not one the decision already gets right)."""
    text = "Ghana received two Z-9 helicopters from China, while Nigeria ordered four Mi-35 helicopters from Russia."
    monkeypatch.setattr(D.clauses, "reread_subjects", lambda claims, read: claims)
    assert ("ordered", "RUS", "GHA", "Mi-35") in transfers(ex, text)


@pytest.mark.parametrize("text,told", [
    # a company as the subject: the demonym on it names no party of its own
    ("Ghana received two Z-9 helicopters from China, while the German firm Rheinmetall delivered 12 Leopard 1 tanks "
     "to Brazil.", ("delivered", "DEU", "BRA", "Leopard 1")),
    # one sentence, one clause: nothing to re-read
    ("Nigeria ordered four Mi-35 helicopters from Russia.", ("ordered", "RUS", "NGA", "Mi-35")),
    # the subject's side is the one the verb gives it: a seller is the supplier
    ("Peru received four K-8 jets last year, and Russia sold six Mi-35 helicopters to Peru in May.",
     ("ordered", "RUS", "PER", "Mi-35")),
])
def test_readings_the_step_leaves_alone(ex, text, told):
    assert told in transfers(ex, text)


@pytest.mark.parametrize("text,told", [
    # a passive's agent that carries or pays is no side; the party named in the verb's own clause stands
    ("Thirty-six Caesar howitzers from France were delivered to Armenia by Georgian rail.",
     ("delivered", "FRA", "ARM", "Caesar")),
    ("Two Patriot systems were bought by Germany from the United States for Ukraine.", ("ordered", "USA", "UKR", "Patriot")),
])
def test_a_passives_agent_does_not_replace_a_party_of_its_own_clause(ex, text, told):
    assert told in transfers(ex, text)


def test_two_parties_in_the_subject_are_left_to_the_rules(ex):
    """Two buyers in one subject: the step does not pick one of them (the rules' reading stands, wrong or not)."""
    text = "Ghana received two Z-9 helicopters from China, while Nigeria and Niger ordered four Mi-35 helicopters from Russia."
    got = transfers(ex, text)
    assert not any(c[3] == "Mi-35" and c[2] in ("NGA", "NER") for c in got), got


def test_an_item_whose_own_clause_tells_another_transfer_keeps_that_transfers_parties(ex):
    """"drones that Iran had supplied to Hezbollah": the buyer of the main clause is no side of Iran's transfer (a
    second reviewer's sentence); a clause that tells no transfer leaves the item to its verb."""
    got = transfers(ex, "Israel bought drones that Iran had supplied to Hezbollah.")
    assert not any(c[1] == "IRN" and c[2] == "ISR" for c in got), got
    assert ("ordered", "FRA", "EGY", "Rafale") in transfers(ex, "Egypt bought 24 Rafale jets that France had built for Qatar.")


@pytest.mark.parametrize("text,told", [
    ("Ukraine thanked Germany for providing 14 Leopard 2 tanks to Kyiv's forces in March.",
     ("delivered", "DEU", "UKR", "Leopard 2")),
    # a gerund's understood subject replaces no party its own clause names: Germany pays, Ukraine gets
    ("Ukraine thanked Germany for buying three Patriot systems from the United States for Kyiv.",
     ("ordered", "USA", "UKR", "Patriot")),
    # a payment is no grounds
    ("Ukraine paid Poland for delivering 14 Leopard 2 tanks from Germany.", ("delivered", "DEU", "UKR", "Leopard 2")),
    # a passive names no controller: the rules' reading stands
    ("Turkey was criticised for supplying 20 Bayraktar TB2 drones to Ethiopia.",
     ("delivered", "TUR", "ETH", "Bayraktar TB2")),
])
def test_a_gerund_read_right_by_the_rules_stays(ex, text, told):
    assert told in transfers(ex, text)
