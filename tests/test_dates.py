import pytest

from armsledger.extract.dates import DateMention, date_in_url, find_dates, resolve

PUB = "2022-04-19"  # a Tuesday


def one(text, pub=PUB):
    ms = find_dates(text, pub)
    assert len(ms) == 1, ms
    return ms[0]


@pytest.mark.parametrize("expr, value, gran", [
    # weekdays and day words
    ("on Monday", "2022-04-18", "day"),
    ("Monday", "2022-04-18", "day"),
    ("on Tuesday", "2022-04-19", "day"),
    ("Friday", "2022-04-15", "day"),
    ("last Wednesday", "2022-04-13", "day"),
    ("last Tuesday", "2022-04-12", "day"),
    ("yesterday", "2022-04-18", "day"),
    ("today", "2022-04-19", "day"),
    ("two weeks ago", "2022-04-05", "day"),
    ("the weekend", "2022-04-16", "day"),
    ("last weekend", "2022-04-16", "day"),
    # month + day without a year
    ("March 31", "2022-03-31", "day"),
    ("31 March", "2022-03-31", "day"),
    ("on 31 March", "2022-03-31", "day"),
    ("April 12", "2022-04-12", "day"),
    ("April 24", "2022-04-24", "day"),       # within pub + 7 days
    ("April 30", "2021-04-30", "day"),       # beyond pub + 7 days
    ("December 5", "2021-12-05", "day"),
    ("on the 11th of March", "2022-03-11", "day"),
    ("Sept. 11", "2021-09-11", "day"),
    # months
    ("late March", "2022-03", "month"),
    ("early March", "2022-03", "month"),
    ("mid-March", "2022-03", "month"),
    ("in April", "2022-04", "month"),
    ("in May", "2021-05", "month"),
    ("since December", "2021-12", "month"),
    ("October last year", "2021-10", "month"),
    ("in October last year", "2021-10", "month"),
    ("last October", "2021-10", "month"),
    ("in December 2020", "2020-12", "month"),
    ("December 2020", "2020-12", "month"),
    ("June 2021", "2021-06", "month"),
    ("by the end of March 2018", "2018-03", "month"),
    ("last month", "2022-03", "month"),
    ("this month", "2022-04", "month"),
    ("earlier this month", "2022-04", "month"),
    ("next month", "2022-05", "month"),
    ("last week", "2022-04", "month"),
    ("this week", "2022-04", "month"),
    ("over the next three months", "2022-07", "month"),
    ("in the next three months", "2022-07", "month"),
    ("within three months", "2022-07", "month"),
    ("in the coming weeks", "2022-04", "month"),
    # full dates
    ("May 20, 2021", "2021-05-20", "day"),
    ("20 May 2021", "2021-05-20", "day"),
    ("2021-05-20", "2021-05-20", "day"),
    ("on 18th of February 2019", "2019-02-18", "day"),
    # years
    ("in 2019", "2019", "year"),
    ("a 2019 bilateral agreement", "2019", "year"),
    ("since 2013", "2013", "year"),
    ("last year", "2021", "year"),
    ("this year", "2022", "year"),
    ("earlier this year", "2022", "year"),
    ("next year", "2023", "year"),
    ("by the end of 2024", "2024", "year"),
    ("by end-2024", "2024", "year"),
    ("in the first quarter of 2025", "2025", "year"),
    ("Q1 2025", "2025", "year"),
    ("early 2025", "2025", "year"),
    ("late 2024", "2024", "year"),
    ("mid-2021", "2021", "year"),
])
def test_examples(expr, value, gran):
    m = one(expr)
    assert (m.value, m.granularity) == (value, gran)
    assert m.text in expr and expr[m.start:m.end] == m.text
    assert resolve(expr, PUB) == (value, gran)


