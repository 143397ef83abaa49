"""Two parties named together as the signers of a deal: "India and Russia signed a deal for four frigates",
"a deal between Russia and Nigeria for 12 Mi-35 helicopters".

The words give no direction: either could sell. The role rules read a signing state as the buyer and the name
before it as whatever context makes of it, and the model, trained on those readings, mostly follows the order of
the names; so decided claims of such sentences come out reversed, or with a third party the article named for
another deal. After the decision, a claim whose parties are (or include one of) such a pair is oriented by what
does tell: a company sells to a state or its agency; else the state the item surely comes from (its maker's, as
the text or the catalog names the maker, or the one state the register has supplying its family); else the
direction of the article's other claims between the two; else the one of the two that the register lists among
the family's suppliers (a list that also holds second-hand sellers). Where nothing tells, the claim is left as
decided; so is one with a third party the sentence names (its role is told), and one of a list of three or more
signers, of two firms, or whose verb has a subject of its own after the signing. Running after the decision keeps
the model's inputs as they were: the same reading made in the role rules needs a retrain, and retrained it let
through more wrong claims elsewhere than it fixed.
"""
from __future__ import annotations

import re

from armsledger.catalog import Catalog
from armsledger.extract.roles import actor_code
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Claim, Evidence

# what joins the two names: "India and Russia", "Qatar and the United Kingdom"
_JOIN = re.compile(r"\s*(?:and|&)\s*(?:the\s+)?")
# verbs that both sides of a deal do
_SIGNED = re.compile(r"\b(?:signed|inked|concluded|sealed|struck|agreed|finali[sz]ed)\b", re.I)
# "a deal between Russia and Nigeria"
_BETWEEN = re.compile(r"\b(?:deal|contract|agreement|accord|order|pact)\s+(?:[\w$.,-]+\s+){0,4}?between\s+(?:the\s+)?$",
                      re.I)
# "... signed a contract with Lockheed Martin": the two before the verb then buy together
_WITH = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)
_PARTIES = ("maker", "agency", "state")
# what ends a clause: a comma or a semicolon, a full stop (not a decimal point)
_BREAK = re.compile(r"[,;]|\.(?!\d)")
# what may stand between a name and the verb it is the subject of
_SUBJECT_GAP = re.compile(r"\s*(?:(?:\w+ly|then|also|has|have|had|will|would|is|are|was|were)\s+)*")


def signing_pair(sentence: str, named: list[ActorMention], verb_start: int) -> tuple[ActorMention, ActorMention] | None:
    """The two names of "A and B signed ..." (the signing verb a few words after the second name, in its clause,
    and the claim's verb that verb or in its phrase), when no third name after the signing verb is the other side
    ("A and B signed a contract with C"); or of "a deal between A and B"."""
    for a, b in zip(named, named[1:]):
        if not _JOIN.fullmatch(sentence[a.end:b.start]) or actor_code(a.actor) == actor_code(b.actor):
            continue
        if a.actor.kind not in _PARTIES or b.actor.kind not in _PARTIES or "demonym" in (a.via, b.via):
            continue  # "Indian and Russian officials signed": adjectives on the signers, not the parties
        if a.actor.kind == b.actor.kind == "maker" or re.search(r",\s*(?:the\s+)?$", sentence[:a.start]):
            continue  # two firms ("Leonardo and Rheinmetall signed") are partners; "Estonia, Latvia and Lithuania" a list
        if _BETWEEN.search(sentence, 0, a.start):
            return a, b
        verb = _SIGNED.search(sentence, b.end, b.end + 40)
        if verb is None or verb.start() > verb_start + 1 or _BREAK.search(sentence, b.end, verb.start()):
            continue
        if verb_start - verb.end() > 60 or _BREAK.search(sentence, verb.end(), max(verb.end(), verb_start)):
            continue  # the claim's verb is the signing verb or in its phrase ("signed a deal for")
        if any(x.start > verb.end() and _WITH.search(sentence, max(0, x.start - 60), x.start) for x in named):
            continue
        if any(verb.end() <= x.start and x.end <= verb_start and _SUBJECT_GAP.fullmatch(sentence, x.end, verb_start)
               for x in named):
            continue  # "agreed a ceasefire as Russia delivered", "a deal under which Germany buys back": its own subject
        return a, b
    return None


