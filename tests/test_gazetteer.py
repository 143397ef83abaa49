"""Tests for armsledger.gazetteer (sentences written for these tests)."""
from __future__ import annotations

import json
import os

import pytest

from armsledger.gazetteer import Actor, ActorMention, Gazetteer

UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD
CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN
FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ
IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE
LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR
NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT
QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV
UGA UKR ARE GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


def spans(g: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.actor.code, m.via) for m in g.find(text)]


def codes(g: Gazetteer, text: str) -> list[str]:
    return [m.actor.code for m in g.find(text)]


# -- coverage -----------------------------------------------------------------

def test_every_un_member_present(g):
    assert len(UN_MEMBERS) == 193 == len(set(UN_MEMBERS))
    for code in UN_MEMBERS:
        a = g.country(code)
        assert a is not None and a.kind == "state" and a.country == code, code
        assert g.status(code) == "member"
    states = g.states()
    assert len({s.code for s in states}) == len(states) >= 193
    assert sum(1 for s in states if g.status(s.code) == "member") == 193


def test_observers_others_and_historical(g):
    for code in ("VAT", "PSE", "TWN", "XKX", "SUN", "YUG", "CSK", "DDR"):
        assert g.country(code) is not None, code
    assert g.status("SUN") == "historical"
    assert codes(g, "The Soviet Union, Yugoslavia, Czechoslovakia and East Germany all bought it.") == \
        ["SUN", "YUG", "CSK", "DDR"]
    assert codes(g, "Soviet-era tanks and Yugoslav guns") == ["SUN", "YUG"]
    assert codes(g, "West German and East German designs") == ["DEU", "DDR"]


def test_makers_count_and_countries(g):
    makers = g.actors("maker")
    assert len(makers) >= 150
    for name, country in [("Rosoboronexport", "RUS"), ("Lockheed Martin", "USA"), ("Baykar", "TUR"),
                          ("Hindustan Aeronautics", "IND"), ("Norinco", "CHN"), ("Embraer", "BRA"),
                          ("Airbus", "FRA"), ("Aero Vodochody", "CZE"), ("Austal", "AUS"),
                          ("Pakistan Aeronautical Complex", "PAK"), ("EDGE Group", "ARE")]:
        a = g.lookup(name)
        assert a is not None and a.kind == "maker" and a.country == country, name


def test_every_listed_phrase_resolves_to_its_own_entry(g):
    """No phrase in the packaged data is shadowed by another entry."""
    for a in g.actors():
        for phrase in g.names(a.code):
            assert g.lookup(phrase) == a, (a.code, phrase)


# -- find: the kinds of mention -------------------------------------------------

def test_names_demonyms_capitals_metonyms(g):
    text = ("Moscow said the Kremlin would keep supplying Russian jets, while Washington and "
            "the Pentagon weighed a sale to South Korea.")
    assert spans(g, text) == [
        ("Moscow", "RUS", "capital"), ("Kremlin", "RUS", "metonym"), ("Russian", "RUS", "demonym"),
        ("Washington", "USA", "capital"), ("Pentagon", "USA", "metonym"),
        ("South Korea", "KOR", "name"),
    ]
    assert codes(g, "Officials in Kyiv, Kiev, Ankara, New Delhi and Bamako agreed.") == \
        ["UKR", "UKR", "TUR", "IND", "MLI"]
    assert codes(g, "The Élysée and the Elysee Palace, Downing Street and Whitehall.") == \
        ["FRA", "FRA", "GBR", "GBR"]


def test_forces(g):
    text = ("The Malian army, the Nigerian Air Force, the Philippine Navy, the Royal Navy, "
            "the US Army and the Bundeswehr took part; so did the PLA Navy and the IDF.")
    assert spans(g, text) == [
        ("Malian army", "MLI", "force"), ("Nigerian Air Force", "NGA", "force"),
        ("Philippine Navy", "PHL", "force"), ("Royal Navy", "GBR", "force"),
        ("US Army", "USA", "force"), ("Bundeswehr", "DEU", "force"),
        ("PLA Navy", "CHN", "force"), ("IDF", "ISR", "force"),
    ]
    assert spans(g, "Ukraine's armed forces and the Armed Forces of the Philippines.") == [
        ("Ukraine's armed forces", "UKR", "force"), ("Armed Forces of the Philippines", "PHL", "force")]
    assert spans(g, "The FAMa and the Royal Thai Air Force.") == [
        ("FAMa", "MLI", "force"), ("Royal Thai Air Force", "THA", "force")]


