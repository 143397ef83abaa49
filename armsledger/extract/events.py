"""More than one event per sentence: the second transfer verb of a sentence as a candidate of its own.

A sentence often tells two stages of one deal: "received the fourth aircraft under a contract signed
in 2016" (a delivery and an order), "ordered in 2020, the system is due in 2025" (an order and an
expected delivery). The rule path reports each item once, under the trigger it judges nearest;
this component proposes the item again under every other trigger of the sentence whose stage
differs, dated by the date nearest that trigger. The proposals are candidates only: the learned
decision (decide.py) keeps one when its clause features (the trigger, how it attaches to the item,
its date relative to publication) make it likely, so nothing here needs to be certain.
"""
from __future__ import annotations

import copy

from armsledger.extract import quantities, triggers
from armsledger.extract.dates import DateMention, find_dates
from armsledger.extract.stages import event_stage
from armsledger.models import Claim, Evidence

MAX_DATE_GAP = 60  # characters between a trigger and a date that dates it
BEFORE_PENALTY = 30  # a verb's date mostly follows it ("signed in 2016"); one before it is often another's


def _date_for(dates: list[DateMention], t: triggers.Trigger, stage: str, published: str | None
              ) -> DateMention | None:
    """The date nearest the trigger (after it first: "signed in 2016", "due by 2025"), fitting the stage:
    no future date for what was done, no past date for what is to come."""
    def fits(d: DateMention) -> bool:
        if stage in ("ordered", "delivered", "denied"):
            return not d.future and not d.text.lower().startswith("by ")
        if stage == "expected" and published and d.value:
            return d.future or d.value >= published[:len(d.value)]
        return True

    near = []
    for d in dates:
        # after the verb, before it, or inside it ("under a 2015 contract")
        gap = d.start - t.end if d.start >= t.end else (0 if d.start >= t.start else t.start - d.end)
        if 0 <= gap <= MAX_DATE_GAP and fits(d):
            near.append((gap + (0 if d.start >= t.end else BEFORE_PENALTY), d))
    return min(near, key=lambda x: x[0])[1] if near else None


def _recount(d: Claim, c: Claim, sent: Evidence, t: triggers.Trigger) -> None:
    """The secondary event is about the mention of the item nearest its own verb, counted by the number
    on that mention ("has provided 16 HIMARS and is buying 18 more": 16 delivered, 18 ordered)."""
    item = c.evidence.get("designation")
    if item is None or not item.quote:
        return
    text, tpos = sent.quote, t.start
    spots = [i for i in _find_all(text, item.quote)]
    if not spots:
        return
    at = min(spots, key=lambda i: abs(i - tpos))
    same = sent.start + at == item.start
    d.evidence["designation"] = Evidence(sent.start + at, sent.start + at + len(item.quote), item.quote)
    q = quantities.before(text, at)
    if q is None or q.value is None:
        if not same:  # another mention, uncounted
            d.quantity, d.uncertain = None, False
            d.evidence.pop("quantity", None)
        return  # the same mention, uncounted: the rule's count (found elsewhere) stands
    if d.stage == "ordered" and q.total:
        # "the first of 36 Gripens bought from Saab": the delivery is one, the order thirty-six
        span = quantities.number_in(text[q.start:q.end], q.total)
        if span is not None:
            d.quantity, d.uncertain = q.total, False
            d.evidence["quantity"] = Evidence(sent.start + q.start + span[0], sent.start + q.start + span[1],
                                              text[q.start + span[0]:q.start + span[1]])
            return
    d.quantity, d.uncertain = q.value, q.uncertain
    d.evidence["quantity"] = Evidence(sent.start + q.start, sent.start + q.end, text[q.start:q.end])


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def secondary_events(claims: list[Claim], published: str | None) -> list[Claim]:
    """For each transfer claim, a copy under each other trigger of its sentence with another stage
    (one per stage: the trigger nearest the item). Marked ``notes["secondary"]`` = the rule's stage."""
    out: list[Claim] = []
    cache: dict[int, tuple[list[triggers.Trigger], list[DateMention]]] = {}
    told = {(c.evidence["sentence"].start, c.stage, c.family or c.designation) for c in claims
            if c.kind == "transfer" and "sentence" in c.evidence}
    for c in claims:
        sent = c.evidence.get("sentence")
        if c.kind != "transfer" or sent is None or c.notes.get("secondary"):
            continue
        if sent.start not in cache:
            cache[sent.start] = (triggers.find(sent.quote), find_dates(sent.quote, published))
        trigs, dates = cache[sent.start]
        used = c.evidence.get("stage")
        item = c.evidence.get("designation")
        at = (item.start if item is not None else sent.start) - sent.start
        best: dict[str, triggers.Trigger] = {}
        for t in trigs:
            if used is not None and sent.start + t.start < used.end and sent.start + t.end > used.start:
                continue
            s = event_stage(t, sent.quote)
            if s is None or s == c.stage or (sent.start, s, c.family or c.designation) in told:
                continue  # the rules already report this stage of the item here
            if s not in best or abs(t.start - at) < abs(best[s].start - at):
                best[s] = t
        sched = _schedule(dates, at, published) if c.stage == "ordered" and "expected" not in best and \
            (sent.start, "expected", c.family or c.designation) not in told else None
        if sched is not None:
            out.append(_scheduled(c, sent, sched))
        for s, t in best.items():
            d = _proposal(c, sent, s, Evidence(sent.start + t.start, sent.start + t.end, t.text),
                          _date_for(dates, t, s, published))
            _recount(d, c, sent, t)
            out.append(d)
    return out


def _proposal(c: Claim, sent: Evidence, stage: str, stage_ev: Evidence, dm: DateMention | None) -> Claim:
    """A copy of the rule claim `c` at another stage, quoted by `stage_ev` and dated by `dm` (a date of
    `sent`) or undated; marked ``notes["secondary"]`` = the rule's stage."""
    d = copy.copy(c)
    d.evidence = {k: v for k, v in c.evidence.items() if k not in ("stage", "date")}
    d.evidence["stage"] = stage_ev
    d.notes = {k: v for k, v in c.notes.items() if k != "date_source"}
    d.notes["secondary"] = c.stage
    d.terms = dict(c.terms)
    d.stage = stage
    d.date = d.granularity = d.date_text = None
    d.date_unresolved = False
    if dm is not None:
        d.date_text = dm.text
        d.evidence["date"] = Evidence(sent.start + dm.start, sent.start + dm.end, dm.text)
        if dm.value:
            d.date, d.granularity = dm.value, dm.granularity
        else:
            d.date_unresolved = True
    return d


def _schedule(dates: list[DateMention], at: int, published: str | None) -> DateMention | None:
    """The date after publication nearest the item: an order's delivery schedule ("... will acquire
    six K9s in 2025", "an order for 12 jets, to be delivered by 2027")."""
    if not published:
        return None
    ahead = [d for d in dates if d.value and d.value > published[:len(d.value)]]
    return min(ahead, key=lambda d: abs(d.start - at)) if ahead else None


def _scheduled(c: Claim, sent: Evidence, dm: DateMention) -> Claim:
    """An order whose sentence states when it is to be delivered also reports the expected delivery
    (guidelines: an order with a stated schedule gets an `expected` record); the schedule is its evidence."""
    d = _proposal(c, sent, "expected", Evidence(sent.start + dm.start, sent.start + dm.end, dm.text), dm)
    d.notes["schedule"] = True
    return d