def orient_signers(claims: list[Claim], mentions: dict[int, list[ActorMention]], catalog: Catalog | None = None,
                   gazetteer: Gazetteer | None = None) -> list[Claim]:
    """The claims, each whose sentence names its deal's two signers oriented as the module's docstring says.
    `mentions`: sentence start -> the gazetteer's mentions in it (decide.sentences_read's first part)."""
    catalog = catalog or Catalog.default()
    gazetteer = gazetteer or Gazetteer.default()
    for c in claims:
        sent, told = c.evidence.get("sentence"), c.evidence.get("stage")
        if c.kind != "transfer" or sent is None or told is None:
            continue
        pair = signing_pair(sent.quote, mentions.get(sent.start, []), told.start - sent.start)
        if pair is None:
            continue
        codes = [actor_code(m.actor) for m in pair]
        if c.supplier not in codes and c.recipient not in codes:
            continue
        named = {actor_code(m.actor) for m in mentions.get(sent.start, [])}
        if any(x not in codes and x in named for x in (c.supplier, c.recipient)):
            # a third party the sentence names has its own role: "A and B signed a contract to buy X from C", "an
            # agreement to deliver X to C", "a deal between A and B ..., while A delivered tanks to C"
            continue
        origin = _item_origin(c, catalog, gazetteer)
        if c.supplier not in codes and c.supplier in origin[0] | origin[1]:
            continue  # a seller from context that the item does come from: "the United States and Afghanistan
            # signed a contract for Mi-17 helicopters", Russia's (a third-party purchase)
        oriented = _orient(pair, codes, origin, c, claims)
        if oriented is None:
            continue
        sup, rec = oriented
        # a buying state's agency signs for its state ("Hanwha Aerospace and the Armament Agency": Poland)
        sup_code, rec_code = actor_code(sup.actor), actor_code(rec.actor)
        if (c.supplier, c.recipient) == (sup_code, rec_code):
            continue
        c.supplier, c.recipient = sup_code, rec_code
        c.evidence["supplier"] = Evidence(sent.start + sup.start, sent.start + sup.end, sup.text)
        c.evidence["recipient"] = Evidence(sent.start + rec.start, sent.start + rec.end, rec.text)
        c.notes["parties_from"] = "the deal's two signers, oriented"
    return claims


def _orient(pair: tuple[ActorMention, ActorMention], codes: list[str], origin: tuple[set[str], set[str]], c: Claim,
            claims: list[Claim]) -> tuple[ActorMention, ActorMention] | None:
    """(supplier mention, recipient mention), or None where nothing tells. `origin`: `_item_origin` of the claim.
    A buyer is never a firm: two firms make no pair, and of a firm and a state the firm sells."""
    first, second = pair
    sells = [m.actor.kind == "maker" for m in pair]
    if sells[0] != sells[1]:
        return (first, second) if sells[0] else (second, first)
    a, b = codes
    strong, listed = origin
    for suppliers in (strong, _article_direction(a, b, c, claims), listed):
        if (a in suppliers) != (b in suppliers):
            return (first, second) if a in suppliers else (second, first)
    return None


def _item_origin(c: Claim, catalog: Catalog, gazetteer: Gazetteer) -> tuple[set[str], set[str]]:
    """Where the item comes from: surely (the state of its maker, as the text or the catalog names it, or the one
    state the register has supplying its family), and possibly (every state the register has supplying it)."""
    listed = set(catalog.suppliers_of(c.family)) if c.family else set()
    makers = [c.maker] if c.maker else catalog.makers_of(c.family) if c.family else []
    states = {s for s in map(gazetteer.state_of, makers) if s}
    if len(states) == 1:
        return states, listed
    return (listed if len(listed) == 1 else set()), listed


def _article_direction(a: str, b: str, c: Claim, claims: list[Claim]) -> set[str]:
    """The supplier of the article's other claims between `a` and `b` that name both in their own sentence,
    where they agree."""
    found = set()
    for o in claims:
        if o is c or o.kind != "transfer" or {o.supplier, o.recipient} != {a, b}:
            continue
        sent = o.evidence.get("sentence")
        if sent is None or sent == c.evidence.get("sentence"):
            continue
        if all(k in o.evidence and sent.start <= o.evidence[k].start < sent.end for k in ("supplier", "recipient")):
            found.add(o.supplier)
    return found if len(found) == 1 else set()
