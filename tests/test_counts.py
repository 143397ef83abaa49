"""Counts read off the parse (extract/counts.py): numbers the rules' word window cannot reach.

Sentences written for these tests."""
from __future__ import annotations

import pytest

from armsledger.extract import Extractor, quantities
from armsledger.extract.counts import count_in_parse
from armsledger.extract.decide import sentences_read
from armsledger.gazetteer import Gazetteer
from armsledger.models import Article

PUB = "2023-05-01"


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def transfers(ex: Extractor, text: str):
    return [c for c in ex.extract(Article(id="t", text=text, published=PUB, url="", outlet="", title="")) if c.kind == "transfer"]


def the(claims, designation):
    found = [c for c in claims if c.designation == designation]
    assert len(found) == 1, [(c.designation, c.quantity) for c in claims]
    return found[0]


def test_count_before_a_dotted_maker_adjective(ex):
    # the window of quantities.py stops at the full stops of "U.S.": the parse hangs "24" on the phrase
    text = "Argentina has completed the purchase of 24 U.S.-made F-16 fighter jets from Denmark, the ministry said."
    c = the(transfers(ex, text), "F-16")
    assert (c.quantity, c.uncertain) == (24, False)
    q = c.evidence["quantity"]
    assert text[q.start:q.end] == q.quote == "24"
    assert c.notes["quantity_from"] == "parse"


def test_partitive_count(ex):
    text = "Norway will hand over 12 of its older NASAMS launchers to Ukraine, the government said on Monday."
    c = the(transfers(ex, text), "NASAMS")
    # "over" belongs to the verb ("hand over"), so the count is exact
    assert (c.quantity, c.uncertain) == (12, False)


def test_hedged_count_is_quoted_with_its_hedge(ex):
    text = "Iran has sent more than 400 U.S.-designed Shahed drones to Russia, officials said on Monday."
    c = the(transfers(ex, text), "Shahed")
    assert (c.quantity, c.uncertain) == (400, True)
    assert c.evidence["quantity"].quote == "more than 400"


@pytest.mark.parametrize("text,designation", [
    ("Indonesia bought 122-mm Grad launchers from Russia in 2019.", "Grad"),                     # a calibre
    ("Morocco signed a $300 million contract with France for Caesar howitzers on Monday.", "Caesar"),  # money
    # a variant's number: "Block 52" names the model, and the comma keeps the rules from the real count
    ("Pakistan signed a contract with the United States in 2006 for the acquisition of 18, F-16 C/D Block 52 "
     "aircraft.", "F-16 C/D Block"),
    # a year after "in" that the rules' word window took for the count
    ("In 2022 Chile acquired K9 howitzers from South Korea.", "K9"),
])
def test_measures_and_money_are_not_counts(ex, text, designation):
    assert the(transfers(ex, text), designation).quantity is None


@pytest.mark.parametrize("text, quote, uncertain", [
    # "over" after "handed" is the verb's particle, not "more than"
    ("The Netherlands handed over three Leopard 2 tanks to Ukraine.", "three", False),
    ("Poland has handed over 14 T-72 tanks to Ukraine.", "14", False),
    ("Germany handed over over 12 Leopard 2 tanks to Ukraine.", "over 12", True),
    ("Germany delivered over 12 Leopard 2 tanks to Ukraine.", "over 12", True),
])
def test_the_particle_of_handed_over_is_no_hedge(ex, text, quote, uncertain):
    (c,) = transfers(ex, text)
    q = c.evidence["quantity"]
    assert (q.quote, c.uncertain) == (quote, uncertain) and text[q.start:q.end] == quote


def test_a_count_after_a_year_is_still_read(ex):
    c = the(transfers(ex, "In 2022 Chile acquired 12 K9 howitzers from South Korea."), "K9")
    assert c.quantity == 12 and c.evidence["quantity"].quote == "12"


def test_rule_count_is_kept(ex):
    # the rules' own count stands: the parse only fills a count the rules did not find
    c = the(transfers(ex, "Egypt received three Rafale jets from France on Monday."), "Rafale")
    assert c.quantity == 3 and "quantity_from" not in c.notes


def test_no_count_when_the_parse_attaches_none(ex):
    claims = Extractor(decide=False).candidates(Article(
        id="t", text="Chile received Type 23 frigates from Britain on Monday.", published=PUB, url="", outlet="", title=""))
    c = the([x for x in claims if x.kind == "transfer"], "Type 23")
    _mentions, parsed = sentences_read([c], Gazetteer.default())
    assert count_in_parse(c, parsed[c.evidence["sentence"].start]) is None  # "23" names the type, no count


def _stage(claims, designation, stage):
    found = [c for c in claims if c.designation == designation and c.stage == stage]
    assert len(found) == 1, [(c.designation, c.stage, c.quantity) for c in claims]
    return found[0]


