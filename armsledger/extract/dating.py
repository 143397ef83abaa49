"""Which date a claim takes, and what a date says about the claim.

The date nearest the verb that fits the stage (no future date for a delivery, no past one for what is
expected); else the date of a neighbouring sentence that reports the same delivery; else, for
present news, the day the article was published. A delivery sentence that also dates its order
("... under the contract signed in 2022") yields the order as a claim of its own.
"""
from __future__ import annotations

import re

from armsledger.catalog import EquipmentMention
from armsledger.extract import quantities, triggers
from armsledger.extract.context import Context
from armsledger.extract.counts import DEALS
from armsledger.extract.dates import DateMention, find_dates
from armsledger.extract.mentions import Sent
from armsledger.extract.parse import SCHEDULE, Parsed, future_modal, schedules, token_of
from armsledger.models import Claim, Evidence


def fill_date(c: Claim, st: Sent, trig: triggers.Trigger, m: EquipmentMention, sents: list[Sent],
              ctx: Context, base: int) -> None:
    """The claim's date: the sentence's own, else a neighbour's that reports the same delivery,
    else (for present news) the article's."""
    d = nearest_date(st.dates, trig, m, c.stage, st.triggers, ctx.published)
    if d is None and c.stage in ("delivered", "expected"):
        ev = ctx.dated_event_near(st, sents, c.stage)
        if ev is not None:
            d, dbase = ev
            set_date(c, d, dbase)
            return
    if d is not None:
        set_date(c, d, base)
        return
    if c.stage in ("delivered", "ordered", "pledged") and ctx.published and _is_news_event(st, trig):
        date_by_publication(c, ctx)


def nearest_date(dates: list[DateMention], trig: triggers.Trigger, m: EquipmentMention, stage: str | None,
                 trigs: list[triggers.Trigger] = (), published: str | None = None) -> DateMention | None:
    if not dates:
        return None
    anchor = trig.start if trig.end > trig.start else m.start
    signed = None
    if stage == "ordered":
        # "decided on May 28 ..., with the contract signed on November 25": the signing dates the order
        signed = min((t for t in trigs if re.search(r"\b(?:signed|inked|concluded|sealed)\b", t.text)),
                     key=lambda t: abs(t.start - trig.start), default=None)
        if signed is not None:
            anchor = signed.start
    # a date far from both the verb and the item belongs to another clause
    # ("... since Russia invaded the country in February")
    dates = [d for d in dates if min(abs(d.start - anchor), abs(d.start - m.start)) <= 90]
    usable = [d for d in dates if not ((d.future or d.text.lower().startswith("by ")) and
                                       stage in ("delivered", "ordered", "denied"))]
    if stage in ("pledged", "expected") and any(d.future for d in usable):
        usable = [d for d in usable if d.future]  # "will arrive next year", not "announced on Monday"
    elif stage == "expected" and published:
        # what is expected is not dated in the past ("this year" still counts)
        usable = [d for d in usable if d.future or (d.value and d.value >= published[:len(d.value)])]
    # "since Russia invaded in February": a date of another event, in another clause
    usable = [d for d in usable if not d.text.lower().startswith("since")]
    if stage == "delivered":
        # "received the first Yak-130 ordered from Russia in 2019": the date goes with the order
        orders = [t for t in trigs if t.stage == "ordered" and t is not trig]
        # "which ordered them in 2018, received six in July": between the two verbs is the order's date
        # but "on Monday, completing an order ..." is written before the order and stays with the delivery
        usable = [d for d in usable if not any(o.end <= d.start and (abs(d.start - o.end) < abs(d.start - anchor)
                                                                     or d.end <= anchor) for o in orders)]
        # "received ... under a 2015 contract": a date inside the order's own words is the order's
        usable = [d for d in usable if not any(o.start <= d.start and d.end <= o.end for o in orders)]
    if not usable:
        return None
    # distance to the verb's whole span: "signed a contract with Brazil on Monday" is nearer its
    # verb than the "last year" that ends the clause before it
    ref = signed or trig
    lo, hi = (ref.start, ref.end) if ref.end > ref.start else (anchor, anchor)
    return min(usable, key=lambda d: (lo - d.end, 1) if d.end <= lo else (max(0, d.start - hi), 0))


_YEARLESS_MONTH = re.compile(r"(?:(?:in|by|until|till|around|from|during)\s+|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+)"
                             r"(?:early\s+|mid-?\s*|late\s+)?[A-Z][a-z]+\.?$")


