"""How many of an item a sentence states, read off its dependency parse.

quantities.py reads the count in a window of words to the left of the mention, stopping at anything
that might open another phrase. That is safe but misses counts a reader sees at once: "24 U.S.-made
F-16 fighter jets" (the full stops of "U.S." end its window), "the procurement of 250 US-made Abrams
tanks", "49 of its aging M1A1 Abrams tanks". The parse says which number modifies which noun
whatever lies between them, so a decided claim whose sentence the rules gave no count gets the
number that the parse attaches to the head noun of its equipment phrase (``nummod``), or the number
whose "of" phrase the equipment is ("49 of its ... tanks").

A number can also stand for the items on its own, as the subject or object of the transfer verb
("has received 120 out of the 230 aircraft", "Four more will arrive"). That number counts this event
and overrides a count read off the item's noun, which may count a larger whole. And an order told
through its first unit ("the first of four vessels ordered by ...") counts the whole, as does an order
or a pledge whose verb modifies the counted noun ("the last of the four ships purchased from Germany"), and an
order told behind a delivery of the same mention counts the whole its own words give ("two jets, the first
batch of a total of six"), not the delivery's part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from armsledger.catalog import Catalog
from armsledger.categories import category_group
from armsledger.extract.parse import CLAUSE_HEADS, Parsed, governor, objects_of, token_of
from armsledger.extract.quantities import HEDGES, VARIANT_WORD, configuration, number_in, parse_number, singular
from armsledger.gazetteer import Gazetteer
from armsledger.models import Claim, Evidence

# how far up the noun phrase the head is looked for ("F-16" → "fighter" → "jets")
_PHRASE_DEPS = {"compound", "nmod", "amod", "nummod", "npadvmod"}
# a number that heads these is a partitive count: "49 of its tanks", "gave 49 of the tanks"
_PARTITIVE_DEPS = {"dobj", "nsubj", "nsubjpass", "pobj", "appos", "attr", "conj", "ROOT"}
# a number that is not a count of the item: money, shares and measures written with it
_NOT_COUNTS = {"%", "percent", "per", "million", "billion", "trillion", "bn", "mn", "m", "km", "kilometres",
               "kilometers", "miles", "metres", "meters", "tons", "tonnes", "t", "mm", "years", "year"}
_MONEY = set("$€£¥₹")


@dataclass(frozen=True)
class Count:
    value: int
    uncertain: bool
    start: int  # article offsets of the number
    end: int


def _number(tok) -> int | None:
    """The count a token states, or None for a year, an amount of money or a measure."""
    if not tok.like_num:
        return None
    value = parse_number(tok.text)
    if value is None or value <= 0 or value > 5000:
        return None
    if tok.text.isdigit() and 1900 <= value <= 2100:
        return None  # "the 2019 contract": a year
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if (nxt is not None and nxt.lower_ in _NOT_COUNTS) or (prev is not None and prev.text in _MONEY):
        return None
    if prev is not None and VARIANT_WORD.search(prev.text):
        return None  # "F-16 C/D Block 52 aircraft", "Type 23 frigates": a variant's number, not a count
    if nxt is not None and nxt.text == "-" and tok.i + 2 < len(tok.doc):
        return None  # "122-mm", "90-metre", "3-ton": a measure written onto the noun
    if configuration(tok.doc.text, tok.idx, tok.idx + len(tok.text)):
        return None  # "6 x 6 armoured vehicles": a wheel configuration
    return value


def _nummods(noun) -> list:
    """The numbers that count a noun directly ("24" in "24 aircraft"), not years, money or measures."""
    return [m for m in noun.children if m.dep_ == "nummod" and _number(m) is not None]


def _hedged(tok) -> bool:
    """"about 30", "more than 400", "up to 12": the words the parse hangs on the number make it approximate
    (not the particle of "hand over 12", which belongs to the verb)."""
    words = " ".join(t.lower_ for t in tok.subtree if t.i < tok.i)
    return any(words == h or words.endswith(" " + h) for h in HEDGES)


def head_noun(tok):
    """The head noun of the phrase a mention belongs to ("F-16" in "24 U.S.-made F-16 fighter jets" → "jets")."""
    seen = 0
    while tok.dep_ in _PHRASE_DEPS and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN") and seen < 6:
        tok = tok.head
        seen += 1
    return tok


def _premodifiers(head) -> list:
    """The head noun and the words that modify it from the left ("24 U.S.-made F-16 fighter jets": the
    parser may hang "24" on "U.S.-made" rather than on "jets"); not words inside a prepositional phrase."""
    out, todo = [], [head]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(ch for ch in t.children if ch.i < head.i and ch.dep_ in _PHRASE_DEPS)
    return out


def count_in_parse(c: Claim, parsed: Parsed | None) -> Count | None:
    """The count the parse attaches to the claim's equipment phrase, if it states exactly one."""
    tok = token_of(parsed, c.evidence.get("designation"))
    if tok is None:
        return None
    head = head_noun(tok)
    nums = _phrase_numbers(head)
    if not nums and head.dep_ == "pobj" and head.head.lower_ == "of":
        owner = head.head.head
        if owner.dep_ in _PARTITIVE_DEPS and owner.i < head.i and _number(owner) is not None:
            nums = [owner]
    if len(nums) != 1:
        return None  # none, or several ("eight Hueys and eight MD-500s" parsed onto one noun): say nothing
    return _count(nums[0], parsed)