@pytest.mark.parametrize("expr", [
    "next year", "next month", "over the next three months", "within three months",
    "in the coming weeks", "by the end of 2024", "by end-2024", "in the first quarter of 2025",
    "late 2024", "next Monday", "tomorrow", "later this year",
])
def test_future(expr):
    assert one(expr).future is True


@pytest.mark.parametrize("expr", [
    "on Monday", "on Tuesday", "last month", "in December 2020", "since 2013", "last year",
    "this year", "earlier this month", "March 31", "two weeks ago", "late March",
])
def test_not_future(expr):
    assert one(expr).future is False


@pytest.mark.parametrize("expr, relative", [
    ("on Monday", True), ("March 31", True), ("last month", True), ("late March", True),
    ("October last year", True), ("two weeks ago", True), ("next year", True),
    ("in December 2020", False), ("May 20, 2021", False), ("2021-05-20", False),
    ("in 2019", False), ("by the end of 2024", False), ("Q1 2025", False),
])
def test_relative_flag(expr, relative):
    assert one(expr).relative is relative


def test_month_day_year_rollover():
    assert resolve("24 October", "2013-10-25") == ("2013-10-24", "day")
    assert resolve("on 24 October", "2013-10-20") == ("2013-10-24", "day")  # within 7 days
    assert resolve("December 30", "2022-01-03") == ("2021-12-30", "day")
    assert resolve("last weekend", "2022-04-24") == ("2022-04-23", "day")  # pub on a Sunday
    assert resolve("last month", "2022-01-10") == ("2021-12", "month")
    assert resolve("next month", "2022-12-10") == ("2023-01", "month")
    assert resolve("February 29", "2022-04-19") == ("2020-02-29", "day")


def test_no_publication_date():
    for expr in ["on Monday", "March 31", "last month", "next year", "two weeks ago",
                 "late March", "October last year", "yesterday", "over the next three months"]:
        m = one(expr, None)
        assert m.relative is True
        assert m.value is None and m.granularity is None
        assert resolve(expr, None) is None
    m = one("in December 2020", None)
    assert (m.value, m.granularity, m.relative) == ("2020-12", "month", False)
    m = one("May 20, 2021", None)
    assert (m.value, m.granularity, m.relative) == ("2021-05-20", "day", False)
    assert resolve("in 2019", None) == ("2019", "year")
    assert one("next year", None).future is True


@pytest.mark.parametrize("text", [
    "We said so.",
    "They may deliver the tanks.",
    "May deliver more tanks, he said.",
    "Troops march towards the border.",
    "the march on the capital",
    "As Sun Tzu wrote, every battle is won before it is fought.",
    "The ship sat in port on Wed.",
    "a second batch of missiles",
    "It bought 2,019 rifles.",
    "The F-2000 rifle.",
    "a contract worth $2019m",
    "at 20:19 local time",
    "weapons from the 1990s",
    "a decade-old agreement",
    "about 2000 troops were sent",
    "the PzH 2000 howitzer and the Mirage 2000",
    "2000-pound bombs",
    "3050 rounds",
    "Russia Today reported the sale.",
    "it will take years",
])
def test_non_dates(text):
    assert find_dates(text, PUB) == []


def test_two_mentions_and_offsets():
    text = "The deal, signed in December 2020 (and which) took effect in June 2021, covers 12 jets."
    ms = find_dates(text, PUB)
    assert [(m.text, m.value, m.granularity) for m in ms] == [
        ("in December 2020", "2020-12", "month"),
        ("in June 2021", "2021-06", "month"),
    ]
    for m in ms:
        assert text[m.start:m.end] == m.text


