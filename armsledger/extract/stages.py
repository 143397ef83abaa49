"""Which transfer verb reports a piece of equipment, and at which stage.

A sentence may hold several verbs ("signed a contract to supply", "took delivery of six jets it has
bought"); `nearest_trigger` picks the one that reports the item, `stage_of` reads its stage in
context ("will send" in an aid package is a promise, "will supply" under a deal a schedule), and
`blocked` spots the intention, question or negation in front of it that means nothing moved.
"""
from __future__ import annotations

import re

from armsledger.catalog import EquipmentMention
from armsledger.extract import triggers


# "may" is the modal only in lower case: "In May 2011 Uganda purchased" names the month
_INTENT = re.compile(r"\b(?:plans? to|planning to|intends? to|considering|consider|could|(?-i:may)|might|wants? to|"
                     r"seeks? to|seeking to|hopes? to|interested in|negotiat\w*|talks|proposed|proposal|offer(?:ed|s)? to sell|"
                     r"bid|bids|tender|competing|competition|shortlisted|evaluating|evaluation|request(?:ed)? (?:for|to)|"
                     r"would like|if|planned to|hoping to|hope to|looking to|aiming to|(?:to|will|would) sign|"
                     r"agreed in principle to|wish(?:es)? to|ready to sign|whether|"
                     r"tried to|trying to|attempt(?:ed|ing|s)? to|possibility of|decisions?|willing(?: to)?|prepared(?: to)?|open to|eager(?: to)?|keen(?: to)?|"
                     r"(?:designed|intended|meant)\s+(?:to|for)|used to|able to|capable of|in order to|so as to|remember\w*|recall\w*|"
                     r"(?:delay\w*|cancel\w*|halt\w*|suspend\w*|freez\w*|block\w*|stop\w*)(?:\s+or\s+(?:even\s+)?\w+)?|"
                     r"(?:request(?:ed|s)?|appeal(?:ed|s)?|ask(?:ed|s)?|urg(?:ed|es)|call(?:ed|s)? on|call(?:ed|s)? for)\b(?:\s+\w+){0,4}|"
                     r"refus\w+|reluctan\w+|declin\w+)\s+(?:\w+\s+){0,3}$", re.I)
# an approval is not a sale: "approved a possible sale of", "approved a $5 billion sale of", "cleared the
# export of" (the guidelines leave approvals out); a comma ends it ("a contract, approved in May, was signed")
_APPROVAL = re.compile(r"\b(?:approv(?:ed|es|e|al of)|clear(?:ed|s))\s+(?:[\w$€£.'-]+\s+){0,4}$", re.I)


def stage_of(tr: triggers.Trigger, text: str) -> str | None:
    """The stage a trigger reports in its sentence, which may differ from the lexicon's: "is sending" is
    announced, "will send" promised, "will supply" under a deal scheduled."""
    stage = tr.stage
    if stage == "delivered" and re.search(r"\b(?:is|are)\s+(?:now\s+|also\s+)?(?:sending|providing|supplying|giving|donating)$",
                                          text[max(0, tr.start - 16):tr.end], re.I):
        return "pledged"  # "Germany is sending ...": announced, under way, not yet delivered
    if tr.future and stage == "delivered":
        # "will send/provide/donate" is a promise; "will deliver/arrive/hand over" a schedule
        passive = re.search(r"\bbe\s+$", text[max(0, tr.start - 12):tr.start], re.I) is not None
        if re.search(r"\b(?:aid|donat\w*|pledge\w*|promis\w*|assistance|gift\w*)\b", text, re.I):
            return "pledged"
        if re.search(r"\b(?:deal|contract|sale|purchase|order|agreement)\b", text, re.I):
            return "expected"  # "under the deal, Hanwha will supply 18 K9s": a contracted delivery
        if re.search(r"\b(?:send|sent|provid\w*|give|given|donat\w*|supplie?d?|transfer\w*)\b", tr.text, re.I) \
                and not passive:
            return "pledged"
        return "expected"
    if tr.future and stage == "pledged" and re.search(r"\b(?:deliver|arrive)", tr.text, re.I):
        return "expected"
    if stage == "pledged" and tr.voice == "supplier" and re.match(r"(?:will|would|is to|are to) ", tr.text, re.I) \
            and not re.search(r"\b(?:aid|donat\w*|pledge\w*|promis\w*|assistance|gift\w*)\b", text, re.I) \
            and re.search(r"\b(?:deal|contract|sale|purchase|order|agreement)\b", text, re.I):
        return "expected"  # "under the deal, Hanwha will supply ...": a contracted delivery, not a promise
    return stage


def event_stage(tr: triggers.Trigger, text: str) -> str | None:
    """The stage of the event a trigger tells, as a record of its own: `stage_of`, and a future order ("will
    acquire six in 2025") is something expected."""
    s = stage_of(tr, text)
    return "expected" if tr.future and s == "ordered" else s


def is_noun_of(t: triggers.Trigger) -> bool:
    """"the sale of", "a contract for": a noun that names a deal, followed by what it is for (never the
    participle of "the contracted aircraft")."""
    return re.search(r"\b(?:of|for)$", t.text, re.I) is not None


def is_noun(t: triggers.Trigger) -> bool:
    """"the delivery of", "a batch": a trigger that names the event rather than telling it."""
    return t.voice == "neutral" and re.search(r"\bof$|\b(?:batch|shipment|consignment|delivery|tranche|group|lot|package)$",
                                              t.text, re.I) is not None


_QUESTION = re.compile(r"\b(?:whether|if)\b[^.;!?]{0,80}$", re.I)