def _phrase_numbers(head) -> list:
    """The numbers that count a head noun's phrase from the left ("24" in "24 U.S.-made F-16 fighter jets")."""
    return [ch for m in _premodifiers(head) for ch in m.children
            if ch.dep_ == "nummod" and ch.i < head.i and _number(ch) is not None]


def mention_count(tok) -> int | None:
    """The count the parse attaches to a mention's noun phrase when it states exactly one ("36" for "Rafale" in
    "36 Rafale jets"): two mentions of one type counted differently are two batches."""
    nums = _phrase_numbers(head_noun(tok))
    return _number(nums[0]) if len(nums) == 1 else None


def _count(n, parsed: Parsed) -> Count:
    """The count a number token states, quoted with its hedge ("more than 400", quoted whole)."""
    hedged = _hedged(n)
    first = min(t.idx for t in n.subtree if t.i <= n.i) if hedged else n.idx
    return Count(_number(n), hedged, parsed.start + first, parsed.start + n.idx + len(n.text))


# the arguments of a transfer verb that say how many: "received 120 out of the 230", "Four more will
# arrive", "24 of these helicopters are being procured", "has received only eight"
_ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass"}
DEALS = {"contract", "agreement", "deal", "order", "accord"}


def count_of_verb(c: Claim, parsed: Parsed | None) -> Count | None:
    """The count that is itself an argument of the claim's transfer verb, a number standing for the
    items it counts ("India has received 120 out of the 230 aircraft it ordered": 120, not the 230 that
    modifies "aircraft"). The verb's own argument says how many this event moved; a number that
    modifies the item's noun may count a larger whole."""
    verb = token_of(parsed, c.evidence.get("stage"))
    if verb is None:
        return None
    if verb.pos_ in ("VERB", "AUX"):
        verbs = [verb]
        if verb.dep_ == "xcomp":  # "Two of the aircraft were expected to be delivered": the subject is above
            verbs.append(verb.head)
        deals = [ch for ch in verb.children if ch.dep_ == "dobj"]
    else:
        verbs, deals = [], [verb]
    # the deal's purpose: "signed an agreement to procure 36 of these aircraft", "a contract to supply 16"
    verbs += [ch for d in deals for ch in d.children if ch.dep_ == "acl" and ch.pos_ == "VERB"]
    if verb.pos_ in ("VERB", "AUX") and any(d.lemma_.lower() in DEALS for d in deals):
        # "signed a contract with France to buy 18 of the fighters": the parser hangs the purpose on the verb
        verbs += [ch for ch in verb.children if ch.dep_ in ("advcl", "xcomp") and ch.pos_ == "VERB"
                  and any(a.dep_ == "aux" and a.lower_ == "to" for a in ch.children)]
    nums = [ch for v in verbs for ch in v.children
            if ch.dep_ in _ARGUMENT_DEPS and ch.pos_ == "NUM" and _number(ch) is not None]
    if not nums and verb.pos_ in ("VERB", "AUX") and c.stage in ("ordered", "pledged"):
        nums = _count_modified(verb)
    if len(nums) != 1:
        return None
    return _count(nums[0], parsed)


# "the first of four boats", "the last of the six ships": the unit told of, and the whole it belongs to
_UNITS = {"first", "last", "second", "third", "fourth", "fifth", "final", "latest", "next"}


