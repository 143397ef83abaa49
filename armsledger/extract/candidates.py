"""Per-sentence candidates: one claim per equipment mention near a transfer verb.

For each mention: the verb that reports it and its stage (stages.py), the parties the sentence
names in their roles, else those the article established (context.py), the count, the date
(dating.py), hedges, sources and terms (cues.py), and verbatim evidence for each field. What a
sentence says only with its neighbours ("another ten", a denial of the report before) is in
discourse.py.
"""
from __future__ import annotations

import re

from armsledger.catalog import Catalog, EquipmentMention
from armsledger.categories import category_group
from armsledger.extract import cues, discourse, quantities, roles, triggers
from armsledger.extract.context import Context, antecedent
from armsledger.extract.dating import as_of, fill_date, long_delivered, order_in_clause
from armsledger.extract.merge import drop_broad, drop_repeats
from armsledger.extract.mentions import Sent, fill_cues
from armsledger.extract.stages import blocked, frames, nearest_trigger, stage_of
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Claim, Evidence

_MAKER_CODE = re.compile(r"\b(?P<maker>[A-Z][A-Za-z-]+(?:\s+[A-Z][A-Za-z-]+)?)\s+(?P<code>\d{1,4}[A-Za-z]{0,3})\s+$")
_DEFINITE = re.compile(r"\b(?:the|these|those|such|its|their|said)\s+(?:[\w-]+\s+){0,2}$", re.I)
_PRONOUN = re.compile(r"\b(?:them|they|these|those|it|the same)\b", re.I)
_DELIVERIES = re.compile(r"\b(?P<q>\w+)\s+(?:(?:similar|more|further|additional|other|new)\s+)?"
                         r"(?P<noun>deliveries|shipments|consignments|batches|tranches)\b", re.I)
# "It comprised two Mi-35P", "The tranche also included ...", "Those include ...": a sentence
# that lists what the one before reported (not "the modernisation, which includes two subs")
_INCLUDES = re.compile(r"^(?:[\"“]?\s*)(?:it|they|those|these|the\s+(?:\w+\s+){0,2}?(?:package|tranche|shipment|consignment|"
                       r"delivery|batch|deal|contract|aid|equipment|order|cargo|assistance|sale|purchase|acquisition|"
                       r"agreement))(?:,[^,]{0,60},)?\s+(?:also\s+)?"
                       r"(?:comprised|comprises|consisted of|consists of|included|includes|include|contained|contains)\b", re.I)
_BROAD_NOUN = re.compile(r"\b(?:weapons|arms|military equipment|military hardware|weaponry|munitions)\b", re.I)
_AID_NEAR = re.compile(r"\b(?:package|tranche|assistance|donation)\b", re.I)
_NON_TRANSFER = re.compile(r"\b(?:fired|shot down|destroyed|crashed|downed|attacked|struck|used (?:by|in|against)|"
                           r"flown by|piloted|operated by|exercise|drill|parade|training of|trained)\b", re.I)
# an order that is only in prospect: "is expected to be signed", "talks on"
_UNSIGNED = re.compile(r"\b(?:(?:expected|set|due|yet|about|going|scheduled|likely)\s+to\s+be\s+(?:signed|finali[sz]ed|concluded|inked)|"
                       r"will be (?:signed|finali[sz]ed|concluded)|not yet (?:been )?signed|negotiat\w+|talks (?:on|over|about|with))\b", re.I)
_TOTAL = re.compile(r"\b(?:in total|a total of|total of|in all|altogether)\b", re.I)
_BEFORE_LATEST = re.compile(r"\bpreviously\b|\bbefore\b|\bearlier\b|\balready\b", re.I)


