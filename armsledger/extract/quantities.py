"""Quantities written before an equipment mention: "two", "54", "a dozen", "at least nine".

The number that counts is the one that modifies the equipment noun phrase, so
the search runs leftwards from the mention over a few modifier words and stops
at anything that opens another phrase (a comma, "and", a verb, another number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "a single": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100, "dozen": 12, "a dozen": 12,
    "a couple of": 2, "a pair of": 2, "pair of": 2, "twin": 2, "both": 2, "a": 1, "an": 1, "another": 1,
}
VAGUE = {"several", "a few", "few", "some", "dozens of", "several dozen", "a number of", "hundreds of",
         "scores of", "numerous", "multiple", "an undisclosed number of", "undisclosed number of",
         "a batch of", "a handful of", "a small number of", "a large number of", "a fleet of", "more"}
HEDGES = ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "at least", "up to",
          "more than", "over", "an estimated", "as many as", "fewer than", "less than", "close to", "just over",
          "just under", "upwards of")

_WORD_NUM = "|".join(sorted((re.escape(k) for k in UNITS if k not in ("a", "an", "another", "both")), key=len,
                            reverse=True))
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_BELOW_100 = (rf"(?:{_TENS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
              rf"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|{_ONES})")
# "two hundred", "one hundred and twenty", "a hundred", "two thousand", "two dozen", "3 dozen"
_HUNDREDS = rf"(?:(?:a|{_BELOW_100}|\d{{1,2}})\s+hundred(?:\s+(?:and\s+)?{_BELOW_100}\b)?)"  # "fifteen hundred"
_COMPOUND = (rf"(?:(?:a|{_ONES}|\d)\s+thousand(?:\s+(?:and\s+)?(?:{_HUNDREDS}|{_BELOW_100}\b))?"
             rf"|{_HUNDREDS}|(?:a|{_ONES}|\d{{1,2}})\s+dozen)")
_NUM = rf"(?:{_COMPOUND}|\d{{1,3}}(?:,\d{{3}})+|\d+|{_TENS}|{_WORD_NUM})"
_HEDGE = "|".join(re.escape(h) for h in HEDGES)
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
# Modifier words allowed between the number and the equipment: adjectives,
# nationalities, "more", "new", "additional", "used", "type of", "units of".
_MOD = r"(?:[A-Za-z][\w’'\-]*|\d+[A-Za-z][\w\-]*|\"|“|”|\(|\))"  # "Five brand new Sikorsky 70i Black Hawks"
_BLOCK = re.compile(r"^(?:and|or|but|with|to|from|for|by|at|in|on|as|which|that|who|while|were|was|is|are|has|have|"
                    r"had|be|been|will|would|said|says|including|includes|included|plus|than|per|each|the|its|their|"
                    r"his|her|this|these|those|of)$", re.I)
_OF_OK = {"type", "types", "units", "unit", "batch", "batches", "squadron", "squadrons", "fleet", "pair", "lot",
          "number", "total", "kind", "kinds", "version", "variant"}

_TAIL = re.compile(
    rf"(?:(?P<first>\b(?:first|last|final|remaining|initial|other|additional)\s+)?"
    rf"(?P<part>{_NUM})\s+of\s+(?:a\s+total\s+of\s+|an\s+eventual\s+|the\s+|its\s+|their\s+)?)?"
    rf"(?P<hedge>\b(?:{_HEDGE})\s+)?"
    rf"(?:(?P<num>(?<![\w$€£.,-]){_NUM})(?![\w%$.,]|\.\d)|(?P<vague>\b(?:{_VAGUE})))"
    rf"(?P<mods>(?:\s+{_MOD}){{0,6}}?)\s*$",
    re.I,
)
# verbs whose particle "over" comes before their object: "handed over three tanks" is no hedge
_PARTICLE_VERB = re.compile(r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|give|gives|gave|given|giving|"
                            r"sign|signs|signed|signing|pass|passes|passed|passing)\s*$", re.I)
# a word whose number names a variant, not a count: "Block 52", "Type 23", "Mk 41"
VARIANT_WORD = re.compile(r"\b(?:Block|Batch|Lot|Flight|Tranche|Mk|Mark|Type|Series|Phase|Increment|Standard|Version|"
                           r"Model|No\.?|Number|Project)\s*$", re.I)
_FIRST_OF = re.compile(rf"\b(?:the\s+)?(?P<which>first|last|second|third)\s+of\s+(?:the\s+|a\s+total\s+of\s+)?"
                       rf"(?P<n>{_NUM})\s+(?P<mods>(?:[A-Za-z][\w’'\-]*\s+){{0,3}})$", re.I)
# "the fifth frigate", "its first Kilo-class submarine": an ordinal before a singular noun counts one
_ORDINAL = re.compile(r"\b(?:the|its|their|his|her|[A-Z][\w-]*['’]s)\s+(?:(?:very|brand-new|new)\s+)?"
                      r"(?P<num>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                      r"last|final|\d{1,2}(?:st|nd|rd|th))\s+(?P<mods>(?:[A-Za-z][\w’'\-]*\s+){0,3})$", re.I)
_MASS = re.compile(r"(?:equipment|artillery|ammunition|weaponry|hardware|materiel|aid|assistance|batch|tranche|"
                   r"shipment|consignment|delivery|lot|group|package|squadron|fleet)$", re.I)
# a group of items whose size the word does not say: "a fresh batch of", "the final shipment of"
_COLLECTIVE = re.compile(r"\b(?:batch|batches|number|lot|fleet|group|shipment|consignment|series|squadron|tranche|"
                         r"set|package|mix|range|variety)\b", re.I)
_ARTICLE = re.compile(r"\b(?P<num>an?|another|one)\s+(?P<mods>(?:[A-Za-z][\w’'\-]*\s+){0,3})$", re.I)


@dataclass(frozen=True)
class Quantity:
    value: int | None
    uncertain: bool
    start: int
    end: int
    total: int | None = None  # "the first six of a total of 12": 12


def parse_number(word: str) -> int | None:
    w = word.lower().strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", w):
        return int(w.replace(",", ""))
    if w in UNITS:
        return UNITS[w]
    m = re.fullmatch(_TENS, w)
    if m:
        a, b = w.split("-")
        return UNITS[a] + UNITS[b]
    if re.fullmatch(_COMPOUND, w):
        return _compound_value(w.split())
    return None


def _compound_value(words: list[str]) -> int | None:
    """"two hundred and fifty" → 250, "a hundred" → 100, "two thousand" → 2000, "3 dozen" → 36."""
    total, current = 0, 0
    for w in words:
        if w == "and":
            continue
        if w in ("hundred", "dozen"):
            current = max(current, 1) * (100 if w == "hundred" else 12)
        elif w == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        else:  # "a" is in UNITS as one
            n = parse_number(w)
            if n is None:
                return None
            current += n
    return total + current


def number_in(quote: str, value: int) -> tuple[int, int] | None:
    """The span, within `quote`, of its last word (or number of several words: "two hundred") that reads as
    `value` ("six" in "two of the six")."""
    for m in reversed(list(re.finditer(_COMPOUND, quote, re.I))):
        if parse_number(m.group(0)) == value:
            return m.start(), m.end()
    for m in reversed(list(re.finditer(r"[\w,-]+", quote))):
        if parse_number(m.group(0)) == value:
            return m.start(), m.end()
    return None


def singular(phrase: str) -> bool:
    """Whether an equipment phrase names one thing: its last word is no plural and no mass noun
    ("frigate", "Kilo-class submarine", "aircraft"; not "tanks", "equipment", "batch")."""
    words = phrase.split()
    if not words:
        return False
    last = words[-1].strip("\"“”()").lower()
    return bool(last) and not _MASS.search(last) and not (last.endswith("s") and not last.endswith("ss"))


def before(text: str, mention_start: int, floor: int = 0, phrase_end: int | None = None) -> Quantity | None:
    """The quantity modifying the phrase that starts at `mention_start`, if any. With `phrase_end`, an
    ordinal before a singular phrase ("the fifth frigate") counts one."""
    lo = max(floor, mention_start - 75)
    window = text[lo:mention_start]
    f = _FIRST_OF.search(window)
    if f and _mods_ok(" " + f.group("mods")):
        # "the first of four Yak-130s": one aircraft now, of four in all
        return Quantity(1, False, lo + f.start("which"), lo + f.end("which"), parse_number(f.group("n")))
    m = _TAIL.search(window)
    # "150 Humvees and two NASAMS": the leftmost number is another item's;
    # "the Block 15 aircraft", "Type 23 frigates or the two LPDs": a variant, not a count
    while m and (not _mods_ok(m.group("mods"))
                 or (m.group("num") and (VARIANT_WORD.search(window, 0, m.start("num")) or configuration(window, m.start("num"), m.end("num"))))):
        m = _TAIL.search(window, m.start() + 1)
    if m:
        hedged = bool(m.group("hedge"))
        s = lo + m.start()
        if hedged and m.group("hedge").strip().lower() == "over" and _PARTICLE_VERB.search(window, 0, m.start("hedge")):
            hedged = False  # "handed over three tanks": the verb's particle, not "more than"
            if not m.group("part"):
                s = lo + m.start("num")
        if m.group("num"):
            value = parse_number(m.group("num"))
            if value is None or value > 5000:
                return None
            if m.group("num").isdigit() and 1900 <= value <= 2100 and not m.group("mods").strip():
                return None  # "in 2019 helicopters" is a year
            total = None
            if m.group("part"):
                total, value = value, parse_number(m.group("part"))
            return Quantity(value, hedged, s, lo + m.end("num"), total)
        return Quantity(None, True, s, lo + m.end("vague"))
    m = _ARTICLE.search(window)
    if m and _COLLECTIVE.search(m.group("mods")):
        return None  # "a fresh batch of Yak-130s": how many is not said
    if m and _mods_ok(" " + m.group("mods")):
        return Quantity(1, False, lo + m.start(), lo + m.end("num"))
    o = _ORDINAL.search(window)
    if o and _COLLECTIVE.search(o.group("mods")):
        return None  # "the final batch of F-16 jets", "the second shipment of Mi-28 NE": one batch, not one item
    if o and phrase_end is not None and _mods_ok(" " + o.group("mods")) and singular(text[mention_start:phrase_end]):
        return Quantity(1, False, lo + o.start("num"), lo + o.end("num"))
    return None


# "4×4", "8x8", "6 x 6": a wheel configuration, whose numbers count no vehicles
_CONFIG_AFTER = re.compile(r"\s?[×xX*]\s?\d")
_CONFIG_BEFORE = re.compile(r"\d\s?[×xX*]\s?$")


def configuration(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is one side of a wheel configuration ("4×4", "6 x 6")."""
    return bool(_CONFIG_AFTER.match(text, end) or _CONFIG_BEFORE.search(text, 0, start))


