"""An item that carries another is not what is transferred: "a Russian An-124 transport plane delivered four
Mi-171 helicopters to Mali" reports a delivery of helicopters.

The rules read every catalog mention near a transfer verb as a candidate, and an aircraft, a ship or a truck
is in the catalog whether it is the cargo or the carrier. The parse tells them apart: the subject of an active
verb of giving ("delivered", "brought", "shipped") is its agent; what is given is its object. So a decided
transfer whose item is the active subject of its own transfer verb, when that verb's object holds another item
of the sentence, is dropped after the decision. An item that is the subject of a verb with no item as its object
stays ("the jets arrived", the passive "the jets were delivered": its subject is what was given), and so does
one that is the subject of another verb than its transfer's ("the Patriot systems Germany delivered shot down a
missile").
"""
from __future__ import annotations

from typing import Any

from armsledger.extract.counts import head_noun
from armsledger.extract.parse import Parsed, claim_token, claim_verb
from armsledger.models import Claim


def _item_head(c: Claim, parsed: dict[int, Parsed]) -> Any | None:
    """The head noun of the claim's item phrase in its sentence's parse ("plane" in "An-124 transport plane")."""
    tok = claim_token(c, parsed, "designation")
    return head_noun(tok) if tok is not None else None


def drop_carriers(decided: list[Claim], candidates: list[Claim], parsed: dict[int, Parsed]) -> list[Claim]:
    """The decided claims less those whose item carries another item of the sentence (`candidates`: every
    claim the rules read, so that the cargo counts even where it was not itself decided)."""
    items: set[tuple[int, int]] = set()  # (sentence start, head token) of every item the rules read
    for c in candidates:
        h = _item_head(c, parsed) if c.kind == "transfer" else None
        if h is not None:
            items.add((c.evidence["sentence"].start, h.i))
    out = []
    for c in decided:
        h = _item_head(c, parsed) if c.kind == "transfer" else None
        verb = claim_verb(c, parsed) if h is not None else None
        if h is not None and verb is not None and h.dep_ == "nsubj" and h.head.i == verb.i:
            start = c.evidence["sentence"].start
            if any((start, t.i) in items and t.i != h.i
                   for ch in verb.children if ch.dep_ == "dobj" for t in ch.subtree):
                continue
        out.append(c)
    return out