def test_makers_agencies_groups(g):
    text = ("Rosoboronexport and Kazan Helicopters signed, the DSCA notified Congress, "
            "and Wagner Group fighters fought Peshmerga units and the Houthis.")
    ms = g.find(text)
    assert [(m.text, m.actor.kind, m.actor.country) for m in ms] == [
        ("Rosoboronexport", "maker", "RUS"), ("Kazan Helicopters", "maker", "RUS"),
        ("DSCA", "agency", "USA"), ("Wagner Group", "group", "RUS"),
        ("Peshmerga", "group", None), ("Houthis", "group", None),
    ]
    assert [m.via for m in ms] == ["maker", "maker", "agency", "group", "group", "group"]
    assert ms[0].actor.code == "Rosoboronexport"


# -- find: matching rules --------------------------------------------------------

def test_leftmost_longest(g):
    assert spans(g, "Russian Helicopters delivered them.") == [
        ("Russian Helicopters", "Russian Helicopters", "maker")]
    # common noun: not the company
    assert spans(g, "It bought Russian helicopters.") == [("Russian", "RUS", "demonym")]
    assert spans(g, "A South Korean firm.") == [("South Korean", "KOR", "demonym")]
    assert spans(g, "Israel Aerospace Industries and Turkish Aerospace.") == [
        ("Israel Aerospace Industries", "Israel Aerospace Industries", "maker"),
        ("Turkish Aerospace", "Turkish Aerospace", "maker")]
    assert codes(g, "South Sudan and Sudan, Guinea-Bissau and Guinea, Papua New Guinea.") == \
        ["SSD", "SDN", "GNB", "GIN", "PNG"]
    assert codes(g, "The Democratic Republic of the Congo, the Republic of the Congo and Congo.") == \
        ["COD", "COG", "COD"]


def test_possessives_and_curly_apostrophes(g):
    text = "Russia's deliveries and Mali’s junta, plus N’Djamena and Côte d’Ivoire."
    ms = g.find(text)
    assert [(m.text, m.actor.code) for m in ms] == [
        ("Russia", "RUS"), ("Mali", "MLI"), ("N’Djamena", "TCD"), ("Côte d’Ivoire", "CIV")]
    for m in ms:
        assert text[m.start:m.end] == m.text
    assert spans(g, "Mali’s army") == [("Mali’s army", "MLI", "force")]


def test_hyphenated_words(g):
    assert spans(g, "Russian-made and US-built arms, a pro-Turkish group") == [
        ("Russian", "RUS", "demonym"), ("US", "USA", "name"), ("Turkish", "TUR", "demonym")]


def test_lowercase_common_words_not_matched(g):
    assert g.find("they ate turkey in jordan's chad, then guinea pigs; china plates") == []
    assert codes(g, "Chad, Turkey and Jordan signed.") == ["TCD", "TUR", "JOR"]


def test_acronyms_case_sensitive(g):
    assert g.find("Let us see; the us of it; Us and uae, pla") == []
    assert codes(g, "The US, the U.S., the UK, the U.K. and the UAE.") == ["USA", "USA", "GBR", "GBR", "ARE"]
    assert codes(g, "It cost US$5 million.") == []


def test_stop_phrases(g):
    assert codes(g, "The Washington Post said ships crossed the Indian Ocean and South China Sea.") == []
    assert codes(g, "The Indian Navy and Washington.") == ["IND", "USA"]


def test_offsets_are_into_the_text(g):
    text = "  In 2023, the U.S. Air Force and Saab's Gripen."
    for m in g.find(text):
        assert isinstance(m, ActorMention)
        assert text[m.start:m.end] == m.text
    assert spans(g, text) == [("U.S. Air Force", "USA", "force"), ("Saab", "Saab", "maker")]


