"""Items moved for a show, not handed over: a decided transfer whose verb's purpose is an exercise.

"Russia has sent S-400 systems to Serbia, where they will take part in military drills" and "two Su-30
jets landed in Caracas to join a military parade" move weapons across a border without transferring them
(guidelines: exercises, parades and visits are no transfer). The rules read the motion verb as a
delivery. The parse shows the purpose: an exercise, a drill, a parade or a show reached from the verb
through a purpose or relative clause ("to join", "where they will take part in") or "for". Such a claim
is dropped after the decision. A show that is only the setting of a real handover is left alone: "handed
over the submarines during his visit to China" names a visit, not a purpose.
"""
from __future__ import annotations

from armsledger.extract.parse import Parsed, claim_verb
from armsledger.models import Claim

# what weapons are sent to take part in, not to be handed over
EVENTS = {"exercise", "drill", "parade", "manoeuvre", "maneuver", "wargame", "airshow", "exhibition", "show",
          "display", "rehearsal", "flypast", "flyover"}
# the links through which a noun states a verb's purpose: "to join a parade", "where they will take part
# in drills", "for the exercise"
_PURPOSE = {"xcomp", "advcl", "relcl", "acl"}


def _for_show(verb) -> bool:
    """Whether an event noun below the verb is its purpose, reached through a purpose or relative clause
    or through "for"."""
    for t in verb.subtree:
        if t.i <= verb.i or t.pos_ not in ("NOUN", "PROPN") or t.lemma_.lower() not in EVENTS:
            continue
        cur, purpose, steps = t, False, 0
        while cur.i != verb.i and cur.head.i != cur.i and steps < 12:
            if cur.dep_ in _PURPOSE or (cur.dep_ == "prep" and cur.lower_ == "for"):
                purpose = True
            cur, steps = cur.head, steps + 1
        if purpose and cur.i == verb.i:
            return True
    return False


def drop_shows(claims: list[Claim], parsed: dict[int, Parsed]) -> list[Claim]:
    """The claims less the deliveries and expected deliveries whose verb's purpose is an exercise,
    a parade or a show."""
    out = []
    for c in claims:
        if c.kind == "transfer" and c.stage in ("delivered", "expected"):
            verb = claim_verb(c, parsed)
            if verb is not None and verb.pos_ in ("VERB", "AUX") and _for_show(verb):
                continue
        out.append(c)
    return out
