"""One event told twice: the document-level decision whether two claims are the same transfer.

News tells a deal in its lead and again in a detail paragraph, or names a model and then its
variant; it also tells tranches of one order, which are separate records (guidelines §4). Two
decided claims with the same stage, parties and a related item are a *pair*; whether a pair is one
event is learned from the corpus (the model's ``same`` part, trained in train.py: a pair is one
event when at most one of its claims can stand for a distinct gold record). Models trained before
this decision existed have no ``same`` part and fall back to the rule: fold when nothing disagrees.
"""
from __future__ import annotations

import re
from typing import Callable

from armsledger.categories import category_group
from armsledger.extract.counts import head_noun
from armsledger.extract.parse import Parsed, claim_token
from armsledger.models import Claim, Evidence

PART = "same"
SAME_AT = 0.5  # fold a pair when the model finds one event more likely than two


def item(c: Claim) -> str:
    """What a claim is about: its catalog family, else its category and designation."""
    if c.family:
        return c.family
    return (category_group(c.category) or "") + "|" + core(c.designation)


def core(s: str | None) -> str:
    """A name reduced to its letters and digits, lower-cased: "K-9A1" and "k9a1" are one."""
    return "".join(ch for ch in (s or "").lower() if ch.isalnum())


def related(a: Claim, b: Claim) -> bool:
    """Could the two be about one item: the same family, one designation inside the other ("K9" and
    "K9A1"), or one generic noun of the other's category ("the jets" and "Rafale")."""
    if item(a) == item(b):
        return True
    ca, cb = core(a.designation), core(b.designation)
    if ca and cb and (ca in cb or cb in ca):
        return True
    ga, gb = category_group(a.category), category_group(b.category)
    return ga is not None and ga == gb and not (a.family and b.family)


def paired(a: Claim, b: Claim, dates_may_differ: bool = False) -> bool:
    """A pair the decision weighs: two transfers of one stage between the same parties, about a related
    item, that state no two numbers and (for the rule) no two dates. A second number starts a tranche
    (guidelines §4), and so do two different days: each names its own handover or signing. Two other
    different dates (years, months, a day against another month or year) may be tranches too ("six in
    2023 and six more in 2024"), or one event told twice, once loosely (an order "agreed in 2022" and
    "signed in March 2023"): the learned decision weighs such pairs (`dates_may_differ`), the rule keeps
    them apart."""
    if not (a.kind == b.kind == "transfer" and a.stage == b.stage and a.supplier == b.supplier
            and a.recipient == b.recipient and related(a, b)):
        return False
    if dates_may_differ:
        return same_number(a, b) and not two_days(a, b)
    return compatible(a, b)


def two_days(a: Claim, b: Claim) -> bool:
    """Both claims state a day, and not the same one."""
    da, db = stated_date(a), stated_date(b)
    return bool(da and db and len(da) == len(db) == 10 and da != db)


def same_number(a: Claim, b: Claim) -> bool:
    """The two claims do not state two different numbers."""
    return a.quantity is None or b.quantity is None or a.quantity == b.quantity


def stated_date(c: Claim) -> str | None:
    """The date the claim's own text states (not one read off the publication day)."""
    return c.date if c.notes.get("date_source") != "published" else None


def _nested(da: str, db: str) -> bool:
    """One date lies within the other ("2023" and "2023-05"): not two dates."""
    return da.startswith(db) or db.startswith(da)


def compatible(a: Claim, b: Claim) -> bool:
    """The rule's test for one event: no different number, no different date."""
    if not same_number(a, b):
        return False
    da, db = stated_date(a), stated_date(b)
    return not (da and db and not _nested(da, db))


def _quantity_relation(a: Claim, b: Claim) -> str:
    if a.quantity is None and b.quantity is None:
        return "none"
    if a.quantity is None or b.quantity is None:
        return "one"
    return "equal"  # paired claims never state two numbers


def _date_relation(a: Claim, b: Claim) -> str:
    da, db = stated_date(a), stated_date(b)
    if not da and not db:
        return "none"
    if not da or not db:  # one date stated: is the other claim dated by the news itself?
        other = b if da else a
        return "one|news" if other.notes.get("date_source") == "published" else "one|undated"
    if da == db:
        return "equal"
    return "nested" if _nested(da, db) else "differs"