# a day of a month named without its year: "on June 3", "by 3 June", "on the 11th of March" (not "on Monday")
_YEARLESS_DAY = re.compile(r"(?:(?:on|by|until|till|around|from)\s+)?(?:the\s+)?(?:[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?|"
                           r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+\.?)$")


def _months(value: str) -> int:
    """An ISO date's month, counted from year 0 (for distances in months)."""
    return int(value[:4]) * 12 + int(value[5:7])


def yearless(text: str) -> bool:
    """A month, or a day of a month, named without its year."""
    return bool(_YEARLESS_MONTH.fullmatch(text) or _YEARLESS_DAY.fullmatch(text))


def ahead(d: DateMention, published: str, days: bool = False) -> DateMention:
    """A month named without its year, in a clause about what is still to come, is the next such
    month: "the remaining two will arrive in March", told in January 2018, is March 2018, and "is
    scheduled to arrive in January", told in November, is the January after. With `days` (the caller has
    read the clause as still to come, not told in the past: `_to_come`), so is a day of a month ("four more
    are scheduled to arrive on June 3", told in May 2024, is 3 June 2024), unless it lies within two months
    before the report ("will be delivered on April 28", told on 1 May, was written days before). (Read alone,
    such a month or day is the latest one past, as a report of what happened is.)"""
    size = {"month": 7, "day": 10 if days else 0}.get(d.granularity or "")
    if not (size and d.relative and d.value and len(d.value) == size and not d.future and yearless(d.text)
            and d.value < published[:size]):
        return d
    if size == 10 and _months(published) - _months(d.value) < 2:
        return d
    year, rest = d.value.split("-", 1)
    nxt = f"{int(year) + 1}-{rest}"
    if nxt < published[:size] or nxt[5:] == "02-29":
        return d  # more than a year back: not a month of this report's coming year (or a leap day)
    return DateMention(d.start, d.end, d.text, nxt, d.granularity, d.relative, True)


def sentence_dates(claims: list[Claim]) -> dict[int, list[DateMention]]:
    """The dates each claim sentence names, read once (keyed by the sentence's article offset) for the
    steps below, which all look at the same sentences."""
    out: dict[int, list[DateMention]] = {}
    for c in claims:
        ev = c.evidence.get("sentence")
        if c.kind == "transfer" and ev is not None and ev.start not in out:
            out[ev.start] = find_dates(ev.quote, (c.article or {}).get("published"))
    return out


def redate(c: Claim, d: DateMention, base: int, why: str) -> None:
    """Replace a decided claim's date by one its sentence states, saying why."""
    c.notes.pop("date_source", None)
    c.date_unresolved = False
    set_date(c, d, base)
    c.notes["date_from"] = why


def _undate(c: Claim) -> None:
    """Take a claim's date away, with its quote and where it came from."""
    c.date = c.granularity = c.date_text = None
    c.date_unresolved = False
    c.evidence.pop("date", None)
    c.notes.pop("date_source", None)


def redate_for_stage(c: Claim, dates: dict[int, list[DateMention]]) -> None:
    """After a claim's stage changed, its date if it no longer fits the new stage ("2022" for what is to come
    in a report of 2022) is replaced by the fitting date of its sentence nearest its verb, or dropped."""
    ev, verb = c.evidence.get("sentence"), c.evidence.get("stage")
    pub = (c.article or {}).get("published")
    here = [d for d in dates.get(ev.start, ()) if d.value] if ev is not None else []
    if c.date and any(d.value == c.date and fits_stage(d, c.stage, pub) for d in here):
        return
    fitting = [d for d in here if fits_stage(d, c.stage, pub)]
    base = ev.start if ev is not None else 0
    at = (verb.start if verb is not None else base) - base
    _undate(c)
    if fitting and ev is not None:
        redate(c, min(fitting, key=lambda d: (d.start < at, abs(d.start - at))), ev.start, "fits the stage")