def test_offsets_and_no_overlap():
    text = ("On Monday, officials said the howitzers ordered in October last year would "
            "arrive by end-2024, after a 2019 bilateral agreement and talks since 2013; "
            "two weeks ago the first batch left, and more will follow over the next three months.")
    ms = find_dates(text, PUB)
    got = [(m.text, m.value) for m in ms]
    assert got == [
        ("On Monday", "2022-04-18"),
        ("in October last year", "2021-10"),
        ("by end-2024", "2024"),
        ("2019", "2019"),
        ("since 2013", "2013"),
        ("two weeks ago", "2022-04-05"),
        ("over the next three months", "2022-07"),
    ]
    prev_end = -1
    for m in ms:
        assert isinstance(m, DateMention)
        assert text[m.start:m.end] == m.text
        assert m.start >= prev_end
        prev_end = m.end


def test_longest_span_wins():
    assert [m.text for m in find_dates("in December 2020", PUB)] == ["in December 2020"]
    assert [m.text for m in find_dates("October last year", PUB)] == ["October last year"]
    assert [m.text for m in find_dates("on May 20, 2021.", PUB)] == ["on May 20, 2021"]


def test_resolve_single():
    assert resolve("signed on Monday", PUB) == ("2022-04-18", "day")
    assert resolve("no date here", PUB) is None
    assert resolve("", PUB) is None


def test_cheap_reject():
    assert find_dates("The ministry confirmed the purchase of helicopters.", PUB) == []


@pytest.mark.parametrize("url, want", [
    ("http://example.blogspot.com/2022/01/greece-welcomes-first-jets.html?m=1", "2022-01"),
    ("https://example.org/news/2021/03/15/ministry-signs-deal", "2021-03-15"),
    ("https://example.org/2021-03-15-ministry-signs-deal", "2021-03-15"),
    ("https://example.org/2021/02/30/odd-day", "2021-02"),      # no such day: the month still holds
    ("https://example.org/article/3018390/turkey-receives", None),  # an article number, not a year
    ("https://example.org/news/1234/2022/", None),               # a year without a month
    (None, None),
])
def test_date_in_url(url, want):
    assert date_in_url(url) == want


@pytest.mark.parametrize("text,pub,value", [
    ("will arrive in March", "2018-01-13", "2018-03"),     # read alone: March 2017; what is to come: 2018
    ("is due in January", "2016-11-30", "2017-01"),
    ("will arrive in April", "2018-04-02", "2018-04"),     # this month stays
    ("will arrive in March 2017", "2018-01-13", "2017-03"),  # a year written stays
])
def test_ahead_moves_a_yearless_past_month_to_the_coming_one(text, pub, value):
    from armsledger.extract.dating import ahead
    assert ahead(one(text, pub), pub).value == value


@pytest.mark.parametrize("text,published,date", [
    # told in May: the March still to come is next year's
    ("The remaining two Caesar howitzers will arrive in Morocco from France in March, the ministry said.",
     "2023-05-12", "2024-03"),
    # told in November: "in January" is the coming one
    ("The sixth Kilo-class submarine built by Russia for Vietnam is scheduled to arrive in January.",
     "2016-11-30", "2017-01"),
    # "at the end of March" is a yearless month as much as "in March" is
    ("The remaining Caesar howitzers are expected to arrive in Morocco from France at the end of March, the ministry said.",
     "2023-05-12", "2024-03"),
])
def test_a_yearless_month_of_what_is_to_come_is_the_next_one(text, published, date):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text=text, published=published)
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer" and c.stage == "expected"]
    assert ts and all(c.date == date and c.granularity == "month" for c in ts), [(c.stage, c.date) for c in ts]
    d = ts[0].evidence["date"]
    assert art.text[d.start:d.end] == d.quote and d.quote in ("in March", "in January", "the end of March")


def test_a_yearless_month_of_what_happened_is_the_last_one():
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="Morocco received two Caesar howitzers from France in March, the ministry said.", published="2023-05-12")
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer"]
    assert ts and all(c.stage == "delivered" and c.date == "2023-03" for c in ts), [(c.stage, c.date) for c in ts]


