"""The tense of an event noun is the tense of the verb that governs it.

A transfer told by a noun ("the first deliveries of HIMARS would take place in 2024", "deliveries of the
ships will be made at six-month intervals", "was supposed to complete the delivery of 460 missiles this
year") has no tense of its own: the trigger lexicon reads "deliveries of" as a delivery, and the verb that
says whether it happened stands elsewhere in the clause, often far from the noun. Here, after the decision,
a delivery whose quoted trigger is a noun is read as an expected delivery when the parse shows the verb
above the noun is a future or a plan: a modal "will", "would" or "shall" on it, or the noun's clause the
complement of "supposed", "due", "scheduled", "set" or "slated" ("is scheduled to begin"). A verb in the
past or present ("deliveries began in 2020", "the delivery was completed") leaves the claim as it is.
"""
from __future__ import annotations

from typing import Any

from armsledger.extract.dates import DateMention
from armsledger.extract.dating import redate_for_stage
from armsledger.extract.parse import Parsed, claim_verb
from armsledger.models import Claim

# auxiliaries that put the verb after the time of telling ("would" also after a past verb of saying)
_FUTURE_AUX = {"will", "would", "shall", "'ll"}
# verbs whose complement is a schedule ("is scheduled to begin", "was supposed to complete")
_SCHEDULE = {"schedule", "suppose", "due", "set", "slate", "expect", "plan"}
# links from the noun up to the verb of its clause: its subject, object or the object of a preposition
_UP = {"nsubj", "nsubjpass", "dobj", "pobj", "prep", "attr", "compound", "appos", "conj"}
_MAX_UP = 5


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
    """A future modal on the verb or on the verbs its clause completes, or a schedule above it."""
    for _ in range(3):
        if any(ch.dep_ in ("aux", "auxpass") and ch.lower_ in _FUTURE_AUX for ch in verb.children):
            return True
        if verb.lemma_.lower() in _SCHEDULE and verb.tag_ == "VBN":
            return True
        if verb.dep_ not in ("xcomp", "ccomp") or verb.head.i == verb.i:
            return False
        verb = verb.head
        if verb.lemma_.lower() in _SCHEDULE or verb.lower_ in _SCHEDULE:
            return True
    return False


def restage_future_events(claims: list[Claim], parsed: dict[int, Parsed], dates: dict[int, list[DateMention]]
                          ) -> list[Claim]:
    """Deliveries told by an event noun under a future or scheduled verb become expected deliveries, dated
    by the date of their sentence that is still to come, if any; one that the decision also kept as expected
    ("delivery of the first corvette is scheduled for March", read at both stages) is that claim already."""
    def key(c: Claim) -> tuple:
        ev = c.evidence.get("sentence")
        return (ev.start if ev is not None else None, c.supplier, c.recipient, c.family or c.designation)

    expected = {key(c) for c in claims if c.kind == "transfer" and c.stage == "expected"}
    out = []
    for c in claims:
        if c.kind == "transfer" and c.stage == "delivered" and _future_noun(c, parsed):
            if key(c) in expected:
                continue
            c.stage = "expected"
            c.notes["stage_from"] = "tense of the governing verb"
            redate_for_stage(c, dates)
        out.append(c)
    return out


def _future_noun(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """The claim's trigger is an event noun whose clause's verb is a future or a schedule."""
    tok = claim_verb(c, parsed)
    if tok is None or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    verb = _clause_verb(tok)
    return verb is not None and _future(verb)