@pytest.mark.parametrize("text,designation,stage,count", [
    # the verb's object is the number itself; the 18 modifies the noun and counts the whole order
    ("Chile has received 10 out of the 18 Leopard tanks it bought from Germany, the army said on Monday.",
     "Leopard", "delivered", 10),
    # the item is named in the first clause, the delivery counts it in the second
    ("The contract for 20 Caesar howitzers was signed in 2019, but Morocco has received only six from France, "
     "the ministry said on Monday.", "Caesar", "delivered", 6),
    # the subject of the verb above ("are expected to be delivered") counts this delivery, not the order's 12
    ("Two of the 12 Mi-17 helicopters that Mali bought from Russia are expected to be delivered in June, "
     "the ministry said.", "Mi-17", "expected", 2),
    # the deal's purpose counts the order, whether the parser hangs it on the deal or on the verb
    ("Two Rafale jets arrived in Greece on Monday, four years after Athens signed an agreement with France "
     "to procure 18 of these aircraft.", "Rafale", "ordered", 18),
    ("Two Rafale jets arrived in Greece on Monday, years after Athens signed a contract with France to buy "
     "18 of the fighters.", "Rafale", "ordered", 18),
])
def test_a_number_that_is_the_verbs_argument_counts_the_event(ex, text, designation, stage, count):
    c = _stage(transfers(ex, text), designation, stage)
    assert c.quantity == count
    q = c.evidence["quantity"]
    assert text[q.start:q.end] == q.quote
    assert quantities.parse_number(q.quote.split()[-1]) == count  # the number itself, not "Two of the 12"


def test_an_order_counts_the_whole_of_which_a_first_unit_is_told(ex):
    # "the first of four": one vessel launched, an order of four
    text = "The shipyard launched the first of four patrol vessels ordered by Peru from South Korea, it said on Monday."
    claims = transfers(ex, text)
    order = [c for c in claims if c.stage == "ordered"]
    assert order and all(c.quantity == 4 for c in order), [(c.stage, c.quantity) for c in claims]
    q = order[0].evidence["quantity"]
    assert q.quote == "four" and text[q.start:q.end] == "four"



@pytest.mark.parametrize("text,stage,part,whole,quote", [
    # the whole as a total the sentence gives
    ("Ghana has taken delivery of three Z-9 helicopters from China, marking the first batch of a total of eight "
     "aircraft to be delivered under a contract signed in 2020.", "delivered", 3, 8, "eight"),
    # the whole as a bare number after the tranche it is the whole of
    ("Chile expects four Rafale jets to be delivered by May 2025, the first tranche of 12 it agreed to buy from "
     "France last year.", "expected", 4, 12, "12"),
    # the whole as what the deal's purpose verb moves
    ("Serbia will receive a second consignment of M-84 tanks from Croatia later this month as part of a deal to "
     "provide 48.", "expected", None, 48, "48"),
    # the whole as what the deal is for, among the order's words or apart from them
    ("Egypt took delivery of three Rafale jets from France under a contract for the delivery of 24 aircraft.",
     "delivered", 3, 24, "24"),
    ("Nigeria received the first two Mi-35 helicopters it ordered from Russia, part of the 2019 deal for six.",
     "delivered", 2, 6, "six"),
    # the parser hangs the deal's "for" on the order verb; a delivery told in the passive
    ("Six Rafale jets ordered by Greece were delivered by France under a deal for 18.", "delivered", 6, 18, "18"),
])
def test_an_order_told_behind_a_delivery_counts_the_whole(ex, text, stage, part, whole, quote):
    claims = transfers(ex, text)
    order = [c for c in claims if c.stage == "ordered"]
    told = [c for c in claims if c.stage == stage]
    assert order and told, [(c.stage, c.quantity) for c in claims]
    assert all(c.quantity == whole for c in order), [(c.stage, c.quantity) for c in claims]
    assert all(c.quantity == part for c in told), [(c.stage, c.quantity) for c in claims]
    q = order[0].evidence["quantity"]
    assert text[q.start:q.end] == q.quote == quote and order[0].notes["quantity_from"] == "order total"