def _mods_ok(mods: str) -> bool:
    words = mods.split()
    for i, w in enumerate(words):
        bare = w.strip("\"“”()")
        if not bare:
            continue
        if bare.lower() == "of" and i > 0 and words[i - 1].lower() in _OF_OK:
            continue
        if _BLOCK.match(bare):
            return False
        if re.fullmatch(r"[\d.,]+", bare):
            return False
        if bare.lower() not in ("a", "an", "another", "both") and parse_number(bare) is not None:
            return False  # "in 2022 added four K9s", "On 17 June ... delivered five": the nearer number counts
    return True


_AFTER = re.compile(r"[^.;]{0,40}?\b(?:comprises|comprising|comprised|consists of|consisting of|totals?|totalling|totaling|"
                    r"amounting to|numbering)\s+(?P<num>\d{1,4}|" + _WORD_NUM + r")\b(?:\s+(?:units|aircraft|jets|"
                    r"helicopters|vehicles|ships|vessels|systems))?", re.I)


# "... its C295 inventory, with the air force to receive another two of the type": the model
# named earlier in the sentence, counted later by an anaphor
_OF_TYPE = re.compile(r"[^.;]{0,120}?\b(?:another|a further|an additional|further|additional)\s+(?P<num>\d{1,3}|"
                      + _WORD_NUM + r")\s+(?:more\s+)?(?:of the type|examples|of the aircraft|of the model)\b", re.I)


def after(text: str, phrase_end: int) -> Quantity | None:
    """"Jakarta's total Rafale acquisition comprises 42 units": the count after the item."""
    m = _AFTER.match(text, phrase_end) or _OF_TYPE.match(text, phrase_end)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    return Quantity(value, False, m.start("num"), m.end("num"))
