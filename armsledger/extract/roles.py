"""Who gives and who gets: the role of each state or company named in a sentence.

Roles come from the words right around the name ("from Russia", "to Mali",
"Russian-made", "Mali's air force") and from where the name stands relative to
the transfer verb ("Russia delivered" vs "Mali received").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from armsledger.extract import cues, triggers
from armsledger.gazetteer import ActorMention

class _Gated:
    """A left-context pattern tried only when one of its words is there: most names in a
    sentence have none of them, and a substring test costs far less than a regex scan."""

    __slots__ = ("rx", "keys")

    def __init__(self, rx: re.Pattern, *keys: str):
        self.rx, self.keys = rx, keys

    def search(self, text: str):
        low = text.lower()
        if not any(k in low for k in self.keys):
            return None
        return self.rx.search(text)


SUPPLIER, RECIPIENT, ORIGIN, OTHER, COUNTERPART = "supplier", "recipient", "origin", "other", "counterpart"
# where the item was made ("Czechoslovak-made", "built by"): weaker than who the article says
# supplies it, since second-hand and licensed items travel from a third state
MADE = "made"

_FROM_TIGHT = _Gated(re.compile(r"\b(?:from)\s+(?:the\s+|its\s+|a\s+)?(?:[A-Za-z][\w-]*\s+){0,5}$", re.I), 'from')
_TO = _Gated(re.compile(r"\b(?:to|for|into|towards)\s+(?:the\s+)?(?:(?!(?:what|which|who|whom|where|when|how|whether|that|"
                 r"use|fear|years?|months?|days?|decades?|help|support|instance|example)\b)[\w’'-]+\s+){0,2}$", re.I), 'to ', 'for ', 'into', 'towards')
# "to Peru from Belarus": the name after "from" is the supplier, not a second recipient ("to troops from Ukraine"
# is not such a case: the people after "to" come from the recipient)
_NAME_THEN_FROM = re.compile(r"(?i:to|for|into|towards)\s+(?:the\s+)?[A-Z][\w’'-]*\s+(?i:from|by)\s+$")
# a full stop or a semicolon ends a clause, a decimal point ("a 5.2 billion-euro deal") does not
_CLAUSE_STOP = re.compile(r";|\.(?!\d)")
_CLAUSE_JOIN = re.compile(r"\b(?:and|but|which|who|that)\b")
_TO_TIGHT = _Gated(re.compile(r"\b(?:to|for)\s+(?:the\s+)?$", re.I), 'to ', 'for ')
# "by X" names a party only after a transfer or production participle ("delivered by",
# "acquired by", "built by"), not after "trained by" or "attacked by"
_BY_GIVING = r"delivered|supplied|sold|sent|provided|transferred|donated|gifted|given|handed over|shipped|exported"
_BY_VERBS = (_BY_GIVING + r"|acquired|bought|purchased|procured|ordered|received|welcomed|inducted|accepted|operated|"
             r"built|made|manufactured|produced|developed|designed|offered|funded|financed|paid for")
# the participle nearest "by" is the one it completes: "received tanks donated by Canada" is a gift by Canada,
# not a receipt by it, so no other participle of the list may stand between the verb and "by"
_BY = _Gated(re.compile(rf"\b(?P<verb>{_BY_VERBS})\s+(?:(?!(?:{_BY_VERBS})\b)[\w-]+\s+){{0,3}}?"
                        r"by\s+(?:the\s+|its\s+|an?\s+)?(?:[A-Za-z][\w-]*\s+){0,4}$", re.I), ' by ')
# "supplied and operated by Russia": a participle of giving coordinated right before the one nearest "by"
_GIVER_AND = re.compile(rf"\b(?:{_BY_GIVING})\s+(?:and|or)\s+$", re.I)
_BY_RECIPIENT = {"acquired", "bought", "purchased", "procured", "ordered", "received", "welcomed", "inducted",
                 "accepted", "operated"}
_BY_ORIGIN = {"built", "made", "manufactured", "produced", "developed", "designed"}
_BY_PAYER = {"funded", "financed", "paid for"}
# "attacks from Russia", "the threat from China": a source that is not a supplier
_HOSTILE_FROM = _Gated(re.compile(r"\b(?:criticism|warnings?|objections?|concerns?|protests?|reactions?|response|comments?|"
                           r"statements?|visits?|delegations?|opposition|condemnation|attacks?|strikes?|threats?|aggression|invasion|war|fire|shelling|bombardment|pressure|"
                           r"sanctions|protect\w*|defend\w*|escap\w*|fled|withdraw\w*|incursions?|drones? strikes?|"
                           r"missiles? fired|rockets?|danger|away|independence|secession|separation|exit|departure)\s+(?:\w+\s+){0,2}"
                           r"from\s+(?:the\s+)?(?:former\s+)?$", re.I), 'from')
_STATE_MAKER = re.compile(r"(?:[’']s)?\s+(?:(?:state-owned|state|private|defen[cs]e|arms|aerospace|aircraft|"
                          r"company|firm|contractor|group|manufacturer|maker|producer|shipbuilder|shipyard|"
                          r"corporation|conglomerate|giant|exporter)\s+){0,3}")
# "Prague, Nov 5 (CTK) –", "ISLAMABAD:", "New Delhi, April 19": where the story was filed
_DATELINE = re.compile(r"^[A-Z][A-Za-z .'’-]{2,30}(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s*\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
                       r"\s*(?:\([A-Za-z .-]{2,20}\))?\s*[:–—-]\s|^[A-Z][A-Za-z .'’-]{2,30},\s*(?:[A-Z][a-z]{2,8}\.?\s*\d{1,2}"
                       r"|\d{1,2}\s+[A-Z][a-z]{2,8})(?:\s*\([A-Za-z .-]{2,20}\))?\s+(?=[A-Z])")
# "According to X, the spokesperson for the US Department of State, Iran delivered ...": the
# source and its title, up to the clause that reports the transfer
_ACCORDING_LEAD = re.compile(r"^(?:According to|In the words of)\s[^,]{2,60},\s(?:(?:the|a|an)\s[^,]{2,100},\s)?", re.I)
_PROMISED = _Gated(re.compile(r"\b(?:promised|pledged to|assured|told|offered|guaranteed)\s+(?:the\s+)?$", re.I), 'promised', 'pledged', 'assured', 'told', 'offered', 'guaranteed')
_SUPPLIER_NOUN = re.compile(r"^\s+(?:\w+\s+){0,2}(?:suppliers?|manufacturers?|contractors?|makers?|exporters?|"
                            r"producers?|defen[cs]e industry|arms industry|industry|firms|companies)\b", re.I)
_BUYER_DEAL = re.compile(r"^\s+(?:\w+\s+)?(?:deal|order|contract|plan|bid)\s+to\s+(?:buy|purchase|acquire|procure)\b", re.I)
# "the Turkmenistan order", "Poland's purchase of", "French exports of": a party right before a noun that
# names its side of a transaction
_BUYER_NOUN = re.compile(r"^(?:[’']s)?\s+(?:(?:new|latest|recent|planned|first|second|initial|additional|"
                         r"earlier|previous|original|\$?[\d.,]+[- ]?(?:million|billion|bn)?(?:-dollar|-euro)?)\s+){0,2}"
                         r"(?:orders?|purchases?|acquisitions?|procurement|imports?|buy)\b", re.I)
_SELLER_NOUN = re.compile(r"^(?:[’']s)?\s+(?:(?:arms|weapons|defen[cs]e|military)\s+)?(?:sales?|exports?)\b", re.I)
_DEMONYM_NOUN = re.compile(r"^\s+(?:president|prime minister|PM|government|authorities|counterpart|leader|leadership|"
                           r"defen[cs]e ministry|ministry|side|state|forces|army|military|troops|navy|air force|"
                           r"junta|regime|parliament|congress|cabinet)\b", re.I)
# "signed a contract with X", "a deal between X and Y": the other party of an agreement
_WITH_LEFT = _Gated(re.compile(r"\b(?:contract|deal|agreement|accord|signed|inked|engagement|memorandum|mou|order)\b[^.;]{0,40}?"
                        r"(?:\bwith\s+(?:the\s+|either\s+)?(?:[A-Za-z][\w-]*\s+){0,3}"
                        r"|\bbetween\s+(?:the\s+)?(?:[A-Z][\w-]*\s+|of\s+|and\s+){0,6})$", re.I), 'with', 'between')
_ACCORDING = _Gated(re.compile(r"\baccording to\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$|\b(?:told|said to|quoted by|reported by)\s+(?:the\s+)?$", re.I), 'according', 'told', 'said to', 'quoted', 'reported')
# "built in Russia", "made in France": where it was made, not who supplies it
_MADE_IN = _Gated(re.compile(r"\b(?:built|made|manufactured|produced|assembled|designed|developed)\s+in\s+(?:the\s+)?$", re.I), ' in ')
# "manufactured under license from Sikorsky": the design's origin, not the seller
_LICENCE_FROM = _Gated(re.compile(r"\blicen[cs]e\s+(?:agreement\s+)?(?:from|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I), 'licen')
# "arrived in Bangladesh", "landed in Bamako": the destination
_ARRIVED_IN = _Gated(re.compile(r"\b(?:arrived|arrives|arriving|landed|lands|delivered|touched down)\s+(?:\w+\s+){0,2}?(?:in|at)\s+(?:the\s+)?$", re.I), ' in ', ' at ')
_TRAVEL = _Gated(re.compile(r"\b(?:visit(?:s|ed|ing)?|trip|travel(?:s|led|ing)?|tour|flew|flight|journey|mission|"
                     r"delegation|returned)\s+(?:\w+\s+)?to\s+(?:the\s+)?$", re.I), ' to ')
_LOCATION = _Gated(re.compile(r"\b(?:in|at|near|outside|over|across|inside|within|around|visit to|visiting|capital,?)\s+(?:the\s+)?$", re.I), 'in ', 'at ', 'near', 'outside', 'over ', 'across', 'inside', 'within', 'around', 'visit', 'capital')
# "Peru, which bought 12 jets": the name a relative clause hangs on is the subject of its verb
_RELATIVE = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?,\s*(?:which|who|that)\s+(?:(?:has|have|had|also|later|then|"
                       r"recently|already|previously|since|itself|reportedly)\s+){0,2}", re.I)
_PRONOUN_SUBJECT = re.compile(r"\b(?:it|they)\s+(?:\w+\s+){0,2}$", re.I)
_GOODS = re.compile(r"^(?:-|\s)(?:[\w,]+\s+){0,5}(?:equipment|weapons|arms|gear|consignment|shipment|cargo|hardware|materiel|"
                    r"jets?|aircraft|warplanes?|military|made|built|supplied|delivered)\b", re.I)
_WITH = re.compile(r"^\s+with\b", re.I)
_MADE = re.compile(r"^(?:-|\s)(?:made|built|manufactured|produced|designed|supplied|origin|developed)\b", re.I)
# "Mali's air force": the state whose forces get the equipment
_POSSESSIVE = re.compile(r"^[’']s?\s+(?:\w+\s+){0,2}(?:air force|army|navy|military|armed forces|forces|"
                         r"troops|marines|coast guard|fleet|inventory|arsenal)\b", re.I)
# "at a lower price than that proposed by Airbus": a rival, not a party
_RIVAL = _Gated(re.compile(r"\b(?:than|instead of|equivalent to|comparable to|similar to|on par with|rather than|unlike|compared with|compared to|competing with|beating|"
                    r"beat out|over rival|rival)\b[^,;]*$", re.I), 'than', 'instead', 'equivalent', 'comparable', 'similar', 'on par', 'unlike', 'compared', 'competing', 'beat', 'rival')


# the flag or nationality of the vessel or aircraft that carried a shipment is not a party to it:
# "delivered by the Dutch-registered vessel", "aboard a Ukrainian cargo plane"
_FLAG = re.compile(r"^(?:-|\s)(?:registered|flagged|flag)\b", re.I)
_CARRIER_NOUN = re.compile(r"^(?:-|\s)(?:[\w-]+\s+){0,2}?(?:vessels?|freighters?|(?:cargo|container|heavy-lift|transport)\s+"
                           r"(?:ships?|planes?|aircraft|jets?)|ships?|planes?|airliners?|airlines?|carriers?|ferr(?:y|ies)|"
                           r"barges?|trains?|convoys?)\b(?!\s+(?:makers?|manufacturers?|builders?|compan(?:y|ies)|industry))", re.I)
_CARRIER_LEFT = re.compile(r"\b(?:by|aboard|on board|onboard|via|on|in|using)\s+(?:an?\s+|the\s+|two\s+|several\s+)?$", re.I)


def _is_carrier(a: ActorMention, left: str, right: str) -> bool:
    if _FLAG.match(right):
        return True
    return bool(_CARRIER_NOUN.match(right)) and bool(_CARRIER_LEFT.search(left))


def is_carrier(sentence: str, a: ActorMention) -> bool:
    """The mention names the flag or nationality of the carrier, not a party."""
    return _is_carrier(a, sentence[max(0, a.start - 60):a.start], sentence[a.end:a.end + 40])


@dataclass(frozen=True)
class RoledActor:
    mention: ActorMention
    role: str
    strength: int  # 3 explicit preposition, 2 verb position, 1 weak


def assign(sentence: str, actors: list[ActorMention], verb_start: int | None, verb_voice: str | None,
           equipment_spans: list[tuple[int, int]]) -> list[RoledActor]:
    out = []
    pronoun_subject = verb_start is not None and bool(_PRONOUN_SUBJECT.search(sentence, max(0, verb_start - 30), verb_start))
    carried_left: dict[int, str] = {}
    dateline = _DATELINE.match(sentence) or _ACCORDING_LEAD.match(sentence)
    # only the name nearest before the verb is its subject ("US: Iran supplied ...")
    subject = None
    if verb_start is not None:
        before = [k for k, a in enumerate(actors) if a.end <= verb_start and not (
            a.via == "demonym" and not _DEMONYM_NOUN.match(sentence[a.end:a.end + 40]))]
        subject = before[-1] if before else None
    for i, a in enumerate(actors):
        left = carried_left.get(i) or sentence[max(0, a.start - 60):a.start]
        right = sentence[a.end:a.end + 40]
        role, strength = OTHER, 0
        adjective = a.via == "demonym" and not _DEMONYM_NOUN.match(right)
        by = _BY.search(left)
        nxt = actors[i + 1] if i + 1 < len(actors) else None
        if _is_carrier(a, left, right):
            role, strength = OTHER, 0
        elif (dateline and a.end <= dateline.end()) or _TRAVEL.search(left) or _RIVAL.search(left) or _ACCORDING.search(left) or _HOSTILE_FROM.search(left) or (
                _LOCATION.search(left) and not _FROM_TIGHT.search(left) and not _TO_TIGHT.search(left)
                and not _MADE_IN.search(left) and not _ARRIVED_IN.search(left)):
            role, strength = OTHER, 0
        elif nxt is not None and nxt.actor.kind in ("maker", "agency") and _STATE_MAKER.fullmatch(sentence[a.end:nxt.start] or "x"):
            role, strength = OTHER, 0  # "South Korea's Hanwha Aerospace": the maker carries the role
            carried_left[i + 1] = left
        elif a.actor.kind in ("maker", "agency") and any(
                s <= a.start < e or (0 <= s - a.end <= 12 and re.fullmatch(r"[\s\w-]*", sentence[a.end:s]))
                for s, e in equipment_spans):
            role, strength = MADE, 1  # "Dassault Aviation Rafale": the maker named with its product
        elif _PROMISED.search(left) and verb_start is not None and a.end <= verb_start:
            role, strength = RECIPIENT, 2  # "Biden promised Ukraine's president to transfer ..."
        elif _SUPPLIER_NOUN.match(right):
            role, strength = SUPPLIER, 2  # "orders for US military suppliers"
        elif _MADE.match(right) or _MADE_IN.search(left) or _LICENCE_FROM.search(left):
            role, strength = MADE, 2
        elif _ARRIVED_IN.search(left) and a.actor.kind == "state":
            role, strength = RECIPIENT, 2
        elif _POSSESSIVE.match(right) and not _FROM_TIGHT.search(left):
            role, strength = RECIPIENT, 2
            if verb_start is not None and a.start < verb_start and verb_voice == "supplier":
                role = SUPPLIER
        elif _BUYER_NOUN.match(right) and not _FROM_TIGHT.search(left):
            role, strength = RECIPIENT, 2  # "the Turkmenistan order for two helicopters"
        elif _SELLER_NOUN.match(right) and not _TO_TIGHT.search(left):
            role, strength = SUPPLIER, 2   # "Russian arms exports to India"
        elif by:
            v = by.group("verb").lower()
            if _GIVER_AND.search(left, 0, by.start()):
                v = "supplied"  # "supplied and operated by Russia": the giver named by both participles
            if v in _BY_PAYER:
                role, strength = OTHER, 0
            else:
                role = RECIPIENT if v in _BY_RECIPIENT else MADE if v in _BY_ORIGIN else SUPPLIER
                strength = 3 if role != MADE else 2
        elif _TO_TIGHT.search(left) or (not adjective and (to := _TO.search(left)) is not None
                                        and not _NAME_THEN_FROM.match(left, to.start())
                                        and _buyers_to(sentence, a.start - len(left) + to.start(), a.start)):
            role, strength = RECIPIENT, 3
        elif _FROM_TIGHT.search(left):
            role, strength = SUPPLIER, 3
        elif _WITH_LEFT.search(left):
            role, strength = COUNTERPART, 2
        elif adjective and _modifies_equipment(a, equipment_spans, sentence):
            role, strength = ORIGIN, 2
        elif verb_start is not None and a.end <= verb_start and not adjective and (i == subject or i + 1 == subject
                                                                                    and a.actor.kind != "state"
                                                                                    and not speaker_before(sentence, a, actors[subject])):
            gap = sentence[a.end:verb_start]
            if len(gap) < 90 and (not (_CLAUSE_STOP.search(gap) or _CLAUSE_JOIN.search(gap))
                                  or (pronoun_subject and not _CLAUSE_STOP.search(gap))
                                  or _RELATIVE.fullmatch(gap)):
                if verb_voice == "supplier":
                    role, strength = SUPPLIER, 2
                elif verb_voice == "recipient":
                    role, strength = RECIPIENT, 2
                elif verb_voice == "denier":
                    # who denies or cancels: the side whose verb the sentence names
                    # ("cancelled an order for": who orders is the buyer)
                    if re.search(r"\b(?:buy|buying|purchas\w*|acqui\w*|receiv\w*|obtain\w*|orders?)\b", sentence, re.I):
                        role, strength = RECIPIENT, 2
                    else:
                        role, strength = SUPPLIER, 2
                elif verb_voice == "signer":
                    # who signs: a company sells, a state buys
                    role, strength = (SUPPLIER if a.actor.kind in ("maker", "agency") else RECIPIENT), 2
                elif a.actor.kind in ("maker", "agency"):
                    role, strength = SUPPLIER, 1
        elif verb_start is not None and a.start >= verb_start and verb_voice == "supplier" and _WITH.match(right):
            role, strength = RECIPIENT, 2  # "provided Ukraine with 16 HIMARS"
        elif verb_start is not None and a.start >= verb_start and verb_voice == "supplier" \
                and not adjective and not re.search(r"[,;]", sentence[verb_start:a.start]) \
                and a.start - verb_start < 25:
            role, strength = RECIPIENT, 1  # "sent Ukraine ..." (indirect object)
        if role == OTHER and adjective and a.actor.kind == "state" and _GOODS.match(right):
            role, strength = ORIGIN, 1  # "Russian equipment"
        if role == OTHER and adjective and a.actor.kind == "state" and _BUYER_DEAL.match(right):
            role, strength = RECIPIENT, 2  # "the Philippine deal to buy helicopters"
        # a company that signs or sells is the supplier, whatever the verb
        if a.actor.kind in ("maker", "agency") and role == RECIPIENT and strength < 3 and verb_voice != "recipient":
            role = SUPPLIER
        out.append(RoledActor(a, role, strength))
    return _resolve_counterparts(out, verb_voice)


def _resolve_counterparts(out: list[RoledActor], voice: str | None) -> list[RoledActor]:
    """"signed a contract with X": X is whichever side the subject is not."""
    if not any(r.role == COUNTERPART for r in out):
        return out
    has_sup = any(r.role == SUPPLIER for r in out)
    has_rec = any(r.role == RECIPIENT for r in out)
    roled = {actor_code(r.mention.actor): r.role for r in out if r.role in (SUPPLIER, RECIPIENT)}
    res = []
    for r in out:
        if r.role == COUNTERPART and actor_code(r.mention.actor) in roled:
            # "a deal with Egypt to provide its K9s to Cairo": the counterpart is a party already
            # named in a role, and keeps it
            r = RoledActor(r.mention, roled[actor_code(r.mention.actor)], 1)
        elif r.role == COUNTERPART:
            if r.mention.actor.kind in ("maker", "agency") and not has_sup:
                role = SUPPLIER
            elif has_sup and not has_rec:
                role = RECIPIENT
            elif has_rec and not has_sup:
                role = SUPPLIER
            elif not has_sup and not has_rec and voice == "denier":
                role = RECIPIENT  # "no engagement with Chile": the other side of a denied sale is the buyer
            else:
                role = OTHER
            r = RoledActor(r.mention, role, 1 if role != OTHER else 0)
        res.append(r)
    return res


def speaker_before(sentence: str, a: ActorMention, subject: ActorMention) -> bool:
    """ "Embraer said Angola has ordered": a verb of saying between two names makes the first the speaker, and
    the second the subject of the clause it reports; the speaker is no party by its place before the verb."""
    said = cues.SPEECH_VERB.search(sentence, a.end, subject.start)
    # a denial is not a report: "Rheinmetall denied Hungary ordered ..." denies the clause it names
    return said is not None and not re.search(r"\bdeni", said.group(0), re.I)


def _buyers_to(sentence: str, at: int, name_start: int) -> bool:
    """Whether the "to" at `at`, up to two words before a name, makes the name the recipient.

    Not when it opens a transfer verb of the lexicon: that "to" is the infinitive's marker, which says nothing of
    the side of a name after the verb ("agreed to sell any Royal Navy frigates to Chile", "a deal to purchase
    India's missiles"). Except that a name right after an infinitive of giving is the verb's first object, who
    gets the item ("bought 14 tanks to give Ukraine", "plans to send the Philippine Navy two ships")."""
    verb = next((t for t in triggers.find(sentence[at:at + 40]) if t.start == 0), None)
    if verb is None:
        return True
    return verb.voice in ("supplier", "neutral") and re.fullmatch(r"\s+(?:the\s+)?",
                                                                  sentence[at + verb.end:name_start]) is not None


def tight_to(sentence: str, a: ActorMention) -> bool:
    """ "to Mali", "for the Army": the name right after the preposition."""
    return bool(_TO_TIGHT.search(sentence[max(0, a.start - 20):a.start]))


def _modifies_equipment(a: ActorMention, spans: list[tuple[int, int]], sentence: str) -> bool:
    for s, _e in spans:
        if 0 <= s - a.end <= 45 and not re.search(r"[,;.]|\b(?:and|to|from|for|by)\b", sentence[a.end:s]):
            return True
    return False


def party_code(r: RoledActor, role: str = SUPPLIER) -> str:
    """The code a party is recorded by in `role`: a state's ISO3, or a buying company's name."""
    a = r.mention.actor
    if a.kind in ("maker", "agency") and role == RECIPIENT:
        return a.name  # a company that buys is itself the recipient
    return actor_code(a)


def actor_code(a) -> str:
    """A state or a maker's state as ISO3; a non-state group by its name."""
    if a.kind == "group":
        return a.code
    return a.country or a.code


def best(roled: list[RoledActor], role: str, near: int | None = None) -> RoledActor | None:
    """The strongest party in `role`; of equals, the one nearest `near` when given."""
    cands = [r for r in roled if r.role == role]
    if not cands:
        return None
    if near is not None:
        return min(cands, key=lambda r: (-r.strength, abs(r.mention.start - near)))
    return max(cands, key=lambda r: r.strength)