class Candidates:
    """Builds the candidates of a sentence; holds the gazetteer and catalog it looks names up in."""

    def __init__(self, gazetteer: Gazetteer, catalog: Catalog):
        self.gazetteer = gazetteer
        self.catalog = catalog

    def for_sentence(self, st: Sent, sents: list[Sent], ctx: Context) -> list[Claim]:
        """The candidates of one sentence that names equipment or a transfer verb."""
        t = st.s.text
        base = st.s.start
        out: list[Claim] = []
        trig_list = st.triggers
        if _NON_TRANSFER.search(t) and not trig_list:
            return out
        cum = cues.cumulative(t)
        denial = next((tr for tr in trig_list if tr.stage == "denied"), None)

        equipment = st.equipment
        if not equipment and denial:
            c = None
            if re.search(r"\b(?:report|reports|claim|claims|allegation|allegations|accusations|deal|sale|"
                         r"order|contract|purchase|agreement|transfer|export|delivery|deliveries)\b", t, re.I):
                c = discourse.denial_of_previous(self, st, sents, ctx, denial)
            if c:
                return [c]
            broad = _BROAD_NOUN.search(t)
            if not broad:
                return out
            # "denied supplying weapons to X": a denial needs no model name
            equipment = [EquipmentMention(broad.start(), broad.end(), broad.group(0), None, None, None, True,
                                          broad.end(), True)]
        if not equipment:
            if trig_list:
                m = _DELIVERIES.search(t)
                stage = stage_of(trig_list[0], t)
                if m and stage == "expected":
                    out.append(discourse.pseudo_deliveries(st, m, trig_list[0], ctx))
                else:
                    c = discourse.elliptic(st, sents, ctx, 0)
                    if c:
                        out.append(c)
            return out

        refined = discourse.refine_previous(st, sents)
        if not trig_list and cum:
            # "So far, 16 HIMARS have been deployed": a running total is its own trigger
            trig_list = [triggers.Trigger(cum.start, cum.end, cum.text, "delivered", "neutral", False)]
        if not trig_list:
            # a sentence that only names what an earlier one reported ("It comprised two
            # Mi-35P") inherits that earlier event
            earlier = ctx.stage_before(st, sents) if _INCLUDES.search(t) else None
            if not earlier:
                return out
            trig_list = [triggers.Trigger(0, 0, "", earlier, "neutral", False)]  # no verb of its own to quote

        spans = [(m.start, m.phrase_end) for m in equipment]
        for m in equipment:
            trig = denial if denial is not None and _denial_covers(denial, m, trig_list, t) \
                else nearest_trigger(trig_list, m, t)
            if trig is None:
                continue
            stage = stage_of(trig, t)
            if stage is None:
                continue
            if stage == "pledged" and trig.voice == "neutral" and re.search(r"\bincluded\b", trig.text):
                # "The tranche also included ...": the items of the delivery just reported
                if ctx.stage_before(st, sents) == "delivered":
                    stage = "delivered"
            if stage == "expected" and ctx.aid and re.search(r"\b(?:sent|supplied|provided|transferred|donated|given)\b",
                                                          trig.text, re.I):
                stage = "pledged"  # "will be sent" in an aid package: a promise
            if trig.start >= m.phrase_end and re.search(r"ing$", trig.text) and re.fullmatch(
                    r"\s*(?:(?:were|was|are|is|have been|had been|has been)\s+)?(?:(?:\w+ly|most|very|still|also)\s+){0,3}",
                    t[m.phrase_end:trig.start], re.I):
                continue  # "the Chinese aircraft were most probably delivering FK-3s": the carrier
            if m.generic and category_group(m.category) == "aircraft" and "transport" in (m.category or "") \
                    and re.search(r"arriv|land", trig.text, re.I):
                continue  # "the arrival of Chinese military transport aircraft": the carrier, not the cargo
            if re.search(r"arriv|land|touch", trig.text, re.I) and any(
                    a.via == "force" and 0 <= m.start - a.end <= 1 for a in st.actors):
                continue  # "an Indian Air Force C-17 landed": the sender's own aircraft, carrying the cargo
            if stage != "denied" and blocked(t, trig):
                # "the decision to procure ... with the contract signed on ...": another verb of the
                # same stage in the sentence may still report it
                alt = [o for o in trig_list if o is not trig and stage_of(o, t) == stage and not blocked(t, o)]
                if not alt:
                    continue
                trig = alt[0]
            if stage in ("ordered", "expected", "pledged") and _UNSIGNED.search(t):
                continue
            voice = _purpose_voice(trig, trig_list, t)
            key = (trig.start, voice)
            if key not in st.roles:  # mentions of one sentence usually share their verb
                st.roles[key] = roles.assign(t, st.actors, trig.start, voice, spans)
            roled = st.roles[key]
            c = Claim(article=ctx.meta)
            c.kind = "transfer"
            self.fill_equipment(c, m, st, sents, base)
            q = quantities.before(t, st.qstart.get(id(m), m.start), phrase_end=m.phrase_end) or quantities.after(t, m.phrase_end)
            if q and q.value is None and not q.uncertain:
                q = None
            if q is None and _PRONOUN.search(t) and refined:
                src = refined.get(category_group(m.category))
                if src is not None and src.quantity is not None:
                    c.quantity = src.quantity
                    c.uncertain = src.uncertain
                    if "quantity" in src.evidence:
                        c.evidence["quantity"] = src.evidence["quantity"]
            if q is not None:
                c.quantity, c.uncertain = q.value, q.uncertain
                c.evidence["quantity"] = Evidence(base + q.start, base + q.end, t[q.start:q.end])
                if q.total:
                    c.terms["total"] = q.total
            c.stage = stage
            c.evidence["stage"] = Evidence(base + trig.start, base + trig.end, trig.text) if trig.end > trig.start else None
            if c.evidence["stage"] is None:
                del c.evidence["stage"]
            resp = _respectively(t, m, equipment, roled)
            roled = resp if resp is not roled else _bind_to_item(t, m, roled, st.actors)
            self.fill_actors(c, roled, m, st, ctx, base)
            if c.recipient is None or c.supplier is None or c.recipient == c.supplier:
                continue  # a party unknown even from context, or a domestic delivery: no transfer to record
            fill_date(c, st, trig, m, sents, ctx, base)
            if c.stage == "ordered" and long_delivered(c, trig, t, ctx.reference_year):
                c.stage = "delivered"
                c.notes["stage_inferred"] = "bought years before the report"
            fill_cues(c, st, base)
            if "aid" not in c.terms and _AID_NEAR.search(t):
                discourse.aid_from_context(c, st, sents)
            c.evidence["sentence"] = Evidence(base, base + len(t), t)
            if _TOTAL.search(t, max(0, m.start - 60), m.phrase_end + 30) and c.quantity is not None:
                c.kind = "cumulative"
                c.terms["total"] = c.quantity
            if cum and (stage == "delivered" or cum.start <= m.start) and _in_scope(t, cum, m, trig_list):
                c.kind = "cumulative"
                n = re.search(r"(?:to|of)\s+(\w+)\s+(?:the\s+)?(?:known\s+|total\s+)?(?:number|total|fleet)", cum.text, re.I)
                if n and quantities.parse_number(n.group(1)) is not None:
                    c.quantity = quantities.parse_number(n.group(1))
                    off = base + cum.start + n.start(1)
                    c.evidence["quantity"] = Evidence(off, off + len(n.group(1)), n.group(1))
                if _BEFORE_LATEST.search(t):
                    c.notes["before_latest"] = True
                as_of(c, ctx)
            out.append(c)
            out.extend(_coordinated_recipients(c, st, t, base))
            order = order_in_clause(c, st, trig, base)
            if order is not None:
                out.append(order)
        if out:
            last_trigger_end = max((e.end - base for k, e in out[-1].evidence.items() if k == "stage"), default=0)
            extra = discourse.elliptic(st, sents, ctx, last_trigger_end, antecedent=out[-1])
            if extra:
                out.append(extra)
        return drop_repeats(drop_broad(out))

    def fill_equipment(self, c: Claim, m: EquipmentMention, st: Sent, sents: list[Sent], base: int) -> None:
        """The item: the mention itself, with a maker and variant written before it ("Sikorsky 70i
        BlackHawk"), or for "the helicopters" the model they point back to."""
        t = st.s.text
        c.designation, c.family, c.category, c.maker = m.text, m.family, m.category, m.maker
        c.evidence["designation"] = Evidence(base + m.start, base + m.end, m.text)
        lead = _MAKER_CODE.search(t, max(0, m.start - 40), m.start) if not m.generic else None
        if lead is not None:
            maker = self.gazetteer.lookup(lead.group("maker"))
            if maker is not None and maker.kind in ("maker", "agency"):
                # "Sikorsky 70i BlackHawk": the maker and variant written before the name are part of it
                c.designation = t[lead.start():m.end]
                c.maker = c.maker or maker.name
                c.evidence["designation"] = Evidence(base + lead.start(), base + m.end, c.designation)
        definite = _DEFINITE.search(t, max(0, m.start - 30), m.start) if m.generic else None
        if definite is not None:
            ante = antecedent(sents, st.index, category_group(m.category), m.category, noun=m)
            if ante is not None:
                c.designation, c.family, c.category = ante.designation, ante.family, ante.category
                c.maker = c.maker or ante.maker
                if "designation" in ante.evidence:
                    c.evidence["designation"] = ante.evidence["designation"]
                c.notes["antecedent"] = t[definite.start():m.end]  # the words read as the model: "the planes"

    def fill_actors(self, c: Claim, roled: list[roles.RoledActor], m: EquipmentMention, st: Sent,
                    ctx: Context, base: int) -> None:
        """Parties named in the sentence first, then what the article established.

        Order of evidence for the supplier: an explicit role ("from France", "Russia delivered"),
        a demonym on the goods ("Russian helicopters"), then, where the article already named a
        supplier for this recipient, that one before where the item was made ("Czech-designed
        L-39s" delivered by Russia), and the production origin only when nothing else is known."""
        ev = lambda r: Evidence(base + r.mention.start, base + r.mention.end, r.mention.text)  # noqa: E731
        sup = roles.best(roled, roles.SUPPLIER)
        rec = roles.best(roled, roles.RECIPIENT)
        if rec is not None and rec.mention.actor.kind in ("maker", "agency") and rec.strength < 2:
            rec = None  # a company is a buyer only when a verb or preposition says so
        if rec is not None:
            c.recipient = roles.party_code(rec, roles.RECIPIENT)
            c.evidence["recipient"] = ev(rec)
            # "signed between the United States and Russia": of equally named suppliers, the one
            # the article already gave for this recipient
            ties = [r for r in roled if r.role == roles.SUPPLIER and sup is not None and r.strength == sup.strength]
            known = ctx.supplier_of(c.recipient, st.index) if len(ties) > 1 else None
            if known is not None:
                sup = next((r for r in ties if roles.party_code(r) == known[0]), sup)
        origin = roles.best(roled, roles.ORIGIN, near=m.start)
        if sup is None and origin is not None and origin.mention.actor.country != c.recipient:
            sup = origin
        if sup is not None:
            c.supplier = roles.party_code(sup)  # equal to the recipient for a domestic delivery, dropped later
            c.evidence["supplier"] = ev(sup)
            if sup.mention.actor.kind in ("maker", "agency"):
                c.maker = c.maker or sup.mention.actor.name
        made = roles.best(roled, roles.MADE, near=m.start)
        made_code, made_ev = (made.mention.actor.country, ev(made)) if made is not None else (None, None)
        if made_code is None and c.maker:  # "Embraer EMB-314": the maker named with the model
            made_code = self.gazetteer.state_of(c.maker)
        if made_code and c.family and (made is None or made.mention.actor.kind == "maker"):
            only = self.catalog.suppliers_of(c.family)
            if len(only) == 1 and only[0] != made_code:
                made_code = only[0]  # "Airbus C295": a multinational's model comes from where the register says
        if c.recipient is None:
            rc = ctx.recipient_for(st, c.supplier or made_code)
            if rc and rc[0] != c.supplier:
                c.recipient = rc[0]
                if rc[1] is not None:
                    c.evidence["recipient"] = rc[1]
        if c.supplier is None:
            known = ctx.supplier_of(c.recipient, st.index, category_group(c.category)) if c.recipient else None
            if known is not None and known[0] != made_code:
                c.supplier = known[0]
                if known[1] is not None:
                    c.evidence["supplier"] = known[1]
            elif made_code and made_code != c.recipient:
                c.supplier = made_code
                c.notes["supplier_from"] = "where it was made"
                if made_ev is not None:
                    c.evidence["supplier"] = made_ev
        if c.supplier is None:
            sc = ctx.supplier_for(st, c.recipient, category_group(c.category))
            if sc:
                c.supplier = sc[0]
                if sc[1] is not None:
                    c.evidence["supplier"] = sc[1]
        if (c.supplier and c.supplier == c.recipient) or (c.supplier is None and made_code == c.recipient):
            c.recipient = None  # made and delivered at home: not an international transfer
            c.evidence.pop("recipient", None)
            return
        ctx.note(c, st.index)