def _count_modified(verb) -> list:
    """The count of the noun that the transfer verb modifies as a participle or a relative clause: "the
    four ships purchased through the fund", "36 fighter jets bought from Sweden", "108 tanks and related
    equipment that the government approved to sell". The verb tells of those items, so their count is
    the order's or the pledge's, also where a unit of them is the news ("the last of the four ships
    purchased", "the first of four boats to be gifted")."""
    v = verb
    while v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX"):
        v = v.head  # "that the government approved to sell"
    if v.dep_ not in ("acl", "relcl"):
        return []
    noun = v.head
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head  # "108 tanks and related equipment that ..."
    if noun.lower_ in _UNITS:  # "the first of four boats to be gifted": the parser hangs the verb on "first"
        noun = next(iter(objects_of(noun, "of")), noun)
    if noun.pos_ == "NUM":
        return [noun] if _number(noun) is not None else []
    return _nummods(noun)


def fill_counts(claims: list[Claim], parsed: dict[int, Parsed]) -> None:
    """Give each transfer claim the count its verb takes as an argument, else, if it has no count, the
    one the parse attaches to its equipment phrase; each with its quote."""
    for c in claims:
        ev = c.evidence.get("sentence")
        if c.kind != "transfer" or ev is None or c.category is None:
            continue  # (a phrase of no category, "four similar deliveries", counts events, not equipment)
        if _year_read_as_count(c, ev):
            c.quantity, c.uncertain = None, False
            del c.evidence["quantity"]
        n = count_of_verb(c, parsed.get(ev.start))
        if n is None and (c.quantity is not None or c.uncertain):
            continue
        n = n or count_in_parse(c, parsed.get(ev.start))
        if n is None:
            continue
        c.quantity, c.uncertain = n.value, n.uncertain
        c.evidence["quantity"] = Evidence(n.start, n.end, ev.quote[n.start - ev.start:n.end - ev.start])
        c.notes["quantity_from"] = "parse"
    for c in claims:
        whole_order(c)
        p = parsed.get(c.evidence["sentence"].start) if "sentence" in c.evidence else None
        running_total(c, p, claims)
        background_order(c, p, claims)


# words before a year that make it a time ("In 2022 Chile acquired K9 howitzers": the rules' window reads 2022
# as the count of the K9s)
_BEFORE_YEAR = re.compile(r"\b(?:in|since|by|until|till|from|of|during|early|late|mid|mid-|around|before|after)\s*$", re.I)


def _year_read_as_count(c: Claim, sentence: Evidence) -> bool:
    """The rules' count is a year after "in", "since", "by"...: a time, not how many."""
    q = c.evidence.get("quantity")
    if q is None or c.quantity is None or not q.quote.isdigit() or len(q.quote) != 4 or not 1900 <= c.quantity <= 2100:
        return False
    return bool(_BEFORE_YEAR.search(sentence.quote[:max(0, q.start - sentence.start)]))


def whole_order(c: Claim) -> None:
    """An order or a pledge counts the whole that a first unit or tranche is told of: "launched the first
    of four patrol vessels ordered by Peru" orders four, "two of the 12 helicopters Mali bought" buys
    twelve (guidelines: the order, its deliveries and what remains are separate records)."""
    total, q, ev = c.terms.get("total"), c.evidence.get("quantity"), c.evidence.get("sentence")
    if c.kind != "transfer" or c.stage not in ("ordered", "pledged") or not isinstance(total, int) \
            or q is None or ev is None or c.quantity == total or not (ev.start <= q.start and q.end <= ev.end):
        return  # (a count taken over from another sentence is not re-read here)
    item = c.evidence.get("designation")
    stop = item.start if item is not None and item.start > q.start else q.end
    lo = q.start - ev.start
    span = number_in(ev.quote[lo:max(stop, q.end) - ev.start], total)  # the total, written before the item
    if span is None:
        return
    s, e = ev.start + lo + span[0], ev.start + lo + span[1]
    c.quantity, c.uncertain = total, False
    c.evidence["quantity"] = Evidence(s, e, ev.quote[s - ev.start:e - ev.start])
    c.notes["quantity_from"] = "order total"