@pytest.mark.parametrize("text,item,count", [
    # a tally the delivery brings the fleet to is no whole ordered
    ("Chile received 10 K2 tanks ordered from South Korea, bringing its fleet to a total of 60 tanks.", "K2", 10),
    # a whole of another recipient, outside the order's own words
    ("Chile received the first two F-16 jets ordered from the United States, while Peru awaits a total of 16.",
     "F-16", 2),
    # a later part, and a part's own size, are no whole
    ("Chile received six Rafale jets ordered from France, and the next batch of 12 is due in 2025.", "Rafale", 6),
    ("Chile received its first Rafale jets ordered from France on Wednesday, in a first batch of five.", "Rafale",
     None),
    # numbers among the order's words that count no item, or only more of it
    ("Egypt took delivery of the first Rafale jets from France as part of a contract signed between the two "
     "countries in 2015.", "Rafale", None),
    ("Chile received four Leopard 2 tanks ordered from Germany under a deal to send 10 more by summer.", "Leopard 2", 4),
    # a deal another clause tells is another party's
    ("Greece took delivery of six Rafale jets ordered from France, while Croatia signed a deal for 12 Mirage jets.",
     "Rafale", 6),
    # a deal for another kind of item, an option, two deals, a tally of what a force holds
    ("Egypt received four Rafale jets ordered from France under a contract for 100 missiles and training.", "Rafale", 4),
    ("Greece received six Rafale jets ordered from France under a contract with an option for 12.", "Rafale", 6),
    ("Egypt received four Rafale jets ordered from France under a 2015 deal for 24 and a 2021 deal for 30.",
     "Rafale", 4),
    ("Greece received six more Rafale jets ordered from France, for a total of 18 delivered so far.", "Rafale", 6),
    # a number a relative clause on the supplier tells
    ("Croatia received six Rafale jets ordered from France, which has exported 300 of them.", "Rafale", 6),
])
def test_an_order_behind_a_delivery_takes_no_other_number(ex, text, item, count):
    order = [c for c in transfers(ex, text) if c.stage == "ordered" and c.designation == item]
    assert order and all(c.quantity == count for c in order), [(c.stage, c.quantity) for c in order]


def test_an_order_that_holds_its_own_count_keeps_it(ex):
    # the order's verb holds its item and count; the total is of two orders together
    text = "Egypt placed an order for 30 Rafale jets from France in 2021, and with the 24 bought before, a total of 54 will be delivered."
    order = [c for c in transfers(ex, text) if c.stage == "ordered"]
    assert order and all(c.quantity in (30, 24) for c in order), [(c.stage, c.quantity) for c in order]


def test_the_planes_take_the_count_of_the_model_they_stand_for(ex):
    # "The planes" is read as the MiG-29s told before; it states no count, so it takes theirs, quoted there
    text = ("Peru bought 12 MiG-29 fighters from Belarus in 1996. "
            "The planes were delivered to Peru in 1997, the air force said.")
    art = Article(id="t", text=text, published="1999-05-01", url="", outlet="", title="")
    later = [c for c in ex.extract(art) if c.kind == "transfer" and c.notes.get("antecedent")]
    assert later and all(c.quantity == 12 for c in later), [(c.stage, c.quantity, c.notes) for c in later]
    q = later[0].evidence["quantity"]
    assert text[q.start:q.end] == q.quote == "12" and later[0].notes["quantity_from"] == "antecedent"


def test_the_remaining_planes_are_not_the_whole(ex):
    text = ("Peru bought 12 MiG-29 fighters from Belarus in 1996. "
            "The remaining planes were delivered to Peru in 1998, the air force said.")
    art = Article(id="t", text=text, published="1999-05-01", url="", outlet="", title="")
    later = [c for c in ex.extract(art) if c.kind == "transfer" and c.notes.get("antecedent")]
    assert later and all(c.quantity is None for c in later), [(c.stage, c.quantity, c.notes) for c in later]


def test_a_delivered_tranche_does_not_count_its_order(ex):
    # the two that arrived are one tranche; "The helicopters had been bought" is the order, of a size not said
    text = ("Chad received two Mi-35P helicopters from Russia on Monday. "
            "The helicopters had been bought under a 2021 agreement, officials said.")
    art = Article(id="t", text=text, published="2023-05-01", url="", outlet="", title="")
    claims = [c for c in ex.extract(art) if c.kind == "transfer"]
    order = [c for c in claims if c.stage == "ordered"]
    assert order and all(c.quantity is None for c in order), [(c.stage, c.quantity) for c in claims]


def test_an_order_counts_the_noun_its_participle_modifies(ex):
    # "purchased" modifies "the four ships", of which the vessel welcomed is the last: the order is four
    text = "Chile welcomed the patrol vessel Almirante Riveros on Thursday, the last of the four ships purchased from Germany."
    art = Article(id="t", text=text, published="2022-06-02", url="", outlet="", title="")
    claims = [c for c in ex.extract(art) if c.kind == "transfer"]
    order = [c for c in claims if c.stage == "ordered"]
    assert order and all(c.quantity == 4 and not c.uncertain for c in order), [(c.stage, c.quantity) for c in claims]
    q = order[0].evidence["quantity"]
    assert text[q.start:q.end] == q.quote == "four"
    # the delivery is the last unit, not the four
    assert all(c.quantity != 4 for c in claims if c.stage == "delivered"), [(c.stage, c.quantity) for c in claims]