def sentence_gap(a: Claim, b: Claim) -> str:
    """Where two claims' sentences stand: the "same", "near" (under 400 characters apart), "far" or "unknown"."""
    ea, eb = a.evidence.get("sentence"), b.evidence.get("sentence")
    if ea is None or eb is None:
        return "unknown"
    if ea.start == eb.start:
        return "same"
    return "near" if abs(ea.start - eb.start) < 400 else "far"


def pair_features(a: Claim, b: Claim) -> list[str]:
    """Symmetric facts about a pair: how their numbers (never two: `paired`), dates, items and sentences
    relate; conjoined with the stage, since two dates of one order are often its agreement and its
    signing, and two dates of deliveries its tranches."""
    q, d = _quantity_relation(a, b), _date_relation(a, b)
    sec = sum(1 for c in (a, b) if c.notes.get("secondary"))
    return [f"stage={a.stage}", f"q={q}", f"d={d}", f"q={q}|d={d}", f"stage={a.stage}|q={q}",
            f"stage={a.stage}|d={d}", f"sent={sentence_gap(a, b)}", f"secondary={sec}",
            "item=same" if item(a) == item(b) else "item=related",
            "generic=%d" % sum(1 for c in (a, b) if not c.family)]


def take_quote(twin: Claim, c: Claim, key: str) -> None:
    """The twin's quote for `key` becomes the repeat's, whose value it took (none if the repeat has none): a
    quote must back the value the claim holds, not the one it held before."""
    if key in c.evidence:
        twin.evidence[key] = c.evidence[key]
    else:
        twin.evidence.pop(key, None)


def absorb(twin: Claim, c: Claim) -> None:
    """The kept claim takes what only its repeat states, each value with its quote: the model ("the howitzers"
    told again as "K9"), a number, a date."""
    if not twin.family and c.family:
        twin.designation, twin.family, twin.category = c.designation, c.family, c.category
        twin.maker = twin.maker or c.maker
        take_quote(twin, c, "designation")
    if twin.quantity is None and c.quantity is not None:
        twin.quantity, twin.uncertain = c.quantity, c.uncertain
        take_quote(twin, c, "quantity")
    if stated_date(twin) is None and stated_date(c) is not None:
        twin.date, twin.granularity, twin.date_text = c.date, c.granularity, c.date_text
        twin.date_unresolved = False
        twin.notes.pop("date_source", None)
        take_quote(twin, c, "date")


def fold(claims: list[Claim], same: Callable[[Claim, Claim], float] | None = None) -> list[Claim]:
    """Claims with each repeat folded into the more confident claim it repeats, in article order.

    `same(a, b)`: the probability that a pair is one event; None uses the rule (`compatible`) and
    considers only pairs about the same item."""
    out: list[Claim] = []
    for c in sorted(claims, key=lambda x: -(getattr(x, "confidence", None) or 0)):
        if same is None:
            twin = next((o for o in out if paired(o, c) and item(o) == item(c)), None)
        else:
            scored = [(same(o, c), n) for n, o in enumerate(out) if paired(o, c, dates_may_differ=True)]
            best = max(scored, key=lambda t: (t[0], -t[1]), default=(0.0, -1))
            twin = out[best[1]] if best[0] >= SAME_AT else None
        if twin is None:
            out.append(c)
        else:
            absorb(twin, c)
    order = {id(c): n for n, c in enumerate(claims)}
    return sorted(out, key=lambda c: order[id(c)])


# nouns that name a variant of an item: "of the K9PL version", "of the latest modification M1A2"
_VARIANT_NOUNS = r"(?:version|variant|modification|configuration|standard|type|model|block|series)"
# the item's own "of" / "in" phrase up to the variant's name: "tanks of the latest modification ", " in the "
_OF_PHRASE = r"(?:\s+[\w-]+){0,2}?\s+(?:of|in)\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}?"
_VARIANT_BEFORE = re.compile(_OF_PHRASE + _VARIANT_NOUNS + r"s?\s+", re.I)
_VARIANT_AFTER = (re.compile(_OF_PHRASE, re.I), re.compile(r"\s+" + _VARIANT_NOUNS + r"\b", re.I))
# what may follow a name that ends its noun phrase
_PHRASE_END = re.compile(r"\s*(?:[,.;:)\]–—-]|$)|\s+(?:from|to|for|in|on|at|by|with|and|or|under|as|which|that|who|"
                         r"was|were|is|are|has|have|had|will|would|into|over|since|after|before|worth)\b", re.I)