def _purpose_voice(trig: triggers.Trigger, trigs: list[triggers.Trigger], text: str) -> str:
    """Whose side a deal's signer is on, from the purpose it states: "Russia signed a deal with Malaysia to
    supply ..." (the signer supplies), "... to buy ..." (the signer buys). A signing verb alone leaves it open."""
    if trig.stage != "ordered" or trig.voice not in ("signer", "neutral"):
        return trig.voice
    to = re.search(r"\bto\s+\w+$", trig.text)
    if to is not None and not _STANCE.search(text, max(0, trig.start - 60), trig.start):
        # the purpose inside the trigger itself: "a deal to buy", "a contract to supply"; not where the
        # subject only takes a stand on it ("China protested a deal to purchase 66 jets")
        own = [o for o in triggers.find(trig.text[to.start():]) if o.start == 0 and o.voice in ("supplier", "recipient")]
        if own:
            return own[0].voice
    for o in trigs:
        if o.text.lower().startswith("to ") and o.voice in ("supplier", "recipient") and frames(trig, o, text):
            return o.voice
    return trig.voice


# verbs of a stand on a deal, as whole words ("backed", not "background"; "objected", not "objective")
_STANCE = re.compile(r"\b(?:protest(?:s|ed|ing)?|critici[sz](?:e|es|ed|ing)|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|"
                     r"oppos(?:e|es|ed|ing)|object(?:s|ed|ing)|warn(?:s|ed|ing)?|slam(?:s|med|ming)?|"
                     r"decr(?:y|ies|ied|ying)|question(?:s|ed|ing)|challeng(?:e|es|ed|ing)|lambast(?:s|ed|ing)?|"
                     r"blast(?:s|ed|ing)|reject(?:s|ed|ing)?|welcom(?:e|es|ed|ing)|prais(?:e|es|ed|ing)|hail(?:s|ed|ing)?|"
                     r"support(?:s|ed|ing)?|back(?:s|ed|ing)?)\b", re.I)
