"""Items moved for a show, not handed over: a decided transfer whose verb's purpose is an exercise.

"Russia has sent S-400 systems to Serbia, where they will take part in military drills" and "two Su-30
jets landed in Caracas to join a military parade" move weapons across a border without transferring them
(guidelines: exercises, parades and visits are no transfer). The rules read the motion verb as a
delivery. The parse shows the purpose: an exercise, a drill, a parade or a show reached from the verb
through a purpose or relative clause ("to join", "where they will take part in") or "for". Such a claim
is dropped after the decision. A show that is only the setting of a real handover is left alone: "handed
over the submarines during his visit to China" names a visit, not a purpose; so is a show that items received
will join afterwards ("received eight F-16 jets, which will join an exercise in June").

More readings of the same kind: an item taken in war ("fielded captured Russian tanks") is handed over
by no supplier, a schedule whose subject is another event ("sea trials are scheduled for this summer") or that
hangs on one ("the opening ceremony scheduled for August 6") schedules no delivery unless the event is a
handover's, a show joined ("will join a parade") is no entry into service, and an agreement or a share of the
work "reached" is no arrival. `drop_non_transfers` applies them all in one pass.
"""
from __future__ import annotations

from armsledger.extract.features import trigger_voice
from armsledger.extract.parse import Parsed, claim_token, claim_verb, objects_of
from armsledger.models import Claim

# what weapons are sent to take part in, not to be handed over
EVENTS = {"exercise", "drill", "parade", "manoeuvre", "maneuver", "wargame", "airshow", "exhibition", "show",
          "display", "rehearsal", "flypast", "flyover", "visit"}
# words on an item that say it was taken in war, not handed over: "fielded captured Russian tanks" is no
# transfer from Russia (the guidelines' transfers are handed over by a supplier)
CAPTURED = {"captured", "trophy", "looted"}
# events other than a delivery that a schedule may be about: "sea trials are scheduled for this summer", "the
# signing is scheduled for May" schedule no delivery
OTHER_EVENTS = {"trial", "test", "flight", "exercise", "drill", "overhaul", "upgrade", "refit", "ceremony", "launch",
                "visit", "meeting", "vote", "signing", "talk", "negotiation", "decision", "evaluation", "inspection",
                "christening", "rollout", "competition", "tender", "maintenance", "certification", "qualification"}
# what is "reached" when nothing arrives: an agreement, a deal, a milestone, a share of the work ("under an
# agreement reached on Monday", "the two sides reached a deal to supply", "progress on the order has reached 35%")
REACHED = {"agreement", "deal", "accord", "understanding", "consensus", "compromise", "settlement", "decision",
           "conclusion", "milestone", "stage", "level", "target", "goal", "limit", "capacity", "record", "peak",
           "progress", "%", "percent", "percentage", "rate", "completion", "capability"}
# events that are a delivery themselves: "the handover ceremony", "a ceremony of acceptance"
HANDOVER = {"handover", "hand-over", "delivery", "acceptance", "commissioning", "induction", "transfer", "arrival",
            "reception", "welcome", "welcoming"}
# the links through which a noun states a verb's purpose: "to join a parade", "where they will take part
# in drills", "for the exercise"
_PURPOSE = {"xcomp", "advcl", "relcl", "acl"}
# what only dates an event: "shown during a parade" tells when, not what for (unless the clause is still to
# come: "to be used during drills" is a purpose)
_SETTING = {"during"}
# a visit is a show only when it is the items' own (a port or goodwill visit, or one they arrive for): a handover
# is often timed to a person's visit ("donated to mark the visit of the prime minister"), a ship's visit is none
VISITS = {"visit"}
_VISIT_KINDS = {"port", "goodwill", "courtesy", "friendly", "friendship", "naval"}
# verbs whose subject comes by itself: the items arriving for a visit are the visitors
_ARRIVING = {"arrive", "dock", "land", "call"}


def _visit_of_items(visit, verb) -> bool:
    """The items' own visit: a port, goodwill or courtesy visit, or one the items arrive for themselves ("four
    ships arrived in Lagos for a three-day visit"), with no visitor named ("of the minister", "by Kishida",
    "his visit")."""
    if any(ch.dep_ == "poss" or (ch.dep_ == "prep" and ch.lower_ in ("of", "by")) for ch in visit.children):
        return False
    if any(ch.dep_ in ("compound", "amod") and ch.lemma_.lower() in _VISIT_KINDS for ch in visit.children):
        return True
    return verb.lemma_.lower() in _ARRIVING and any(ch.dep_ == "nsubj" for ch in verb.children)


def _ahead(verb) -> bool:
    """A clause still to come: an infinitive or a future modal ("to be used", "will take part")."""
    return any(ch.dep_ in ("aux", "auxpass") and ch.lower_ in ("to", "will", "would", "shall") for ch in verb.children)