# nouns for a part of a whole: "the first batch of 36", "the first of a total of six"
_PARTS = {"batch", "tranche", "consignment", "shipment", "lot", "group", "installment", "instalment", "first"}
_FIRST = {"first", "initial"}
# words that make a number an increment, not a whole: "to send 10 more"
_INCREMENTS = {"more", "additional", "further", "extra", "other", "others"}


def background_order(c: Claim, parsed: Parsed | None, others: list[Claim] = ()) -> None:
    """An order told as the background of a delivery in the same sentence, of the delivery's own mention of the
    item, counts the whole the sentence gives for it, not the delivery's part (guidelines: the order, its
    deliveries and what remains are separate records): "received 36 tanks as part of an agreement signed last
    year for a total of 73", "six F-15s ..., the first batch of 36 it agreed to buy", "a second consignment ...
    as part of a deal to provide 320", "two jets, the first batch of a total of six aircraft to be delivered
    under a contract". Only an order with no count of its own (none, or the delivery's), whose own words do not
    hold the item, and only one whole, not hedged and not below the delivery's count (`_wholes`)."""
    ev, item_ev = c.evidence.get("sentence"), c.evidence.get("designation")
    if c.kind != "transfer" or c.stage != "ordered" or ev is None or item_ev is None or parsed is None:
        return
    told = [o for o in others if o is not c and o.kind == "transfer" and o.stage in ("delivered", "expected")
            and o.evidence.get("sentence") == ev and o.evidence.get("designation") == item_ev]
    if not told or (c.quantity is not None and all(c.quantity != o.quantity for o in told)):
        return
    order, item = token_of(parsed, c.evidence.get("stage")), token_of(parsed, item_ev)
    if order is None or item is None or any(t.i == item.i for t in order.subtree):
        return  # "placed an order for 83 jets, ... a total of 180": the order's words hold its own count
    verbs = {order.i} | {t.i for t in (token_of(parsed, o.evidence.get("stage")) for o in told) if t is not None}
    wholes = {n.i: n for n in _wholes(c, parsed, order, verbs)}
    if len(wholes) != 1:
        return
    n = _count(next(iter(wholes.values())), parsed)
    if n.uncertain or any(o.quantity is not None and n.value <= o.quantity for o in told):
        return
    c.quantity, c.uncertain = n.value, False
    c.evidence["quantity"] = Evidence(n.start, n.end, ev.quote[n.start - ev.start:n.end - ev.start])
    c.notes["quantity_from"] = "order total"


def _wholes(c: Claim, parsed: Parsed, order, verbs: set[int]) -> list:
    """The numbers a sentence gives as the whole of an order, in the order's words or the delivery's clause: the
    count a deal is for ("an agreement signed last year for a total of 73 T-90s", "part of the 2019 deal for
    six", "a contract for the delivery of 24 aircraft"), what a deal's purpose verb moves ("a deal to provide
    320"), or the whole that "the first" part is of ("the first batch of 36 it agreed to buy", "the first batch of
    a total of six aircraft"). Not a tally ("bringing its fleet to a total of 84"), a later part ("the next batch of
    12"), a part's own size ("in a first batch of five"), a count of something else ("a deal for 12 helicopters"
    with Rafale jets, "the two countries"), an increment ("to send 10 more"), an option ("an option for 12"), a
    number of another clause ("which has exported 300") or of one of two deals."""
    held = {t.i for t in order.subtree}
    here = [t for t in parsed.doc if t.i in held or _clause_verb(t, verbs)]
    deals = [t for t in here if t.lemma_.lower() in DEALS and t.pos_ == "NOUN"]
    out = []
    if len(deals) == 1:
        out += _deal_count(deals[0], c, parsed)
    out += [n for t in here if t.lemma_.lower() == "total" and not _tally(t) for n in _of_count(t, c, parsed)]
    seen = {t.i for t in here}
    for part in (t for t in parsed.doc if _first_part(t) and not any(ch.lower_ == "out" for ch in t.children)):
        for t in objects_of(part, "of"):
            if t.lemma_.lower() == "total" and t.i not in seen:
                out += _of_count(t, c, parsed)  # "the first batch of a total of six aircraft"
            elif _number(t) is not None and not _increment(t) and not any(ch.dep_ == "prep" for ch in t.children):
                # "the first batch of 36"; not "of five jets" (the batch's own size) nor "of 38 out of 108"
                out.append(t)
    return out