def fill_coming_months(claims: list[Claim], dates: dict[int, list[DateMention]],
                       parsed: dict[int, Parsed] | None = None) -> None:
    """Date each undated claim of what is still to come by a month its sentence names without a year,
    read forward (`ahead`): "the remaining two will arrive in March". The rules read such a month as
    the latest one past and so leave the claim undated, or, for an expected record proposed beside a
    delivery ("and six more are scheduled to arrive in June"), dated a year back (`_read_back`: then that
    same month is read forward); this runs after the decision, because the model was trained on the rules'
    dates."""
    for c in claims:
        ev, verb = c.evidence.get("sentence"), c.evidence.get("stage")
        pub = (c.article or {}).get("published")
        if (c.kind != "transfer" or c.stage not in ("expected", "pledged") or c.date_unresolved or ev is None
                or verb is None or not pub or not ev.start <= verb.start < ev.end):
            continue
        at = verb.start - ev.start
        p = (parsed or {}).get(ev.start)
        clause = _verb_clause(c, p)
        days = _to_come(clause, p)
        moved = [m for m in (ahead(d, pub, days) for d in dates.get(ev.start, ())) if m.future and m.value
                 and yearless(m.text) and abs(m.start - at) <= 90]
        if c.date is not None:
            if not (days and _read_back(c, pub, p, clause)):
                continue
            moved = [m for m in moved if ev.start + m.start == c.evidence["date"].start]
        if moved:
            redate(c, min(moved, key=lambda m: abs(m.start - at)), ev.start, "coming month")


# auxiliaries of a clause told in the past ("were expected in March", "that were due in March", "said six
# more would arrive in April"): an expectation of then, whose month is the last one past
_PAST_AUX = {"was", "were", "had", "would"}


def _read_back(c: Claim, published: str | None, p: Parsed | None, clause: set[int]) -> bool:
    """An expected claim dated by a month named without its year, read as the last one past, in its own verb's
    clause (`clause`; the caller checks that it is told as still to come, `_to_come`): "received six Rafale jets,
    and six more are scheduled to arrive in June", told in May 2024, had the six more in June 2023 (a second stage
    proposed in a delivery's sentence takes the date nearest its verb as found). Not a month of another clause
    ("received 18 in March, and six more will follow soon"), nor one of a past expectation ("six more were
    expected in March", "that were due in March"). A pledge may be dated in the past (the day it was made) and is
    left alone."""
    d = c.evidence.get("date")
    if not (c.stage == "expected" and published and d is not None and c.date is not None
            and yearless(d.quote) and c.date < published[:len(c.date)]):
        return False
    tok = p.token_at(d.start, d.end) if p is not None else None
    # not the month of another clause, which the claim only borrowed
    return bool(clause) and tok is not None and _hung_on(tok, clause).i in clause


def _to_come(clause: set[int], p: Parsed | None) -> bool:
    """The claim's own verb clause (`_verb_clause`) is told as still to come: no verb of it in the past tense or
    under "was", "were", "had" or "would" (reported speech in the past, "said the tanks were expected to arrive on
    June 3", is left as it was read)."""
    return bool(clause) and p is not None and not any(
        p.doc[i].tag_ == "VBD" or any(a.dep_ in ("aux", "auxpass") and a.lower_ in _PAST_AUX for a in p.doc[i].children)
        for i in clause)


def _hung_on(tok, stop: set[int]):
    """The clause a word belongs to: the first verb above it, or the first of the tokens `stop` it reaches."""
    while tok.i not in stop and tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _verb_clause(c: Claim, p: Parsed | None) -> set[int]:
    """The claim's verb with the verbs it completes and that complete it ("are scheduled to arrive")."""
    verb = token_of(p, c.evidence.get("stage"))
    if verb is None:
        return set()
    clause = {verb.i}
    v = verb
    while v.dep_ == "xcomp" and v.head.i != v.i:  # "are scheduled to arrive": the clause runs up to "scheduled"
        v = v.head
        clause.add(v.i)
    return clause | {t.i for t in verb.subtree if t.dep_ == "xcomp" and t.head.i in clause}


def set_date(c: Claim, d: DateMention, base: int) -> None:
    c.date_text = d.text
    c.evidence["date"] = Evidence(base + d.start, base + d.end, d.text)
    if d.value:
        c.date, c.granularity = d.value, d.granularity
    else:
        c.date_unresolved = True


def long_delivered(c: Claim, trig: triggers.Trigger, sentence: str, reference_year: int | None) -> bool:
    """"Peru bought seventeen MiG-29s from Belarus in 1996", told in 1998: a purchase that far
    back has been delivered (the register records it as a delivery)."""
    if not (c.date and reference_year and re.fullmatch(r"(?:has |have |had )?(?:bought|purchased|acquired)", trig.text, re.I)):
        return False
    before = sentence[:trig.start]
    if re.search(r"\b(?:been|was|were|be|is|are)\s+$", before, re.I) or "agreement" in sentence or "contract" in sentence:
        return False  # "had been purchased under a 2019 agreement": an order, whatever came after
    return reference_year - int(c.date[:4]) >= 2