def _for_show(verb, received: bool = False) -> bool:
    """Whether an event noun below the verb is its purpose, reached through a purpose or relative clause
    or through "for"; never one that is only the time of something ("jets, which were shown during a parade",
    "during a visit by the minister"). A receipt (`received`) has no purpose in what the items do afterwards:
    "Slovakia received eight F-16 jets, which will join an exercise in June" is a delivery, where "Russia sent
    two Su-30 jets, which will take part in a parade, to Venezuela" moves them for the show."""
    for t in verb.subtree:
        if t.i <= verb.i or t.pos_ not in ("NOUN", "PROPN") or t.lemma_.lower() not in EVENTS:
            continue
        if t.lemma_.lower() in VISITS and not _visit_of_items(t, verb):
            continue
        cur, purpose, steps = t, False, 0
        while cur.i != verb.i and cur.head.i != cur.i and steps < 12:
            if cur.dep_ == "prep" and cur.lower_ in _SETTING and not _ahead(cur.head):
                purpose = False
                break
            if received and cur.dep_ == "relcl":
                purpose = False  # a relative clause on what was received (or on its source) tells what it will do
                break
            if cur.dep_ in _PURPOSE or (cur.dep_ == "prep" and cur.lower_ == "for"):
                purpose = True
            cur, steps = cur.head, steps + 1
        if purpose and cur.i == verb.i:
            return True
    return False


def _shown(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """A delivery or expected delivery whose verb's purpose is an exercise, a parade or a show, or whose object is
    one ("will join a parade": the entry verb "join" enters no force there)."""
    if c.stage not in ("delivered", "expected"):
        return False
    verb = claim_verb(c, parsed)
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return False
    if _for_show(verb, received=trigger_voice(c) == "recipient"):
        return True
    # "will join a parade" (but not "will join the exercise after delivery in March": the delivery is told too)
    shows = [ch for ch in verb.children if ch.dep_ == "dobj" and ch.lemma_.lower() in EVENTS]
    return bool(shows) and not any(w.lemma_.lower() in HANDOVER | {"deliver", "arrive", "hand"} for w in verb.subtree)


def _captured_phrase(item) -> set[int] | None:
    """The token indices of the item's noun phrase when it carries a word of capture, on the item itself
    or on the noun it is a compound of ("captured T-90 tanks", "trophy tanks"); None when it does not."""
    head = item
    steps = 0
    while head.dep_ in ("compound", "nmod", "amod") and head.head.i != head.i and steps < 4:
        head, steps = head.head, steps + 1
    words = [t for t in (item, head) for t in t.children if t.dep_ in ("amod", "compound", "acl", "nmod")]
    if not any(t.lower_ in CAPTURED for t in words + [item, head]):
        return None
    return {t.i for t in head.subtree}


def _taken_in_war(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """An item taken in war ("has fielded captured Russian T-90 tanks") whose supplier the sentence names
    only on the item or not at all: the state it was taken from is no supplier. A giver named apart from
    the item hands it over ("captured tanks handed to Ukraine by Poland")."""
    item = claim_token(c, parsed, "designation")
    phrase = _captured_phrase(item) if item is not None else None
    if phrase is None:
        return False
    giver = claim_token(c, parsed, "supplier")
    return giver is None or giver.i in phrase


def _schedules_other_event(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """An expected delivery whose schedule is another event's: the subject of the scheduling verb is a
    trial, a flight, a signing ("Sea trials of the first corvette are scheduled for this summer"), not the
    item or its delivery; or the scheduling participle hangs on such an event or a show ("took part in the
    opening ceremony scheduled for August 6", "will join a parade scheduled for June")."""
    if c.stage != "expected":
        return False
    verb = claim_verb(c, parsed)
    if verb is None:
        return False
    if verb.dep_ in ("acl", "relcl") and _other_event(verb.head, OTHER_EVENTS | EVENTS):
        return True
    return any(t.dep_ in ("nsubj", "nsubjpass") and _other_event(t, OTHER_EVENTS) for t in verb.children)


def _other_event(noun, events: set[str]) -> bool:
    """Whether the noun is one of `events` and not a handover's: "the handover ceremony of 12 tanks", "the
    delivery ceremony", "a ceremony of acceptance" are the delivery itself."""
    if noun.lemma_.lower() not in events:
        return False
    own = [ch for ch in noun.children if ch.dep_ in ("compound", "amod", "nmod")]
    own += objects_of(noun, "of")
    return not any(w.lemma_.lower() in HANDOVER for w in own)


def _reached_no_place(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """A delivery read off "reached" when what was reached is an agreement or a milestone, not a place: the
    participle modifies the noun ("an agreement reached on Monday") or the noun is its object or subject ("the
    sides reached a deal", "a deal was reached")."""
    if c.stage != "delivered":
        return False
    verb = claim_verb(c, parsed)
    if verb is None or verb.lemma_.lower() != "reach":
        return False
    if verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in REACHED:
        return True
    return any(t.dep_ in ("dobj", "nsubj", "nsubjpass") and t.lemma_.lower() in REACHED for t in verb.children)


def drop_non_transfers(claims: list[Claim], parsed: dict[int, Parsed]) -> list[Claim]:
    """The claims less the transfers that move nothing from a supplier to a recipient: items sent to a
    show, items taken in war, schedules of another event, and agreements "reached". One pass; claims other
    than transfers stay."""
    return [c for c in claims if c.kind != "transfer" or not (
        _shown(c, parsed) or _taken_in_war(c, parsed) or _schedules_other_event(c, parsed)
        or _reached_no_place(c, parsed))]