_COORD = re.compile(r"^\s*(?:,\s*)?(?:and|or|as well as|,)\s*(?:the\s+)?$", re.I)


def _coordinated_recipients(c: Claim, st: Sent, t: str, base: int) -> list[Claim]:
    """"no engagement with either Chile or Brazil": one claim per recipient."""
    ev = c.evidence.get("recipient")
    if ev is None or not (st.s.start <= ev.start < st.s.end):
        return []
    out = []
    end = ev.end - base
    for a in st.actors:
        if a.start < end or a.actor.kind != "state":
            continue
        if not _COORD.match(t[end:a.start]):
            break
        code = roles.actor_code(a.actor)
        if code not in (c.recipient, c.supplier):
            twin = Claim.from_dict(c.to_dict())
            twin.recipient = code
            twin.evidence["recipient"] = Evidence(base + a.start, base + a.end, a.text)
            out.append(twin)
        end = a.end
    return out


_ITEM_FROM = re.compile(r"^\s*(?:(?:\w+-)?(?:made|built)\s+)?(?P<prep>from|to|for)\s+(?:the\s+)?$", re.I)


def _bind_to_item(text: str, m: EquipmentMention, roled: list[roles.RoledActor],
                  actors: list[ActorMention]) -> list[roles.RoledActor]:
    """"aircraft from Russia ... and drones from Turkey": a "from X" right after an item
    names that item's supplier, whatever other items in the sentence came from."""
    out = list(roled)
    for i, r in enumerate(roled):
        a = r.mention
        gap = text[m.phrase_end:a.start]
        nxt = roled[i + 1] if i + 1 < len(roled) else None
        if nxt is not None and r.role == roles.OTHER and nxt.mention.actor.kind in ("maker", "agency") \
                and nxt.strength >= 3 and nxt.mention.start - a.end <= 25:
            continue  # "to the U.S. company Draken": the company is the party
        if 0 <= a.start - m.phrase_end <= 12 and _ITEM_FROM.match(gap):
            prep = _ITEM_FROM.match(gap).group("prep").lower()
            role = roles.SUPPLIER if prep == "from" else roles.RECIPIENT
            out = [x for x in out if x.role != role] + [roles.RoledActor(a, role, 4)]
    return out