def _of_count(noun, c: Claim, parsed: Parsed) -> list:
    """The count in a noun's "of" phrase, a bare number or one counting the claim's item: "a total of six", "a
    total of 73 T-90s", "the delivery of 24 aircraft"."""
    return [n for p in objects_of(noun, "of") for n in _counted(p, c, parsed)]


def _counted(p, c: Claim, parsed: Parsed) -> list:
    """A phrase as a count of the claim's item: a bare number ("for eight"), or the number a noun of the item's
    kind carries ("for 18 aircraft"); none for an increment or another item."""
    if _number(p) is not None:
        return [] if _increment(p) else [p]
    if _of_the_item(p, c, parsed):
        return _nummods(p)
    return []


def _increment(num) -> bool:
    """"10 more", "another 12": a number of further items, not a whole."""
    return any(w.lower_ in _INCREMENTS for w in (num.head, *num.children))


# what a deal is "for the ... of": "a contract for the delivery of 24 aircraft"
_DEAL_OF = {"delivery", "supply", "purchase", "procurement", "acquisition", "sale", "transfer", "provision"}


def _deal_count(deal, c: Claim, parsed: Parsed) -> list:
    """The count a deal noun is for, or that its purpose verb moves: "the deal for eight", "a contract for 18
    aircraft", "a contract for the delivery of 24 aircraft", "a deal to provide 320"; none for something other
    than the claim's item."""
    out = []
    hosts = [deal]
    if deal.dep_ == "pobj" and deal.head.dep_ == "prep":
        hosts.append(deal.head.head)  # "ordered under a deal for 24": the parser hangs "for" on the verb
    for p in (q for h in hosts for q in objects_of(h, "for")):
        out += _of_count(p, c, parsed) if p.lemma_.lower() in _DEAL_OF | {"total"} else _counted(p, c, parsed)
    # "a deal to provide 320" (or, as the parser may hang it, "ordered under a deal to provide 320")
    for v in (v for h in hosts for v in h.children):
        if v.dep_ in ("acl", "relcl", "xcomp", "advcl") and v.pos_ == "VERB" and (
                v.dep_ in ("acl", "relcl") or any(a.dep_ == "aux" and a.lower_ == "to" for a in v.children)):
            out += [n for n in v.children if n.dep_ == "dobj" and _number(n) is not None and not _increment(n)]
    return out


# the umbrella noun "aircraft" counts helicopters and drones as well as planes
_AIRCRAFT = {"aircraft", "helicopter", "uav"}


def _of_the_item(noun, c: Claim, parsed: Parsed) -> bool:
    """A noun that can count the claim's item: the item itself, or a kind of item of the item's own kind naming
    no other model ("eight aircraft" for Rafale jets or Z-9 helicopters); not another model or kind ("46 Mi-17
    helicopters" or "12 radars" for a Rafale order), an increment ("10 more") nor anything that is no item ("the
    two countries", "20 months")."""
    if noun.lower_ in _INCREMENTS:
        return False
    if _counts_the_item(noun, c, parsed):
        return True
    words = [t.text for t in noun.lefts if t.dep_ in ("compound", "nmod", "amod", "nummod") and _number(t) is None]
    found = Catalog.default().resolve(" ".join(words + [noun.text]))
    if found is None or found.family not in (None, c.family):
        return False
    own, kind = category_group(c.category), category_group(found.category)
    return kind == own or (found.category == "aircraft" and own in _AIRCRAFT)


def _first_part(noun) -> bool:
    """"the first batch", "the initial tranche", "the first" (used as a noun): the first part of a whole."""
    if noun.lemma_.lower() not in _PARTS or not any(d.dep_ == "det" and d.lower_ == "the" for d in noun.children):
        return False
    return noun.lower_ in _FIRST or any(m.dep_ == "amod" and m.lower_ in _FIRST for m in noun.children)


# words that make a total a tally of what a force has or got, not an order: "a total of 54 now in service", "for a
# total of 18 delivered so far"
_HELD = {"service", "fleet", "inventory", "operation", "far", "date", "deliver", "receive", "operate", "induct"}