@pytest.mark.parametrize("text,published,date", [
    # the rules' nearest date, "today", hangs on "announced"; the delivery's own is "in March"
    ("France announced today that it delivered two Caesar howitzers to Morocco in March.", "2024-04-30", "2024-03"),
    ("Russia said on Monday that it had handed over four Mi-17 helicopters to Mali in February.", "2024-04-30", "2024-02"),
    # "the 2007 contract" names the contract; the suspension is dated by the verb's "in 2010"
    ("Russia suspended the 2007 contract for S-300 systems with Iran in 2010, the ministry said.", "2016-08-09", "2010"),
    # the rules' "last week" hangs on "said"; the verb's own "in April", yearless, is the April to come
    ("The general said last week that the remaining 37 T-90 tanks from Russia would arrive in Iraq in April.",
     "2018-02-20", "2018-04"),
])
def test_a_claim_takes_the_date_of_its_own_verb(text, published, date):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text=text, published=published)
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer"]
    assert ts and all(c.date == date for c in ts), [(c.stage, c.date, c.date_text) for c in ts]
    d = ts[0].evidence["date"]
    assert art.text[d.start:d.end] == d.quote == ts[0].date_text


def test_a_date_in_the_verbs_clause_is_kept():
    # "in July" hangs on "export", below "signed": the rules' choice stands
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="South Korea signed a contract to export eight T-50 jets to Thailand in July, the ministry said.",
                  published="2018-01-13")
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer" and c.stage == "ordered"]
    assert ts and all(c.date == "2017-07" for c in ts), [(c.stage, c.date, c.date_text) for c in ts]


def test_items_listed_with_their_own_dates_take_each_its_own():
    from armsledger.extract import Extractor
    from armsledger.models import Article
    text = ("Egypt received a FREMM frigate from France in June 2015, three Rafale jets in July 2015 "
            "and two Mistral ships in January 2016.")
    art = Article(text=text, published="2018-01-13")
    got = {c.designation: c.date for c in Extractor().extract(art) if c.kind == "transfer"}
    assert got == {"FREMM": "2015-06", "Rafale": "2015-07", "Mistral": "2016-01"}, got


@pytest.mark.parametrize("text,stage,date", [
    # no publication date: "within six years" cannot be resolved, and the date on the verb the rules quoted
    # ("are expected to be delivered by 2019", whose "by" the parser reads as a passive's agent) dates the claim
    ("India ordered 36 Rafale jets from France. The first Rafales are expected to be delivered by 2019 and India "
     "is set to have all of them within six years.", "expected", "2019"),
    ("Under the contract signed in March, Hanwha Aerospace will deliver 24 K9 howitzers to Australia by 2026.",
     "expected", "2026"),
])
def test_an_unresolved_date_gives_way_to_the_date_on_the_claims_own_verb(text, stage, date):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    ts = [c for c in Extractor().extract(Article(text=text, published=None)) if c.kind == "transfer" and c.stage == stage]
    assert ts and all(c.date == date for c in ts), [(c.stage, c.date, c.date_text) for c in ts]
    assert all(c.evidence["date"].quote == text[c.evidence["date"].start:c.evidence["date"].end] for c in ts)


def test_a_date_on_a_verb_outside_the_quoted_phrase_still_dates_another_event():
    # "to be delivered in 2026" is not the order's own verb: the order stays undated
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="Indonesia ordered 42 Rafale jets from France, to be delivered in 2026.", published=None)
    got = {c.stage: c.date for c in Extractor().extract(art) if c.kind == "transfer"}
    assert got == {"ordered": None, "expected": "2026"}, got


def test_a_date_shared_by_a_list_stays_shared():
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="South Korea delivered 15 T-50 jets and 12 FA-50 jets to the Philippines in 2015.",
                  published="2018-01-13")
    got = {c.designation: c.date for c in Extractor().extract(art) if c.kind == "transfer"}
    assert got == {"T-50": "2015", "FA-50": "2015"}, got