_RESPECTIVE = re.compile(r"\s+from\s+(?:the\s+)?(?P<a>[^,;]+?)\s+and\s+(?:the\s+)?(?P<b>[^,;.]+)", re.I)


def _respectively(text: str, m: EquipmentMention, mentions: list[EquipmentMention],
                  roled: list[roles.RoledActor]) -> list[roles.RoledActor]:
    """"20 aircraft and several drones from Russia and Turkey": the two suppliers, in order, of
    the two items listed."""
    i = next((k for k, x in enumerate(mentions) if x is m), None)
    if i is None or len(mentions) < 2:
        return roled
    last = mentions[-1]
    mt = _RESPECTIVE.match(text, last.phrase_end)
    first = mentions[-2]
    if not mt or m not in (first, last) or not re.fullmatch(r"[\s\w,-]*\band\b[\s\w-]*",
                                                           text[first.phrase_end:last.start]):
        return roled
    states = [r for r in roled if mt.start("a") <= r.mention.start < mt.end("b")]
    if len(states) != 2:
        return roled
    pick = states[0] if m is first else states[1]
    return [x for x in roled if x.role != roles.SUPPLIER] + [roles.RoledActor(pick.mention, roles.SUPPLIER, 4)]


def _in_scope(text: str, cum: cues.Span, m: EquipmentMention, trigs: list[triggers.Trigger]) -> bool:
    """A running total ("has already received 250 Abrams") covers the items it governs, not
    those of the next clause ("and South Korea delivered the first 10 K2 tanks")."""
    lo, hi = sorted((cum.end, m.start))
    if any(lo <= t.start < hi and not (cum.start <= t.start < cum.end) for t in trigs):
        return False
    return not re.search(r"[;]|,\s+(?:and|while|but)\b", text[lo:hi])


