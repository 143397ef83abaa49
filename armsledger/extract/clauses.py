"""Whose clause an item is in: the subject of the transfer verb that holds the item is that verb's own side.

"Ghana received two Z-9 helicopters from China, while Nigeria ordered four Mi-35 helicopters from Russia" tells
two transfers in two clauses, each with a subject of its own. The rules read a sentence's parties once, off the
words around its first verb, and the secondary event proposed under the second verb (events.py) copies them: the
Mi-35 order comes out with Ghana as the buyer, and the model, which weighs the rules' own reading heavily, keeps
it. The parse shows what the word order hides: the Mi-35s hang on "ordered", whose subject is Nigeria, and
"ordered" tells its subject's side (the trigger lexicon's voice: the buyer's). So after the decision, a claim
whose item lies in the own clause of a transfer verb (the verb the rules quoted, or else the item's own verb where
it tells the claim's stage: "Brazil received 12 Leopard 2 tanks from Germany, while 24 Rafale jets were delivered
to Egypt by France", where the rules quote "received" for the Rafales), and whose verb has one subject (a passive's
"by" agent) naming one state and no other party, takes that state for the side the verb's voice gives it
("recipient": "Nigeria ordered", "Angola has received", "were ordered by Nigeria"; "supplier": "Russia sold",
"were delivered ... by France"), unless it is already one of the claim's parties. A passive's agent replaces only
a party the rules read in another clause: it is often a carrier or a payer ("were delivered to Armenia by Georgian
rail", "were bought by Germany from the United States for Ukraine"). A gerund with no subject of its own takes the
one it is understood to have: the object of a verb it gives the grounds of ("accused", "thanked", "punished"), or
the subject of the verb it tells the means of ("accused Iran of enabling Russia's invasion of Ukraine by providing
hundreds of drones to Russian forces": Iran supplies, not Ukraine, the name the rules read nearest the verb); like a
passive's agent, it replaces only a party the rules read outside the gerund's clause ("thanked Germany for buying
three Patriot systems from the United States for Kyiv": Germany pays).

Left alone: a subject that names a company or more than one party ("the German arms maker Rheinmetall bought",
"Ghana and Nigeria ordered"), an item whose own relative clause tells a transfer of its own between parties it
names ("Israel bought drones that Iran had supplied to Hezbollah": the rules read that transfer's parties), a
relative clause's verb (its subject is "which"), a verb whose voice is neutral ("arrived", "signed"), and an item
whose own verb tells another stage (factuality's `item_verb` judges those). The step runs after the decision, so
the model is trained on the rules' parties as they are.
"""
from __future__ import annotations

from typing import Any

from armsledger.extract import triggers
from armsledger.extract.counts import head_noun
from armsledger.extract.factuality import trigger_clause
from armsledger.extract.features import trigger_voice
from armsledger.extract.parse import Parsed, claim_token, claim_verb
from armsledger.extract.stages import event_stage
from armsledger.models import Claim, Evidence

# the voices of the trigger lexicon that give a verb's subject a side (the side of the same name); "neutral" and
# "signer" verbs leave it open
_SIDES = ("recipient", "supplier")


def _holds(verb: Any, item: Any) -> bool:
    """Whether the item lies in the verb's own clause: its governing verb is the verb, or an open complement of it
    ("has ordered six jets", "agreed to buy six jets" hang the jets on "ordered" and "buy")."""
    return trigger_clause(item, {verb.i}).i == verb.i


def _named_in(tok: Any, mentions: list) -> list:
    """The gazetteer mentions (sentence offsets) that lie within the words of a token's subtree."""
    words = list(tok.subtree)
    lo, hi = words[0].idx, words[-1].idx + len(words[-1].text)
    return [m for m in mentions if lo <= m.start and m.end <= hi]


def _subject_party(verb: Any, mentions: list) -> Any | None:
    """The one gazetteer mention in the verb's one active subject, when it is a state and no other party is
    named there ("Nigeria", "the Angola Air Force", "Ghana's navy"); None otherwise."""
    subjects = [ch for ch in verb.children if ch.dep_ == "nsubj"]
    if _passive(verb):
        # a passive's agent is its active subject: "24 Rafale jets were delivered to Egypt by France"
        subjects = [o for ch in verb.children if ch.dep_ == "agent" for o in ch.children if o.dep_ == "pobj"]
    elif not subjects:
        subjects = [x for x in [_controller(verb)] if x is not None]
    if len(subjects) != 1:
        return None
    inside = _named_in(subjects[0], mentions)
    if len({m.actor.code for m in inside}) != 1 or inside[0].actor.kind != "state":
        return None
    return inside[0]


# verbs whose object did what their "of" or "for" gerund tells: "accused Iran of supplying", "thanked Germany for
# providing" (not a request, "asked France for", nor a payment, "paid Poland for delivering ... from Germany")
_GROUNDS = frozenset({"accuse", "blame", "thank", "praise", "criticise", "criticize", "condemn", "sanction", "fine",
                      "punish", "reward", "commend", "credit", "charge", "suspect", "denounce", "slam", "fault"})