def test_a_contracts_year_does_not_date_the_delivery():
    # "a 2019 contract" dates the contract; the delivery is this report's news, dated by its month
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="Serbia has received the first of six Pantsir systems from Russia, as agreed in a 2019 contract.",
                  published="2020-02-25")
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer" and c.stage == "delivered"]
    assert ts and all(c.date == "2020-02" and c.granularity == "month" for c in ts), [(c.stage, c.date) for c in ts]
    assert all("date" not in c.evidence for c in ts)


def test_a_had_delivery_keeps_the_contracts_year():
    # told in the past perfect, the delivery is background, not the report's news: the rules' reading stands
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="Serbia had received the first of six Pantsir systems from Russia, as agreed in a 2019 contract.",
                  published="2020-02-25")
    ts = [c for c in Extractor().extract(art) if c.kind == "transfer" and c.stage == "delivered"]
    assert ts and all(c.date != "2020-02" for c in ts), [(c.stage, c.date) for c in ts]


def _delivered_dates(text, published="2024-05-01"):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    return [(c.date, c.granularity, "date" in c.evidence) for c in Extractor().extract(Article(text=text, published=published))
            if c.kind == "transfer" and c.stage == "delivered"]


@pytest.mark.parametrize("text", [
    "Slovakia received eight F-16 jets from the United States, which will join an exercise in June.",
    "Chile received two frigates from Britain, which are expected to be refitted in July.",
    "Peru received two K-8 jets from China, which would be deployed to the border in June.",
    "Peru received four Su-25 aircraft from Russia, which are due to be refitted in November.",
    "Kenya received two Z-9 helicopters from China, which are to be commissioned in June.",
    "Armenia received Caesar howitzers from France, which Yerevan plans to deploy in August.",
])
def test_a_later_events_date_does_not_date_the_delivery(text):
    # the month dates what the items will do afterwards, in a clause still to come below the verb; the
    # delivery is the report's news, dated by its month (the rules had read "June" as the last June past)
    assert _delivered_dates(text) == [("2024-05", "month", False)]


def test_a_later_events_date_leaves_background_undated():
    # told in the past perfect, the delivery is background: no date at all rather than the later event's
    text = "Slovakia had received eight F-16 jets from the United States, which will join an exercise in June."
    assert _delivered_dates(text) == [(None, None, False)]
    # and with no publication date, there is no report to date it by either
    text = "Slovakia received eight F-16 jets from the United States, which will join an exercise in June."
    assert _delivered_dates(text, published=None) == [(None, None, False)]


def test_the_verbs_own_date_and_a_past_clauses_date_stand():
    # the verb's own date wins over the later event's, and a past clause below the verb still dates it
    text = "Slovakia received eight F-16 jets from the United States in April, which will join an exercise in June."
    assert _delivered_dates(text) == [("2024-04", "month", True)]
    text = "Slovakia received eight F-16 jets from the United States, which joined the air force in March."
    assert _delivered_dates(text) == [("2024-03", "month", True)]


@pytest.mark.parametrize("text", [
    "Bolivia signed a contract for six K-8 jets with China, which will deliver them in June.",
    "Indonesia ordered 13 Ground Master radars from France, to be delivered in November.",
])
def test_an_order_is_not_dated_by_its_delivery_to_come(text):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    got = [c.date for c in Extractor().extract(Article(text=text, published="2024-05-01"))
           if c.kind == "transfer" and c.stage == "ordered"]
    assert got == ["2024-05"], got


def test_what_came_after_in_a_story_leaves_the_delivery_undated():
    # "would later" tells what followed, from a point in the past: the year is the combat's, and the delivery,
    # which came before it, is not the report's news either
    text = "Ukraine received Bayraktar TB2 drones from Turkey, which would later see combat in the spring of 2022."
    assert _delivered_dates(text) == [(None, None, False)]