def _one_transfer(a: Claim, b: Claim) -> bool:
    """One stage, one pair of parties, one kind of item, no two numbers."""
    ga, gb = category_group(a.category), category_group(b.category)
    return _same_move(a, b) and (ga is None or gb is None or ga == gb)


def _same_move(a: Claim, b: Claim) -> bool:
    """One stage, one pair of parties, no two numbers (whatever the items)."""
    return a.stage == b.stage and a.supplier == b.supplier and a.recipient == b.recipient and same_number(a, b)


def _variant_end(a: Claim, b: Claim) -> int | None:
    """Where the variant's name ends when b's item is the variant a's item is "of" ("howitzers of the K9PL
    version", "tanks of the latest modification M1A2 SEPv3"), else None: the two are one item."""
    spans = _spans(a, b)
    if spans is None:
        return None
    between, after, eb = spans
    if re.search(r"\bsame\b", between, re.I):
        return None  # "in the same configuration K2 tanks were ordered in": another item compared
    if _VARIANT_BEFORE.fullmatch(between):
        end = eb.end
    else:
        m = _VARIANT_AFTER[1].match(after)
        if not (_VARIANT_AFTER[0].fullmatch(between) and m):
            return None
        end = eb.end + m.end()
    # the variant's name ends the phrase: not "of the type K2 tanks were ordered in"
    return end if _PHRASE_END.match(after[end - eb.end:]) else None


def _spans(a: Claim, b: Claim) -> tuple[str, str, Evidence] | None:
    """The text between a's item and b's when b's follows it in one sentence, the text after b's, and b's quote."""
    ea, eb, sent = a.evidence.get("designation"), b.evidence.get("designation"), a.evidence.get("sentence")
    if ea is None or eb is None or sent is None or sent != b.evidence.get("sentence"):
        return None
    if not (sent.start <= ea.start and ea.end <= eb.start and eb.end < sent.end):
        return None
    return sent.quote[ea.end - sent.start:eb.start - sent.start], sent.quote[eb.end - sent.start:], eb


def _abbreviation_end(a: Claim, b: Claim) -> int | None:
    """Where the bracket closes when b's item is written in brackets right after a's ("Unmanned Combat Aerial
    Vehicles (UCAV)", "the Multiple Launch Rocket System (MLRS)"), else None; not "(UCAV, also known as ...)"."""
    spans = _spans(a, b)
    if spans is None:
        return None
    between, after, eb = spans
    if between.strip() != "(" or not after.lstrip().startswith(")"):
        return None
    return eb.end + after.index(")") + 1


def fold_abbreviations(claims: list[Claim]) -> list[Claim]:
    """A name and its abbreviation in brackets are one item told once: the bracketed claim, when the two are a
    pair (`paired`: one stage and pair of parties, a related item, nothing that disagrees; "Patriot (IRIS-T)"
    names two), is folded into the name's, which takes what only it states and quotes the name with its
    bracket, "Unmanned Combat Aerial Vehicles (UCAV)", so that either names the item. So is a variant named in
    the item's own "of" phrase, "146 howitzers of the K9PL version", "tanks of the latest modification M1A2"
    (`_variant_end`): one item, its count told once."""
    dropped: set[int] = set()
    for a in claims:
        if a.kind != "transfer" or id(a) in dropped:
            continue
        for b in claims:
            if b is a or b.kind != "transfer" or id(b) in dropped:
                continue
            end = _abbreviation_end(a, b) if paired(a, b) else None
            if end is None and _one_transfer(a, b):
                end = _variant_end(a, b)  # the "of" phrase relates the two, whatever their families
            if end is not None:
                start, sent = a.evidence["designation"].start, a.evidence["sentence"]
                absorb(a, b)
                # the item as written, name and abbreviation together, so that either names it
                a.designation = sent.quote[start - sent.start:end - sent.start]
                a.evidence["designation"] = Evidence(start, end, a.designation)
                dropped.add(id(b))
    return [c for c in claims if id(c) not in dropped]