def blocked(text: str, t: triggers.Trigger) -> bool:
    """An intention, a question, a refusal or a negation in front of the verb: nothing was
    transferred ("asked whether the government has concluded a deal to sell ...")."""
    # "planned to purchase": the trigger's own "to" completes the intention
    end = t.start + 3 if t.text.lower().startswith("to ") else t.start
    return bool(_INTENT.search(text, max(0, t.start - 45), end) or _APPROVAL.search(text, max(0, t.start - 60), end)
                or _QUESTION.search(text, max(0, t.start - 90), t.start)
                or triggers.NEGATION.search(text, max(0, t.start - 30), t.start)
                or re.match(r"\s+(?:neither|no|none|nothing)\b", text[t.end:t.end + 12], re.I)
                or t.stage == "ordered" and _intent_letter(text, t))


# "the memorandum of understanding signed in 2012 for eight": an intention to buy, not yet a contract
_LETTER_OF_INTENT = re.compile(r"\b(?:(?i:memorand(?:um|a) of understanding|letters? of intent)|MoUs?|LoIs?)\b")
_FIRM = re.compile(r"\b(?:contracts?|deals?|orders?|ordered)\b", re.I)


def _intent_letter(text: str, t: triggers.Trigger) -> bool:
    """An MoU or letter of intent is the nearest agreement to an order verb, and no contract
    stands between them ("Following an MoU ..., it signed a contract" is an order)."""
    if _FIRM.search(t.text):
        return False
    for m in _LETTER_OF_INTENT.finditer(text, max(0, t.start - 60), min(len(text), t.end + 40)):
        between = text[m.end():t.start] if m.start() < t.start else text[t.end:m.start()]
        if not _FIRM.search(between):
            return True
    return False


_CLAUSE_BREAK = re.compile(r"\b(?:because|and|but|while|which|who|whereas|although|since|after|as|when)\b|[;,]", re.I)


def frames(order: triggers.Trigger, t: triggers.Trigger, text: str) -> bool:
    """The order verb stands shortly before `t` in the same clause: "signed a contract to supply"."""
    return 0 <= t.start - order.end <= 90 and not _CLAUSE_BREAK.search(text[order.end:t.start])


def _governs(t: triggers.Trigger, m: EquipmentMention, text: str) -> bool:
    """A noun trigger ("the sale of") reports only the phrase that follows it closely:
    not "the sale of the aircraft will be used to turn three L-159s into ..."."""
    if t.stage == "ordered" and not is_noun_of(t) and t.end <= m.start and re.fullmatch(r"\s*(?:[\w-]+\s+)?", text[t.end:m.start]) and \
            re.search(r"\b(?:the|a|an|its|their|\d+|\w+teen|two|three|four|five|six|seven|eight|nine|ten|newly|"
                      r"recently|remaining)\s+$", text[max(0, t.start - 20):t.start], re.I):
        return False  # "the remaining eight contracted aircraft": an adjective
    if not is_noun(t) or t.end > m.start:
        return True
    gap = text[t.end:m.start]
    return len(gap) <= 45 and not re.search(r"\b(?:will|would|is|are|was|were|has|have|had|be|been)\b", gap)


def nearest_trigger(trigs: list[triggers.Trigger], m: EquipmentMention, text: str) -> triggers.Trigger | None:
    """The trigger that reports this piece of equipment.

    A finite delivery verb outranks an order mentioned in a relative clause ("took
    delivery of six jets it has bought"); an order outranks the infinitive it frames
    ("signed a contract to supply", "a contract on the delivery of")."""
    trigs = [t for t in trigs if _governs(t, m, text)]
    if not trigs:
        return None
    # "four Akinci drones ordered by Azerbaijan are expected to arrive": the participle
    # after the noun describes it; the finite verb reports the news
    reduced = [t for t in trigs if t.stage == "ordered" and t.start >= m.phrase_end
               and re.match(r"\s*(?:by|from|under|in|for)\b", text[t.end:t.end + 8])
               and re.fullmatch(r"\s*(?:,\s*)?", text[m.phrase_end:t.start])]
    if reduced and len(reduced) < len(trigs):
        trigs = [t for t in trigs if t not in reduced]
    delivered = [t for t in trigs if t.stage == "delivered" and not t.future and not is_noun(t)]
    ordered = [t for t in trigs if t.stage == "ordered"]
    if delivered and ordered:
        return min(delivered, key=lambda t: abs(t.start - m.start))
    def framed(t: triggers.Trigger) -> bool:
        """"signed a contract to supply", "a deal on the delivery of": the order frames it."""
        if t.stage == "ordered":
            return True
        if not (t.text.lower().startswith("to ") or is_noun(t)):
            return False
        return any(frames(o, t, text) for o in ordered)
    if ordered and all(framed(t) for t in trigs):
        return min(ordered, key=lambda t: abs(t.start - m.start))
    signed = [o for o in ordered if re.search(r"\b(?:was|were|been)\s+$", text[max(0, o.start - 12):o.start])]
    if signed and all(is_noun(t) and t.end <= signed[0].start for t in trigs if t.stage != "ordered"):
        return signed[0]  # "The delivery of the helicopters was signed ...": an order
    before = [t for t in trigs if t.end <= m.start]
    after = [t for t in trigs if t.start >= m.phrase_end]
    if before:
        t = before[-1]
        # "Biden promised Zelenskyy to transfer ...": the finite verb carries the subject
        if t.text.lower().startswith("to ") and len(before) > 1 and before[-2].stage == t.stage \
                and t.start - before[-2].end <= 60:
            return before[-2]
        return t
    return after[0] if after else trigs[0]