def _controller(verb: Any) -> Any | None:
    """The understood subject of a gerund that has none of its own: the subject of the verb it tells the means of
    ("Russia helped Syria by supplying S-300 systems"), the object of a verb it gives the grounds of ("accused Iran of
    supplying drones", "thanked Germany for providing tanks"), through a chain of such gerunds ("accused Iran of
    enabling the invasion by providing drones"). None where the chain ends elsewhere (a noun's "of": "the risk of
    supplying"; a passive: "was criticised for supplying")."""
    v = verb
    for _ in range(4):
        if v.dep_ != "pcomp" or v.head.dep_ != "prep" or v.head.head.pos_ not in ("VERB", "AUX"):
            return None
        prep, head = v.head, v.head.head
        if prep.lower_ == "by":
            subjects = [ch for ch in head.children if ch.dep_ == "nsubj"]
            if subjects:
                return subjects[0]
            v = head  # "... of enabling the invasion by providing": whose enabling
            continue
        if prep.lower_ in ("of", "for") and head.lemma_.lower() in _GROUNDS:
            objects = [ch for ch in head.children if ch.dep_ == "dobj"]
            return objects[0] if len(objects) == 1 else None
        return None
    return None


def _told_again(item: Any, mentions: list) -> bool:
    """Whether the item's noun carries a relative clause or a participle that tells a transfer of its own, between
    parties it names ("bought drones that Iran had supplied to Hezbollah"): the parties the rules read there are that
    transfer's, and the subject of the verb above is no side of it. A clause that tells no transfer ("jets that
    France had built for Qatar") or names no party ("six Super Tucanos, the first three of which will be delivered
    this year") leaves the item to its verb."""
    for ch in head_noun(item).children:
        if ch.dep_ in ("relcl", "acl") and triggers.find(ch.text) and _named_in(ch, mentions):
            return True
    return False


def _own_verb(c: Claim, item: Any, p: Parsed) -> tuple[Any | None, str | None]:
    """The transfer verb of the item's own clause and its voice, when that verb tells the claim's stage ("Brazil
    received 12 Leopard 2 tanks from Germany, while 24 Rafale jets were delivered to Egypt by France": the rules quote
    "received" for the Rafales); (None, None) otherwise."""
    sent = c.evidence["sentence"]
    for t in triggers.find(sent.quote):
        tok = p.token_at(sent.start + t.start, sent.start + t.end)
        if tok is not None and _holds(tok, item) and event_stage(t, sent.quote) == c.stage:
            return tok, t.voice
    return None, None


def _passive(verb: Any) -> bool:
    """A passive verb: a passive subject and no active one ("were delivered to Egypt by France")."""
    return not any(ch.dep_ == "nsubj" for ch in verb.children) and any(ch.dep_ == "nsubjpass" for ch in verb.children)


def _stated_in_clause(verb: Any, code: str | None, mentions: list) -> bool:
    """Whether the party `code` is named in the verb's own clause (its words less the clauses joined to it): a
    passive's agent is often not the side its verb gives ("were delivered to Armenia by Georgian rail", "were bought
    by Germany from the United States for Ukraine"), so it replaces only a party the rules read in another clause."""
    if not code:
        return False
    skip = set()
    for ch in verb.children:
        if ch.dep_ in ("advcl", "ccomp", "conj", "parataxis", "cc"):
            skip.update(t.i for t in ch.subtree)
    spans = [(t.idx, t.idx + len(t.text)) for t in verb.subtree if t.i not in skip]
    return any(m.actor.code == code and any(lo <= m.start < hi for lo, hi in spans) for m in mentions)


def reread_subjects(claims: list[Claim], read: tuple[dict[int, list], dict[int, Parsed]]) -> list[Claim]:
    """The claims, each transfer's party on its verb's own side taken from the verb's subject where the parse
    shows one (see the module's docstring). `read`: decide.sentences_read's result (the gazetteer's mentions
    and the parse of each claim's sentence)."""
    mentions, parsed = read
    for c in claims:
        sent, told = c.evidence.get("sentence"), c.evidence.get("stage")
        if c.kind != "transfer" or sent is None or told is None or sent.start not in parsed:
            continue
        verb = claim_verb(c, parsed)
        item = claim_token(c, parsed, "designation")
        if verb is None or item is None:
            continue
        voice = trigger_voice(c)
        if not _holds(verb, item):
            # the rules quoted a verb of another clause: the item's own verb, when it tells the claim's stage
            verb, voice = _own_verb(c, item, parsed[sent.start])
        side = voice if voice in _SIDES else None
        named = mentions.get(sent.start, [])
        if side is None or verb is None or verb.pos_ not in ("VERB", "AUX") or _told_again(item, named):
            continue
        m = _subject_party(verb, named)
        own_subject = any(ch.dep_ == "nsubj" for ch in verb.children)
        if m is None or m.actor.code in (c.supplier, c.recipient) or (
                not own_subject and _stated_in_clause(verb, getattr(c, side), named)):
            continue  # a passive's agent and a gerund's understood subject may be a payer or a carrier
        setattr(c, side, m.actor.code)
        c.evidence[side] = Evidence(sent.start + m.start, sent.start + m.end, m.text)
        c.notes[f"{side}_from"] = "the subject of its verb"
    return claims