# a turn between two clauses: what the one tells is not what the other denies
_CONTRAST = re.compile(r"\b(?:but|while|whereas|although|though|however|yet)\b|;", re.I)
# "has not yet delivered", "has yet to": no turn
_NOT_YET = re.compile(r"\b(?:not|has|have|had|is|are|was|were)\s+$", re.I)


def _denial_covers(denial: triggers.Trigger, m: EquipmentMention, trig_list: list[triggers.Trigger], text: str) -> bool:
    """A denial in the sentence takes an item, unless the item stands apart from the denial across a contrast and
    has a verb of its own: "Germany cancelled the sale of tanks to Saudi Arabia but delivered six patrol boats"
    denies the tanks, not the boats; "Peru received eight K-8 trainers, but the Gripen deal was cancelled" does
    not deny the K-8s. The contrast must lie between the denial and the item itself ("denied that it sold
    howitzers but delivered spare parts" still denies the howitzers) and between the denial and the item's verb,
    and not open a clause set in between commas ("denied reports, which surfaced while fighting raged, that it
    supplied drones")."""
    own = nearest_trigger(trig_list, m, text)
    if own is None or own is denial or own.stage == "denied":
        return True
    # the turn lies between the denial and both the item and its verb ("refuted claims that it sold jets, yet said
    # nothing about helicopters": the helicopters' verb is the denied "sold")
    if denial.end <= m.start:
        lo, hi = denial.end, min(m.start, own.start)
    else:
        lo, hi = max(m.phrase_end, own.end), denial.start
    for turn in _CONTRAST.finditer(text, lo, max(lo, hi)):
        word = turn.group(0).lower()
        if word == "yet" and _NOT_YET.search(text, 0, turn.start()):
            continue
        if word not in ("but", ";") and "," in text[turn.end():hi]:
            continue  # an inserted clause closed by a comma before the item
        return False
    return True
