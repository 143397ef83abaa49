"""The tense of an event noun is the tense of the verb that tells it happening.

A transfer told by a noun ("the first deliveries of the howitzers would take place in 2026", "deliveries of the
jets will begin in 2027", "was supposed to complete the delivery of 460 missiles this year") has no tense of its
own: the trigger lexicon reads "deliveries of" as a delivery, and the verb that says whether it happened stands
elsewhere in the clause. Here, after the decision, a delivery whose quoted trigger is a noun becomes an expected
delivery when the parse shows, in the noun's own clause:

- a verb of the event itself happening ("begin", "take place", "be made", "be completed", "arrive", "follow")
  under "will", "would" or "shall" ("would have" is what did not happen, left to `factuality`); or
- a schedule: the verb is "scheduled", "slated", "expected", "planned" or "set" in the passive, or "due", or the
  noun's verb completes one through its "to" ("is scheduled to begin", "was supposed to complete", "are due to be
  completed").

What a future verb says about a delivery rather than of it ("the delivery of the jets in 2020 will be
investigated", "would strengthen the air force") is no schedule, nor is a clause the walk would reach only through
another clause ("completed the delivery of 24 jets; the aircraft will fly from Romania"). A noun that carries a
past clause of its own ("the delivery, which began last year, will be completed in 2025") tells a delivery under
way, and a claim that the factuality step would read under a plan, a negation or a condition is left to it.
"""
from __future__ import annotations

from typing import Any

from armsledger.extract import factuality
from armsledger.extract.dates import DateMention
from armsledger.extract.dating import redate, redate_for_stage
from armsledger.extract.parse import FUTURE_AUX, SCHEDULE, Parsed, claim_verb, future_modal, schedules
from armsledger.models import Claim

# verbs that tell the event itself happening, which a future auxiliary then puts ahead
_HAPPEN = {"begin", "start", "commence", "continue", "resume", "take", "make", "complete", "finish", "conclude",
           "end", "arrive", "follow", "happen", "occur", "proceed", "carry"}
# links from the noun up to the verb of its clause: its subject, object or the object of a preposition
_UP = {"nsubj", "nsubjpass", "dobj", "pobj", "prep", "attr", "compound", "appos"}
_MAX_UP = 4
# the covers of `factuality` under which a claim is left to that step: it is no schedule either
_LEFT_TO_FACTUALITY = set(factuality.RULES_OUT) - {"forecast"}


def _clause_verb(noun: Any) -> Any | None:
    """The verb whose subject, object or prepositional phrase the noun is."""
    tok = noun
    for _ in range(_MAX_UP):
        if tok.dep_ not in _UP or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _future(verb: Any) -> bool:
    """The verb tells the event happening later, or lies under a schedule through its "to"."""
    if schedules(verb) or (verb.lemma_.lower() in _HAPPEN and future_modal(verb)):
        return True
    for _ in range(2):
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return False
        verb = verb.head
        if schedules(verb) or verb.lemma_.lower() in SCHEDULE or (verb.lemma_.lower() in _HAPPEN and future_modal(verb)):
            return True
    return False


def _under_way(noun: Any) -> bool:
    """The noun carries a past clause of its own: "the delivery, which began last year", "the delivery completed
    in 2023"."""
    return any(ch.dep_ in ("relcl", "acl") and ch.tag_ in ("VBD", "VBN")
               and not any(a.dep_ in ("aux", "auxpass") and a.lower_ in FUTURE_AUX for a in ch.children)
               for ch in noun.children)


def _schedule_date(c: Claim, verb: Any, parsed: dict[int, Parsed], dates: dict[int, list[DateMention]]) -> bool:
    """Date the claim by a date written in its verb's own clause ("would start in 2023, the ministry said in
    2021": 2023, whenever the report was published); False when that clause names none."""
    ev = c.evidence.get("sentence")
    p = parsed.get(ev.start) if ev is not None else None
    if p is None:
        return False
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
    own = [d for d in dates.get(ev.start, ()) if d.value and lo <= d.start and d.end <= hi and d.start > verb.idx]
    if not own:
        return False
    redate(c, min(own, key=lambda d: d.start), ev.start, "the clause of its schedule")
    return True


def restage_future_events(claims: list[Claim], parsed: dict[int, Parsed], dates: dict[int, list[DateMention]]
                          ) -> list[Claim]:
    """Deliveries told by an event noun in a future or scheduled clause become expected deliveries, dated by the
    date of that clause, else by their sentence's date still to come, if any; one that the decision also kept as
    expected ("delivery of the first corvette is scheduled for March", read at both stages) is that claim
    already."""
    def key(c: Claim) -> tuple:
        ev = c.evidence.get("sentence")
        return (ev.start if ev is not None else None, c.supplier, c.recipient, c.family or c.designation)

    expected = {key(c) for c in claims if c.kind == "transfer" and c.stage == "expected"}
    out = []
    for c in claims:
        verb = _future_clause(c, parsed) if c.kind == "transfer" and c.stage == "delivered" else None
        if verb is not None:
            if key(c) in expected:
                continue
            c.stage = "expected"
            c.notes["stage_from"] = "tense of the governing verb"
            if not _schedule_date(c, verb, parsed, dates):
                redate_for_stage(c, dates)
        out.append(c)
    return out


def _future_clause(c: Claim, parsed: dict[int, Parsed]) -> Any | None:
    """The verb of the future or scheduled clause that the claim's event noun belongs to, or None."""
    tok = claim_verb(c, parsed)
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or _under_way(tok):
        return None
    verb = _clause_verb(tok)
    if verb is None or not _future(verb):
        return None
    if factuality.covers(tok) & _LEFT_TO_FACTUALITY:
        return None
    return verb