def _tally(tok) -> bool:
    """A number or a total that is the new value of a tally ("to a total of 84", "at 14", "for a total of 18
    delivered so far", "a total of 54 now in service"), not a whole ordered."""
    up = [tok.head, tok.head.head, tok.head.head.head]
    if any((t.lower_ in ("to", "at") and t.dep_ == "prep") or t.lemma_.lower() in _RAISES for t in up):
        return True
    if tok.lemma_.lower() != "total":
        return False
    stack = list(tok.children)
    while stack:  # the total's own phrase, not a relative clause in it ("the air force, which operates 48 F-16s")
        t = stack.pop()
        if t.dep_ == "relcl":
            continue
        if t.lemma_.lower() in _HELD:
            return True
        stack.extend(t.children)
    return False


def _clause_verb(tok, verbs: set[int]) -> bool:
    """The verb whose clause holds the token is one of `verbs` (or the sentence has none above it): the token is
    told in their clause."""
    g = governor(tok)
    return g.i in verbs or g.pos_ not in CLAUSE_HEADS


# "raising its fleet of the type to 10", "puts the total at 14", "bringing its fleet to nine":
# a verb of raising whose object is a tally, with the tally's new value after "to" or "at"
_RAISES = {"take", "bring", "raise", "increase", "boost", "put", "lift", "push", "swell", "expand"}
_TALLIES = {"number", "total", "fleet", "inventory", "tally", "count", "strength", "holding", "holdings"}
_SAME_KIND = {"such", "these", "those", "this", "type", "kind", "model", "it", "them"}
_PRONOUNS = {"its", "their", "his", "her"}


def _counts_the_item(noun, c: Claim, parsed: Parsed, unit: bool = False) -> bool:
    """Whether a noun a tally counts is the claim's item: (part of) the claim's designation, a noun marked as the
    same kind ("such jets", "the type"), or a name of the claim's own family ("the number of Bradleys").
    A bare category noun counts a wider group ("the number of aircraft in the air force" is not the number of
    Gripens) unless the claim names no model, or it is only the unit of a tally already of the recipient's
    (`unit`: "lifting its fleet to 24 aircraft")."""
    d = c.evidence.get("designation")
    if d is not None and any(d.start <= parsed.start + t.idx < d.end for t in noun.subtree):
        return True
    if noun.lemma_.lower() in _SAME_KIND or any(t.lower_ in _SAME_KIND for t in noun.lefts):
        return True
    phrase = " ".join(t.text for t in noun.lefts if t.dep_ == "compound") + " " + noun.text
    found = Catalog.default().resolve(phrase.strip())
    if found is None:
        return False
    if found.family is not None or (c.family is not None and not unit):
        return found.family is not None and found.family == c.family
    return category_group(found.category) == category_group(c.category)


def _whose(tally, c: Claim) -> bool:
    """A tally's possessor, if it names one, is the claim's recipient ("Moldova's total" is not Ukraine's)."""
    poss = [ch for ch in tally.children if ch.dep_ == "poss"]
    if not poss or poss[0].lower_ in _PRONOUNS:
        return True
    return c.recipient in Gazetteer.default().codes_in(" ".join(t.text for t in poss[0].subtree).removesuffix(" 's"))


def _running_totals(c: Claim, parsed: Parsed) -> list:
    """The numbers the claim's sentence gives as the new value of a tally of its item and recipient ("taking the
    number of F-16s to 12": 12; "lifting its fleet to 24 aircraft": 24)."""
    out = []
    for v in parsed.doc:
        tallies = [ch for ch in v.children if ch.dep_ == "dobj" and ch.lemma_.lower() in _TALLIES]
        if v.lemma_.lower() not in _RAISES or not tallies or not _whose(tallies[0], c):
            continue
        counted = objects_of(tallies[0], "of")
        if counted and not _counts_the_item(counted[0], c, parsed):
            continue
        for n in objects_of(v, "to", "at"):
            if _number(n) is not None:
                out.append(n)
            elif _counts_the_item(n, c, parsed, unit=True):  # "to 24 aircraft"
                out += _nummods(n)
    return out