def fold_one_phrase(claims: list[Claim], parsed: "dict[int, Parsed]") -> list[Claim]:
    """Two items named in one noun phrase are one item: "Pantsir-S1 air-defence missile-gun systems" names
    the Pantsir-S1 once, not a Pantsir and a missile. The parse hangs both mentions on one head noun; the
    generic one is folded into the named one (one stage, one pair of parties, no two numbers), whatever its
    category: a generic word inside the phrase only describes the named item ("missile-gun systems"). Not a
    phrase that coordinates its modifiers ("Pantsir-S1 and Tor missile systems"): the generic claim may be the
    only trace of a second item the catalog does not name."""
    dropped: set[int] = set()
    heads = {}
    for c in claims:
        tok = claim_token(c, parsed, "designation") if c.kind == "transfer" else None
        head = head_noun(tok) if tok is not None else None
        if head is not None and not _coordinated_before(head):
            heads[id(c)] = (c.evidence["sentence"].start, head.i)
    for a in claims:
        if id(a) in dropped or id(a) not in heads or not a.family:
            continue
        for b in claims:
            if b is a or id(b) in dropped or heads.get(id(b)) != heads[id(a)] or b.family:
                continue
            if _same_move(a, b):
                absorb(a, b)
                dropped.add(id(b))
    return [c for c in claims if id(c) not in dropped]


def _coordinated_before(head) -> bool:
    """The noun's modifiers are coordinated ("Pantsir-S1 and Tor missile systems")."""
    return any(t.dep_ == "conj" and t.i < head.i for t in head.subtree)


def fold_framed_orders(claims: list[Claim]) -> list[Claim]:
    """An order told only as the frame of a delivery, "Iraq has received 36 T-90 tanks as part of a deal", is
    proposed counted by the delivery's number (the 36 delivered, not the deal's size). Where the article
    tells an order of the same item between the same parties on its own ("a purchase agreement ... for a
    total of 73 T-90s", also read as a running total of the order: "has ordered a total of 27"), the framed one
    is that order told again: it goes, and the order told in full stands with its own number and date
    (guidelines: the same event told twice is one record)."""
    dropped: set[int] = set()
    framing = {id(c): _framing(c, claims) for c in claims}
    for c in claims:
        source = framing[id(c)]
        if source is None:
            continue
        if any(o is not c and id(o) not in dropped and o.kind in ("transfer", "cumulative") and o.stage == "ordered"
               and o.supplier == c.supplier and o.recipient == c.recipient and related(o, c)
               and framing[id(o)] is None and not _another_order(c, source, o) for o in claims):
            dropped.add(id(c))
    return [c for c in claims if id(c) not in dropped]


# "as part of an earlier deal", "30 more Rafale jets", "another 12": the deal told apart from another order
# ("the first deal", "the original deal" may well be the order the article tells: not these)
_EARLIER = re.compile(r"\b(?:earlier|previous|prior|older)\b", re.I)
_MORE = re.compile(r"\b(?:more|another|additional|further|extra)\b", re.I)  # not "new": "16 new F-16s" are unused ones


def _another_order(framed: Claim, source: Claim, other: Claim) -> bool:
    """The framed order and the other are two orders: each states its own date and the two differ ("as part of a
    2015 deal" beside "ordered 30 more in 2021"; not the delivery's own date, "received six on Monday as part of
    a deal", which the proposal copies), the frame is an earlier deal, or the other order adds to one."""
    da, db = stated_date(framed), stated_date(other)
    own = framed.evidence.get("date") is not None and framed.evidence.get("date") != source.evidence.get("date")
    if own and da and db and not _nested(da, db):
        return True
    frame = framed.evidence.get("stage")
    if frame is not None and _EARLIER.search(frame.quote):
        return True
    return _adds(other)


def _adds(c: Claim) -> bool:
    """The claim's number or item is told as an addition ("30 more Rafale jets", "another 12", "additional")."""
    sent, q, item = c.evidence.get("sentence"), c.evidence.get("quantity"), c.evidence.get("designation")
    if sent is None or q is None or not sent.start <= q.start < sent.end:
        return False
    end = item.start if item is not None and item.start > q.end else q.end + 12
    lo = max(sent.start, q.start - 9)  # "another 12", "a further 24"
    return bool(_MORE.search(sent.quote[lo - sent.start:min(end, sent.end) - sent.start]))


def _framing(c: Claim, claims: list[Claim]) -> Claim | None:
    """The delivery (or schedule) an order proposed beside it (`notes["secondary"]`) takes its number from, if
    the order is so framed; else None."""
    stage, q = c.notes.get("secondary"), c.evidence.get("quantity")
    if c.kind != "transfer" or c.stage != "ordered" or stage not in ("delivered", "expected") or q is None:
        return None
    return next((o for o in claims if o is not c and o.kind == "transfer" and o.stage == stage
                 and o.evidence.get("quantity") == q), None)