def as_of(c: Claim, ctx: Context) -> None:
    """A running total is stated as of the day the article was published."""
    c.date_text = None
    c.evidence.pop("date", None)
    c.date_unresolved = False
    if ctx.published:
        date_by_publication(c, ctx)
    else:
        c.date, c.granularity = None, None
        c.notes["date_source"] = "published"


def date_by_publication(c: Claim, ctx: Context) -> None:
    """The article's date stands in where the text gives none: the day the lead says the news broke
    ("the ministry announced on Tuesday"), else the day it was published. A date read from the link
    says so, since it may be the month only and is the outlet's filing, not the report's."""
    if ctx.news_day is not None:
        day, said = ctx.news_day
        c.date, c.granularity, c.date_text = day, "day", said.quote
        c.evidence["date"] = said
    else:
        c.date, c.granularity = ctx.published, granularity(ctx.published)
    c.notes["date_source"] = "published"
    if ctx.published_from_url:
        c.notes["published_from"] = "url"


def granularity(value: str) -> str:
    """Values are ISO prefixes, so their length is their granularity."""
    return {10: "day", 7: "month"}.get(len(value), "year")


def _is_news_event(st: Sent, trig: triggers.Trigger) -> bool:
    """Undated present-news reports take the publication date; background does not."""
    t = st.s.text
    if re.search(r"\b(?:had|previously|earlier|once|formerly|in the past|years ago|decades)\b", t, re.I):
        return False
    return st.index < 12


def order_in_clause(c: Claim, st: Sent, trig: triggers.Trigger, base: int) -> Claim | None:
    """"delivered the BrahMos ... under the contract signed in 2022": the delivery sentence
    also dates the order, which is a claim of its own."""
    if c.stage not in ("delivered", "expected") or c.kind != "transfer":
        return None
    t = st.s.text
    for o in st.triggers:
        if o is trig or o.stage != "ordered":
            continue
        # "signed in 2013; they arrived in 2016": an order before the delivery keeps only
        # the dates that stand between the two
        stop = trig.start if o.start < trig.start else len(t)
        dates = [d for d in st.dates if d.value and -5 <= d.start - o.end <= 45 and d.end <= stop and not d.future]
        if not dates:
            continue
        d = dates[0]
        if c.date and (c.date.startswith(d.value) or d.value.startswith(c.date)):
            continue
        order = Claim.from_dict(c.to_dict())
        order.stage = "ordered"
        q = c.evidence.get("quantity")
        qs = q.start - base if q is not None else -1
        if q is not None and o.start > trig.end and 0 <= qs - o.end <= 30:
            # "completing an order for 24 aircraft": the number counts the order, not this delivery
            c.quantity, c.uncertain = None, False
            c.evidence.pop("quantity")
        elif not (q is not None and o.end <= qs < trig.start):
            # a number written between the order and "they arrived" counts both
            order.quantity, order.uncertain = None, False
            order.evidence.pop("quantity", None)
            total = c.terms.get("total")
            span = quantities.number_in(q.quote, total) if q is not None and isinstance(total, int) else None
            if span is not None:  # "two of the six it ordered": the order is the six
                order.quantity = total
                order.evidence["quantity"] = Evidence(q.start + span[0], q.start + span[1],
                                                      q.quote[span[0]:span[1]])
        order.evidence["stage"] = Evidence(base + o.start, base + o.end, o.text)
        order.notes.pop("date_source", None)
        order.date_unresolved = False
        set_date(order, d, base)
        return order
    return None


def fits_stage(d: DateMention, stage: str | None, published: str | None) -> bool:
    """A date a claim of this stage can take: nothing to come for what happened, nothing past for what is
    to come (the rules' tests in `nearest_date`)."""
    if not d.value:
        return False
    if stage in ("delivered", "ordered", "denied"):
        return not (d.future or d.text.lower().startswith("by ") or (published and d.value > published[:len(d.value)]))
    if stage in ("expected", "pledged"):
        return d.future or not published or d.value >= published[:len(d.value)]
    return False