def running_total(c: Claim, parsed: Parsed | None, others: list[Claim] = ()) -> None:
    """A delivery told with the running total it brings the recipient to carries that total ("received six new
    F-16s, raising its fleet of the type to 10": 10, quoted there). The guidelines: when an article gives a
    running total of deliveries, the delivered record carries the running total, dated at the latest delivery
    (the claim's own date stays). Only a total of the claim's item and recipient in its own sentence, one only,
    not below its count, never a hedged total for a stated count, and not where the sentence tells other
    transfers (`others`: "ten to Ukraine and five to Moldova, bringing Moldova's total to 15")."""
    ev = c.evidence.get("sentence")
    if c.kind != "transfer" or c.stage != "delivered" or ev is None or parsed is None:
        return
    if any(o is not c and o.kind == "transfer" and o.evidence.get("sentence") == ev for o in others):
        return
    totals = _running_totals(c, parsed)
    if len(totals) != 1:
        return
    n = _count(totals[0], parsed)
    if c.quantity is not None and (c.uncertain or n.uncertain or n.value <= c.quantity):
        return
    c.quantity, c.uncertain = n.value, n.uncertain
    c.evidence["quantity"] = Evidence(n.start, n.end, ev.quote[n.start - ev.start:n.end - ev.start])
    c.notes["quantity_from"] = "running total"


# a noun that is plural as well as singular ("the aircraft were delivered"), or a mass noun
_BOTH_NUMBERS = re.compile(r"(?:aircraft|craft|materiel|equipment|hardware|artillery|weaponry|ammunition)$", re.I)
_ONE = {"the", "this", "that", "a", "an"}


def fill_singular(claims: list[Claim], parsed: dict[int, Parsed]) -> None:
    """A transfer of one unnamed unit told in the singular ("the vessel was handed over to Ghana", "Peru received
    a new frigate") counts one: the text states the number by the noun's form. Only a category noun (a model's
    name in the singular names the type, "Patriot" or "Archer", not one unit), only when the parse makes it the
    head of its phrase ("the missile shipments" count shipments) with a determiner of its own; the quote is the
    phrase from the determiner."""
    for c in claims:
        d, ev = c.evidence.get("designation"), c.evidence.get("sentence")
        if c.kind != "transfer" or c.quantity is not None or c.uncertain or c.family is not None \
                or c.category is None or d is None or ev is None or "antecedent" in c.notes:
            continue
        if not singular(d.quote) or _BOTH_NUMBERS.search(d.quote):
            continue
        sentence = parsed.get(ev.start)
        tok = token_of(sentence, d)
        if tok is None or head_noun(tok) is not tok or tok.tag_ in ("NNS", "NNPS"):
            continue
        det = next((ch for ch in tok.children if ch.dep_ == "det" and ch.lower_ in _ONE), None)
        s = sentence.start + det.idx if det is not None else None
        if s is None or not (ev.start <= s < d.start):
            continue
        c.quantity, c.uncertain = 1, False
        c.evidence["quantity"] = Evidence(s, d.end, ev.quote[s - ev.start:d.end - ev.start])
        c.notes["quantity_from"] = "singular"


_PART = re.compile(r"\b(?:remaining|rest|other|others|first|last|next|second|third|final|further|more|additional|"
                   r"new|newer|latest|some|several|few|many|most|any|each|such)\b", re.I)


def fill_from_antecedent(decided: list[Claim], candidates: list[Claim]) -> None:
    """A claim about "the planes" that the rules named after the model told before ("bought 21 MiG-29s
    ... The planes had been shipped") and that states no count of its own takes the antecedent's count,
    quoted where the antecedent states it: the count of an order or a pledge (the whole deal), or of a
    claim of the same stage; not a delivered tranche's count for its order."""
    counted = {}
    for c in candidates:
        d, q = c.evidence.get("designation"), c.evidence.get("quantity")
        if c.quantity is not None and not c.uncertain and d is not None and q is not None and "antecedent" not in c.notes:
            counted.setdefault((d.start, d.end), c)
    for c in decided:
        d = c.evidence.get("designation")
        if c.kind != "transfer" or "antecedent" not in c.notes or c.quantity is not None or c.uncertain or d is None:
            continue
        words = str(c.notes["antecedent"])
        if _PART.search(words) or any(ch.isdigit() for ch in words):
            continue  # "the remaining tanks", "the other helicopters": not the whole that was counted
        src = counted.get((d.start, d.end))
        if src is None or not (src.stage in ("ordered", "pledged") or src.stage == c.stage):
            continue  # a delivery counts one tranche, not the order it belongs to ("two ... arrived. The helicopters had been purchased under ...")
        c.quantity, c.uncertain = src.quantity, False
        c.evidence["quantity"] = src.evidence["quantity"]
        c.notes["quantity_from"] = "antecedent"