def test_the_last_item_of_a_list_takes_the_first_date_of_its_stretch():
    # "another three in January 2016" names no item: the Rafale stretch holds two dates, its own comes first;
    # the second is a tranche of its own (tranches.py)
    from armsledger.extract import Extractor
    from armsledger.models import Article
    text = ("Egypt received a FREMM frigate from France in June 2015, three Rafale jets in July 2015 "
            "and another three in January 2016.")
    got = {(c.designation, c.date, bool(c.notes.get("tranche")))
           for c in Extractor().extract(Article(text=text, published="2018-01-13")) if c.kind == "transfer"}
    assert got == {("FREMM", "2015-06", False), ("Rafale", "2015-07", False), ("Rafale", "2016-01", True)}, got


@pytest.mark.parametrize("text", [
    "Greece received six Rafale jets from France, and six more are scheduled to arrive in June.",
    "Greece received six Rafale jets from France; six more will arrive in June.",
    "Greece received six Rafale jets from France in March, and six more will arrive in June.",
])
def test_what_is_still_to_come_is_not_dated_in_the_past(text):
    # the second stage of a delivery's sentence took "in June" as found, the last June past (2023-06);
    # told in May 2024, the six more are expected in June 2024
    assert _expected_dates(text) == ["2024-06"]


def _expected_dates(text, published="2024-05-01"):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    return [c.date for c in Extractor().extract(Article(text=text, published=published))
            if c.kind == "transfer" and c.stage == "expected"]


def test_a_pledge_keeps_the_month_it_was_made():
    from armsledger.extract import Extractor
    from armsledger.models import Article
    art = Article(text="Britain pledged in January to send 14 Challenger 2 tanks to Ukraine.", published="2024-05-01")
    got = [(c.stage, c.date) for c in Extractor().extract(art) if c.kind == "transfer"]
    assert got == [("pledged", "2024-01")], got


@pytest.mark.parametrize("text, date", [
    # a past expectation keeps its month: then still to come, now past
    ("Slovakia received eight F-16 fighters from the United States in January, and six more were expected in March.",
     "2024-03"),
    ("Egypt received two FREMM frigates from Italy, and two more that were due in March have yet to arrive.", "2024-03"),
])
def test_a_past_expectation_is_not_moved_a_year_ahead(text, date):
    assert _expected_dates(text) == [date]


def test_a_month_borrowed_from_the_delivery_is_not_moved():
    # "soon" names no month: the expected record's "March" is the delivery's, not one still to come
    text = "Romania received 18 HIMARS launchers from the United States in March, and six more will follow soon."
    got = _expected_dates(text)
    assert got and "2025-03" not in got, got


@pytest.mark.parametrize("text, stage, date", [
    # a day of a month named without its year, in what is still to come, is the next such day
    ("Greece received six Rafale jets from France, and four more are scheduled to arrive on June 3.", "expected",
     "2024-06-03"),
    ("The remaining two Rafale jets from France will arrive in Greece on June 3.", "expected", "2024-06-03"),
    ("The remaining two Rafale jets from France will be delivered to Greece by 3 June.", "expected", "2024-06-03"),
    # what happened, and a pledge's own day, stay the last such day
    ("Greece received six Rafale jets from France on April 12.", "delivered", "2024-04-12"),
    ("Britain pledged on April 12 to send 14 Challenger 2 tanks to Ukraine.", "pledged", "2024-04-12"),
    # an expectation told in the past, and a day just before the report, are not moved a year ahead
    ("The M1A1 Abrams tanks from the United States were expected to arrive in Ukraine on March 3 but were delayed.",
     "expected", None),
    ("The last six Leopard 2A4 tanks from Spain will be delivered to Ukraine on April 28, officials said.",
     "expected", None),
])
def test_a_yearless_day_of_what_is_to_come_is_read_forward(text, stage, date):
    from armsledger.extract import Extractor
    from armsledger.models import Article
    got = [c.date for c in Extractor().extract(Article(text=text, published="2024-05-01"))
           if c.kind == "transfer" and c.stage == stage]
    assert got == [date], got