def fill_clause_dates(claims: list[Claim], parsed: dict, dates: dict[int, list[DateMention]]) -> None:
    """A decided claim takes the date written in its own verb's clause when the rules took one from
    another clause of the sentence: "the company announced today that it delivered a radar to the air
    force in March" is dated March, not today. The parse says which verb a date hangs on; the rules
    only see how far it lies. A yearless month of what is to come is read forward (`ahead`). A delivery
    the rules dated by its contract's year ("as agreed in a 2019 contract") and whose verb carries no
    date of its own is the report's news: it takes the publication month (guidelines, section 5). So does a
    delivery or an order the rules dated by a later event's clause ("received eight jets, which will join an
    exercise in June": `_later_clause`), unless told as background (in the past perfect, or with no
    publication date, or before what "would later" happen in a story), which leaves it undated."""
    for c in claims:
        ev, verb_ev = c.evidence.get("sentence"), c.evidence.get("stage")
        p = parsed.get(ev.start) if ev is not None else None
        verb = token_of(p, verb_ev) if c.kind == "transfer" else None
        if verb is None or verb.pos_ not in ("VERB", "AUX"):
            continue
        pub = (c.article or {}).get("published")
        own = {verb.i} | ({verb.head.i} if verb.dep_ == "xcomp" else set()) | _completions(verb, verb_ev, p)
        inside = {t.i for i in own for t in verb.doc[i].subtree}

        def on_verb(d: DateMention) -> bool:
            """The date modifies the verb itself ("delivered ... in March", "arrived last week"), not a
            noun of its clause ("the 2007 contract")."""
            tok = p.token_at(ev.start + d.start, ev.start + d.end)
            if tok is None:
                return False
            if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
                tok = tok.head  # "delivered by 2019": the parser reads the date's "by" as a passive's agent
            return tok.head.i in own and tok.dep_ in ("prep", "agent", "npadvmod", "advmod", "tmod")

        current = c.evidence.get("date")
        deal_date, later = False, None
        if current is not None and c.date is None and any(
                d.value and fits_stage(d, c.stage, pub) and on_verb(d) for d in dates.get(ev.start, ())):
            current = None  # "within six years" with no publication date: a date the verb carries is better
        if current is not None and ev.start <= current.start < ev.end:
            tok = p.token_at(current.start, current.end)
            nominal = tok is not None and tok.dep_ in ("compound", "nummod", "amod") and tok.head.pos_ in ("NOUN", "PROPN")
            later = _later_clause(tok, own) if tok is not None and c.stage in ("delivered", "ordered") else None
            if tok is None or (tok.i in inside and not nominal and not later):
                continue  # the rules' date lies in the verb's own clause, or below it (but "the 2007 contract" names a thing)
            deal_date = nominal and tok.head.lemma_.lower() in DEALS
        said = dates.get(ev.start, ())
        if pub and c.stage in ("expected", "pledged"):
            days = _to_come(_verb_clause(c, p), p)
            said = [ahead(d, pub, days) for d in said]  # "the rest will be delivered in April": the April to come
        mine = [d for d in said if fits_stage(d, c.stage, pub) and on_verb(d)]
        if not mine:
            if (deal_date and c.stage == "delivered" or later == "ahead") and pub and not _past_perfect(verb):
                # "has received the first system, as agreed in a 2019 contract": the year dates the
                # contract; the delivery is the news, dated by the report (guidelines: its month)
                c.date, c.granularity, c.date_text = pub[:7], "month", None
                c.evidence.pop("date", None)
                c.notes["date_source"] = "published"
                c.notes["date_from"] = "the report, not the contract's date" if deal_date else "the report, not a later event's date"
            elif later:  # no report date to stand in, or background: the text gives the event no date
                _undate(c)
                c.notes["date_from"] = "none: the date is a later event's"
            continue
        at = verb_ev.start - ev.start
        best = min(mine, key=lambda d: abs(d.start - at))
        if current is None or current.start != ev.start + best.start:
            redate(c, best, ev.start, "verb's clause")


def _completions(verb, quoted: Evidence, p: Parsed) -> set[int]:
    """The verbs that complete the claim's verb inside the phrase the rules quoted for its stage: in "are
    expected to be delivered by 2019" the date on "delivered" is the claim's own; in "ordered radars, to be
    delivered in November" (quoted: "ordered") it dates another event."""
    out, todo = set(), [verb]
    while todo:
        v = todo.pop()
        for ch in v.children:
            if ch.dep_ == "xcomp" and ch.pos_ in ("VERB", "AUX") and ch.i not in out \
                    and quoted.start <= p.start + ch.idx < quoted.end:
                out.add(ch.i)
                todo.append(ch)
    return out


# "would later see combat": a narrative's "would" tells what came after, not what is still to come
_NARRATIVE = {"later", "eventually", "subsequently", "afterwards", "afterward", "then"}