# -- lookup / country -------------------------------------------------------------

def test_lookup(g):
    rus = g.country("RUS")
    assert rus == Actor("RUS", "state", "RUS", "Russia")
    for q in ("Russia", "russia", "the Kremlin", "Russian", "russia's", "Russia’s", "Russian Federation", "RUS"):
        assert g.lookup(q) == rus, q
    assert g.lookup("U.S.") == g.lookup("US") == g.lookup("United States") == g.country("usa")
    assert g.lookup("us") is None
    assert g.lookup("Korean") is None
    assert g.lookup("Ministry of Defence") is None
    assert g.lookup("nonsense words") is None
    assert g.lookup("") is None
    assert g.lookup("Rosoboron Export").code == "Rosoboronexport"
    assert g.lookup("Malian army").code == "MLI"
    assert g.lookup_via("the Malian army") == (g.country("MLI"), "force")
    assert g.lookup("Türkiye") == g.lookup("Turkiye") == g.country("TUR")
    assert g.lookup("Congo") == g.country("COD")
    assert g.lookup("Republic of Congo") == g.country("COG")
    assert g.country("XXX") is None


# -- user data ------------------------------------------------------------------

def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_extra_file_merged(tmp_path):
    extra = _write(tmp_path / "mine.jsonl", [
        {"code": "MLI", "metonyms": ["Koulouba Palace"], "forces": ["Malian Special Forces Battalion"]},
        {"code": "ZZZ", "name": "Freedonia", "demonyms": ["Freedonian"], "capitals": ["Fredville"]},
        {"name": "Acme Arms", "kind": "maker", "country": "ZZZ", "aliases": ["Acme"]},
        {"name": "Rosoboronexport", "kind": "maker", "aliases": ["ROE"]},
        {"ignore": ["Paris Hilton"]},
    ])
    (tmp_path / "mine.jsonl").write_text("# a comment\n\n" + extra.read_text(encoding="utf-8"),
                                         encoding="utf-8")
    g = Gazetteer.load(extra=[extra])
    assert g.country("ZZZ") == Actor("ZZZ", "state", "ZZZ", "Freedonia")
    assert spans(g, "Acme sold guns to the Freedonian army in Fredville.") == [
        ("Acme", "Acme Arms", "maker"), ("Freedonian army", "ZZZ", "force"), ("Fredville", "ZZZ", "capital")]
    assert g.lookup("Acme Arms").country == "ZZZ"
    assert g.lookup("ROE").code == "Rosoboronexport"
    assert g.lookup("Rosoboron Export").code == "Rosoboronexport"  # packaged aliases kept
    assert g.lookup("Koulouba Palace").code == "MLI"
    assert codes(g, "Paris Hilton visited Paris.") == ["FRA"]
    # the packaged default is unchanged
    assert Gazetteer.load().lookup("Acme") is None


def test_bad_extra_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"name": "X"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        Gazetteer.load(extra=[bad])
    with pytest.raises(FileNotFoundError):
        Gazetteer.load(extra=[tmp_path / "missing.jsonl"])


def test_env_var(tmp_path, monkeypatch):
    a = _write(tmp_path / "a.jsonl", [{"name": "Widget Works", "kind": "maker", "country": "SWE"}])
    b = _write(tmp_path / "b.jsonl", [{"name": "Blue Brigade", "kind": "group", "country": None}])
    monkeypatch.setenv("ARMSLEDGER_ALIASES", os.pathsep.join([str(a), str(b)]))
    g = Gazetteer.load()
    assert g.lookup("Widget Works").country == "SWE"
    assert g.lookup("Blue Brigade").kind == "group"
    d = Gazetteer.default()
    assert d.lookup("Widget Works") is not None
    monkeypatch.delenv("ARMSLEDGER_ALIASES")
    assert Gazetteer.default().lookup("Widget Works") is None


def test_default_is_cached():
    assert Gazetteer.default() is Gazetteer.default()


