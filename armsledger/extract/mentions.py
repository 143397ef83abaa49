"""What one sentence names: its transfer verbs, equipment, parties and dates.

Each sentence is read once (`analyse`). A sentence with neither a transfer verb nor a piece of
equipment stops after the cheap checks; in the rest, mentions that only describe another model
("a version of the Mi-24P"), name a carrier ("an An-124 carrying ...") or qualify something else
("the helicopter deal") are dropped, and dates of other events ("founded in 1980") set aside.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from armsledger.catalog import Catalog, EquipmentMention
from armsledger.categories import category_group
from armsledger.extract import cues, sentences, triggers
from armsledger.extract.dates import DateMention, find_dates
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Claim, Evidence


# "an export version of the Mi-24P": a model named only to describe another
_DESCRIBES = re.compile(r"\b(?:version|variant|derivative|successor|copy|development|upgrade|modification)s? of\s+(?:the\s+|an?\s+)?$"
                        r"|\b(?:replace|replaced|replacing|retire|retiring|phase out|succeed)\b[^.;]{0,60}$"
                        r"|\b(?:against|counter|countering|to defeat|to shoot down|to intercept|to protect from)\b[^,;.]{0,40}$"
                        r"|\b(?:upgrade|upgrading|modernis\w+|moderniz\w+|overhaul\w*|refurbish\w*|maintain\w*|repair\w*|"
                        r"service|servicing|support)\s+(?:the\s+|its\s+|their\s+|existing\s+)?(?:[\w-]+\s+){0,2}$"
                        r"|\b(?:similar to|based on|derived from|like|such as|unlike|instead of|"
                        r"rather than|than|compete with|competing with|competitor to|rival to|alongside)\s+(?:the\s+|its\s+|their\s+|an?\s+)?"
                        r"(?:\w+\s+){0,2}$", re.I)
_MODIFIER_OF = re.compile(r"[\s-]+(?:deal|deals|contract|contracts|sale|sales|order|orders|purchase|programme|program|"
                          r"agreement|tender|fleet|unit|units|crew|crews|pilots?|squadron|base|maker|makers|"
                          r"manufacturer|industry|factory|plant|market|project|procurement|acquisition|competition|"
                          r"crash|attack|attacks|strike|strikes|operations?|ammunition|parts|spare|defen[cs]e|shield|"
                          r"threats?|programmes?|programs?|capabilit\w+|technology|range|tests?|launch\w*)\b", re.I)
_SUPPLIES_FOR = re.compile(r"[\s-]+(?:ammunition|munitions|rounds|shells|spare parts|spares|parts|simulators?|training|"
                           r"maintenance|crews?|pilots?|engines? for)\b", re.I)
# the aircraft or ship that carried the cargo is not part of it
# "USS Chinook (PC 9)", "ex-HMS Norfolk": a ship's name, not a Chinook helicopter
_SHIP_NAME = re.compile(r"\b(?:USS|USNS|USCGC|HMS|HMAS|HMCS|HMNZS|BRP|INS|PNS|KRI|ROKS|TCG|RFS|FS|ARA|BNS|NRP|SPS|ITS|"
                        r"KD|RSS|HTMS|JS|CNS|ex-USS|ex-HMS)\s+(?:[A-Z][\w.-]*\s+){0,2}(?:\(\s*)?$")
_CARRIER = re.compile(r"\b(?:by|aboard|on board|onboard|via|using|(?:in|on)(?=\s+an?\s))\s+(?:an?\s+|the\s+|two\s+|several\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_CARRYING = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:carrying|transporting|loaded with|laden with|ferrying|delivering|bringing)\b",
                       re.I)


@dataclass
class Sent:
    index: int
    s: sentences.Sentence
    triggers: list[triggers.Trigger] = field(default_factory=list)
    equipment: list[EquipmentMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    found: list[ActorMention] | None = None  # the gazetteer's mentions before trusted (None: not looked up)
    dates: list[DateMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    qstart: dict[int, int] = field(default_factory=dict)
    roles: dict[tuple, list] = field(default_factory=dict)
    cues: tuple | None = None


class Reader:
    """Reads each sentence for what it names; holds the catalog, gazetteer and trigger prefilter."""

    def __init__(self, catalog: Catalog, gazetteer: Gazetteer):
        self.catalog = catalog
        self.gazetteer = gazetteer
        self._prefilter = triggers.prefilter()

    def analyse(self, st: Sent, pub: str | None) -> None:
        t = st.s.text
        hit = self._prefilter.search(t)
        st.equipment, st.qstart = _prune_mentions(t, _with_counted_nouns(t, self.catalog.find(t)))
        if not hit and not st.equipment:
            return  # nothing to report here, and no party to learn: skip the gazetteer too
        st.triggers = triggers.find(t) if hit else []
        st.actors = st.found = self.gazetteer.find(t)
        st.dates = [d for d in _same_year(t, find_dates(t, pub))
                    if not _NOT_EVENT_DATE.search(t, max(0, d.start - 25), d.start)]



def fill_cues(c: Claim, st: Sent, base: int) -> None:
    """The sentence's hedges, source and terms of the deal, as the claim's."""
    if st.cues is None:  # every claim of a sentence shares its hedges, source and terms
        t = st.s.text
        st.cues = (cues.hedge(t), cues.attribution(t), cues.terms(t))
    h, a, terms = st.cues
    if h:
        c.hedged = True
        c.evidence["hedged"] = Evidence(base + h.start, base + h.end, h.text)
    if a:
        c.attribution = a.text
        c.evidence["attribution"] = Evidence(base + a.start, base + a.end, a.text)
    for key, span in terms.items():
        c.terms[key] = span.text if key == "value" else True
        c.evidence[f"terms.{key}"] = Evidence(base + span.start, base + span.end, span.text)

_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|"
                      r"twenty-four|thirty|dozen)\s+(?:(?:more|new|additional|used|second-hand|modern|older|remaining)\s+)?"
                      r"(?P<noun>jets|fighters|warplanes)\b", re.I)


# "a company founded in 1980": the date of something other than a transfer
_NOT_EVENT_DATE = re.compile(r"\b(?:founded|established|created|set up|formed|born|dating back|dates back|"
                             r"independence|war|invaded|invasion|elected|took office|came to power|seized power)\s+(?:\w+\s+)?$",
                             re.I)
_SAME_YEAR = re.compile(r"^\s*(?:of\s+)?(?:the\s+same\s+year|that\s+(?:same\s+)?year)\b", re.I)


def _same_year(text: str, dates: list[DateMention]) -> list[DateMention]:
    """"on May 28, 2021, ... signed on November 25 of the same year": the year of the date before."""
    out: list[DateMention] = []
    for d in dates:
        prev = next((p for p in reversed(out) if p.value), None)
        if d.value and d.relative and prev is not None and _SAME_YEAR.match(text[d.end:]) and \
                d.granularity in ("day", "month"):
            d = dataclasses.replace(d, value=prev.value[:4] + d.value[4:], relative=False, future=False)
        out.append(d)
    return out


_MONEY_BEFORE = re.compile(r"[$€£]\s?[\d.,]+\s?(?:[mMbB]n?|million|billion|bn)?\s*$")


def trusted(actors: list[ActorMention], lowered_text: str, text: str | None = None) -> list[ActorMention]:
    """A group known by a short acronym ("SDF": Syrian Democratic Forces, or Japan's
    Self-Defense Forces) counts only where the article also spells its name out; "US" after an
    amount ("$235M US") is the currency."""
    return [a for a in actors if not (a.actor.kind == "group" and len(a.text) <= 4 and a.text.isupper()
                                      and a.actor.name.lower() not in lowered_text)
            and not (text is not None and a.text in ("US", "U.S.") and _MONEY_BEFORE.search(text, 0, a.start))]


def _with_counted_nouns(text: str, mentions: list[EquipmentMention]) -> list[EquipmentMention]:
    """"agreed to buy the 12 jets": a counted noun the catalog only accepts after a model."""
    low = text.lower()
    if "jets" not in low and "fighters" not in low and "warplanes" not in low:
        return mentions
    extra = []
    for m in _COUNTED.finditer(text):
        s, e = m.start("noun"), m.end("noun")
        if not any(x.start < e and s < x.phrase_end for x in mentions):
            extra.append(EquipmentMention(s, e, m.group("noun"), None, "aircraft", None, True, e, True))
    return sorted(mentions + extra, key=lambda x: x.start) if extra else mentions


def _prune_mentions(text: str, mentions: list[EquipmentMention]) -> tuple[list[EquipmentMention], dict[int, int]]:
    """Drop mentions that only describe another ("a version of the Mi-24P") and fold a
    category noun into the model that follows it ("armoured personnel carriers BRDM-2").

    Returns the mentions and, for folded ones, where to look for their quantity
    (before the category noun rather than before the model)."""
    out: list[EquipmentMention] = []
    qstart: dict[int, int] = {}
    for m in mentions:
        if _DESCRIBES.search(text, max(0, m.start - 70), m.start) or _SHIP_NAME.search(text, max(0, m.start - 40), m.start):
            continue
        if m.generic and _MODIFIER_OF.match(text, m.phrase_end):
            continue  # "the helicopter deal", "a tank crew": the noun qualifies something else
        if _SUPPLIES_FOR.match(text, m.phrase_end):
            continue  # "HIMARS ammunition", "F-16 spare parts": supplies for the system, not the system
        if _CARRIER.search(text, max(0, m.start - 40), m.start) and \
                category_group(m.category) in ("aircraft", "ship", "helicopter") and \
                (re.search(r"\b(?:delivered|transported|airlifted|flown|shipped|brought|carried|ferried|arrived|"
                           r"reached|landed|docked)\b", text[:m.start], re.I)
                 or any(x.end <= m.start for x in mentions)):
            continue  # "arrived aboard a heavy-lift ship", "a corvette ... aboard a ship": the carrier
        if category_group(m.category) in ("aircraft", "ship", "helicopter") and _CARRYING.match(text, m.phrase_end) \
                and any(x.start >= m.phrase_end for x in mentions):
            continue  # "an An-124 carrying two Mi-35 helicopters": the carrier is not the cargo
        if out and out[-1].generic and not m.generic and 0 <= m.start - out[-1].phrase_end <= 3 \
                and not text[out[-1].phrase_end:m.start].strip():  # "carriers BRDM-2", not "trucks, HARMs"
            g = out.pop()
            qstart[id(m)] = qstart.pop(id(g), g.start)
        out.append(m)
    return out, qstart