def _later_clause(tok, own: set[int]) -> str | None:
    """The date hangs on another clause of the sentence that tells a later event, mostly one below the claim's
    verb: "received eight jets, which will join an exercise in June", "ordered radars, to be delivered in
    November", "which are due to be refitted in November", "which are to be commissioned in June" ("ahead": still
    to come), or "which would later see combat in 2022" ("story": what came after, in a story told in the past).
    It dates that event, not the delivery or the order. The clause is the verb the date's phrase hangs on, taken
    up through the verbs it completes ("are expected to arrive in June"); the claim's own verb (`own`, with the
    verb it completes) is not another clause. None: the date is the claim's own, as far as the parse tells."""
    v = _hung_on(tok, own)
    for _ in range(3):
        if v.i in own:
            return None
        if v.pos_ == "ADJ" and v.lemma_.lower() in SCHEDULE:
            return "ahead"  # "are due to be refitted"
        if v.pos_ not in ("VERB", "AUX"):
            return None
        if future_modal(v):
            return "story" if _narrative(v) else "ahead"
        if schedules(v) or _infinitive(v, own):
            return "ahead"
        if v.dep_ != "xcomp" or v.head.i == v.i:
            return None
        v = v.head
    return None


def _infinitive(verb, own: set[int]) -> bool:
    """A "to" clause of another event: a purpose, a plan or a schedule ("to be delivered in November", "plans to
    deploy in August", "are to be commissioned"); not the deal's own purpose ("a contract to export eight jets")
    nor what the claim's verb itself completes ("agreed to buy"), unless passive ("ordered radars, to be
    delivered in November")."""
    if not any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in verb.children):
        return False
    if any(ch.dep_ == "auxpass" for ch in verb.children):
        return True
    return not (verb.head.i in own or (verb.dep_ == "acl" and verb.head.lemma_.lower() in DEALS))


def _narrative(verb) -> bool:
    """"would later see combat in 2022": "would" of what followed in a story told in the past, not of what is
    still to come."""
    aux = {ch.lower_ for ch in verb.children if ch.dep_ in ("aux", "auxpass")}
    return "would" in aux and any(ch.dep_ == "advmod" and ch.lower_ in _NARRATIVE for ch in verb.children)


def _past_perfect(verb) -> bool:
    """"had received": told as background to the news, so not dated by the report."""
    return any(a.dep_ == "aux" and a.lower_ == "had" for a in verb.children)


def fill_listed_dates(claims: list[Claim], dates: dict[int, list[DateMention]]) -> None:
    """Items listed under one verb, each with its own date, take each its own: "received the frigate in
    June 2015, three Rafale jets in July 2015 and another three in January 2016"; "delivered 15 T-50s to
    Indonesia in 2014 and 12 FA-50s to the Philippines in 2015". The rules date every item by the date
    nearest the verb. Here the sentence is cut at each item, and when every stretch from one item to the
    next holds exactly one date that fits, each item takes the date of its own stretch. The last stretch
    runs to the end of the sentence and may hold more ("three Rafale jets in July 2015 and another three
    in January 2016", where "another three" names no item): its item takes the first, its own (tranches.py
    then makes "another three" a record of its own)."""
    groups: dict[tuple[int, int], list[Claim]] = {}
    for c in claims:
        ev, verb, item = c.evidence.get("sentence"), c.evidence.get("stage"), c.evidence.get("designation")
        if c.kind == "transfer" and ev is not None and verb is not None and item is not None \
                and ev.start <= item.start < ev.end:
            groups.setdefault((ev.start, verb.start), []).append(c)
    for group in groups.values():
        spots = sorted({c.evidence["designation"].start for c in group})
        if len(spots) < 2:
            continue
        first = group[0]
        ev, pub = first.evidence["sentence"], (first.article or {}).get("published")
        fitting = [d for d in dates.get(ev.start, ()) if d.value and fits_stage(d, first.stage, pub)]
        bounds = spots + [ev.end]
        stretches = [[d for d in fitting if bounds[i] <= ev.start + d.start < bounds[i + 1]] for i in range(len(spots))]
        if any(not s for s in stretches) or any(len(s) != 1 for s in stretches[:-1]) \
                or len({s[0].value for s in stretches}) < 2:
            continue  # not one date per item: a date shared by the list, or none to tell them apart
        own = {spot: s[0] for spot, s in zip(spots, stretches)}
        for c in group:
            d = own[c.evidence["designation"].start]
            if c.date != d.value:
                redate(c, d, ev.start, "its place in a list")