@pytest.mark.parametrize("text,designation,count,quote", [
    # one unnamed unit told in the singular counts one
    ("Ghana's navy received the vessel from China on Monday.", "vessel", 1, "the vessel"),
    ("Greece took delivery of this frigate from France on Monday.", "frigate", 1, "this frigate"),
    # not a noun that is plural as well, not a noun that only modifies another, not a model's name (the type)
    ("The aircraft were delivered to Peru by Sweden on Monday.", "aircraft", None, None),
    ("North Korea sent the missile shipments to Russia last week.", "missile", None, None),
    ("Sweden delivered the Archer howitzer system to Ukraine on Monday.", "Archer", None, None),
])
def test_a_singular_noun_counts_one(ex, text, designation, count, quote):
    c = the(transfers(ex, text), designation)
    assert c.quantity == count
    if quote is not None:
        q = c.evidence["quantity"]
        assert q.quote == quote and text[q.start:q.end] == quote


@pytest.mark.parametrize("text, designation, count", [
    # a wheel configuration counts no vehicles: the count is the number before it, or none
    ("Kenya received 30 Norinco VN4 4\u00d74 armoured vehicles from China.", "Norinco VN4", 30),
    ("Kenya received 12 8\u00d78 armoured vehicles and four helicopters from China.", "armoured vehicles", 12),
    ("Kenya received new 6 x 6 armoured vehicles from China.", "armoured vehicles", None),
])
def test_a_wheel_configuration_is_no_count(ex, text, designation, count):
    claims = transfers(ex, text)
    assert [c.quantity for c in claims if c.designation == designation] == [count], \
        [(c.designation, c.quantity) for c in claims]


@pytest.mark.parametrize("text, count, quote", [
    # guidelines: a delivery told with the running total it brings the fleet to carries the running total
    ("Chile took delivery of four more F-16 jets from the United States, raising its fleet of the type to 10.",
     10, "10"),
    ("Chile received three Rafale jets from France on Monday, bringing its fleet to nine.", 9, "nine"),
    ("Chile received three Rafale jets from France on Monday, which brings the total to nine.", 9, "nine"),
    ("Chile received nine Eurofighter jets from the United Kingdom, lifting its fleet to 24 aircraft.", 24, "24"),
    ("Chile received 12 Bradley vehicles from the United States, which brings the number of Bradleys in the country "
     "to 121.", 121, "121"),
    # not a tally of the items: the money, the place they were taken to, people, a wider group, or a hedged total
    ("Chile received three Rafale jets from France on Monday, bringing the total cost to 300 million euros.", 3, "three"),
    ("Chile received three Rafale jets from France, taking the jets to the air base at Antofagasta.", 3, "three"),
    ("Chile received two frigates from the United Kingdom, bringing the number of sailors on board to 400.", 2, "two"),
    ("Chile received two Gripen fighters from Sweden, bringing the total number of aircraft in the air force to 250.",
     2, "two"),
    ("Chile received 12 M777 howitzers from the United States, taking the total to about 40.", 12, "12"),
])
def test_a_delivery_carries_the_running_total_it_brings(ex, text, count, quote):
    (c,) = [c for c in transfers(ex, text) if c.stage == "delivered"]
    q = c.evidence["quantity"]
    assert (c.quantity, q.quote) == (count, quote) and text[q.start:q.end] == quote


def test_an_order_keeps_its_count_beside_a_running_total(ex):
    # the running total is of deliveries: an order told in the same sentence keeps its own number
    text = "Chile ordered six more Rafale jets from France on Monday, bringing its fleet to 18."
    claims = [c for c in transfers(ex, text) if c.stage == "ordered"]
    assert claims and all(c.quantity == 6 for c in claims), [(c.stage, c.quantity) for c in claims]


def test_a_running_total_of_another_recipient_is_not_taken(ex):
    # two transfers in one sentence: the total belongs to one of them, and neither takes it
    text = "Germany delivered ten Leopard 1 tanks to Ukraine and five to Moldova, bringing Moldova's total to 15."
    claims = [c for c in transfers(ex, text) if c.stage == "delivered"]
    assert claims and all(c.quantity != 15 for c in claims), [(c.recipient, c.quantity) for c in claims]


@pytest.mark.parametrize("text,count", [
    ("A follow-up order in November 2022 added four K9 howitzers", 4),  # a year before the nearer count
    ("On 17 June Antonov delivered five new S-70i helicopters", 5),     # a day of the month before it
    ("Chile bought two dozen K9 howitzers", 24),                        # one number in two words
    ("Peru received 12 one-seat KF-21 jets", 12),
])
def test_the_number_nearest_the_item_counts_it(text, count):
    at = max(text.rfind(w) for w in ("K9", "S-70i", "KF-21"))
    assert quantities.before(text, at).value == count
