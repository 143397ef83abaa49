"""Article → Claims: the extraction pipeline.

One pass over the sentences. A sentence that can hold no transfer (no trigger,
no equipment) is dropped after a couple of regular-expression checks; the rest
get equipment, actors, dates, quantities and cues, and each equipment mention
becomes a claim. A second pass fills what a sentence leaves implicit from its
neighbours, as a careful reader would: "the helicopters" → the Mi-35P named just
before, "It comprised ..." → the delivery and date of the sentence before,
"the country" → the recipient the article is about.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from armsledger.catalog import Catalog, EquipmentMention
from armsledger.categories import category_group
from armsledger.extract import cues, decide, events, quantities, roles, sentences, triggers
from armsledger.extract.dates import DateMention, date_in_url, find_dates
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Article, Claim, Evidence

# "an export version of the Mi-24P": a model named only to describe another
_DESCRIBES = re.compile(r"\b(?:version|variant|derivative|successor|copy|development|upgrade|modification)s? of\s+(?:the\s+|an?\s+)?$"
                        r"|\b(?:replace|replaced|replacing|retire|retiring|phase out|succeed)\b[^.;]{0,60}$"
                        r"|\b(?:against|counter|countering|to defeat|to shoot down|to intercept|to protect from)\b[^,;.]{0,40}$"
                        r"|\b(?:upgrade|upgrading|modernis\w+|moderniz\w+|overhaul\w*|refurbish\w*|maintain\w*|repair\w*|"
                        r"service|servicing|support)\s+(?:the\s+|its\s+|their\s+|existing\s+)?(?:[\w-]+\s+){0,2}$"
                        r"|\b(?:similar to|based on|derived from|like|such as|unlike|instead of|"
                        r"rather than|than|compete with|competing with|competitor to|rival to|alongside)\s+(?:the\s+|its\s+|their\s+|an?\s+)?"
                        r"(?:\w+\s+){0,2}$", re.I)
_MODIFIER_OF = re.compile(r"[\s-]+(?:deal|deals|contract|contracts|sale|sales|order|orders|purchase|programme|program|"
                          r"agreement|tender|fleet|unit|units|crew|crews|pilots?|squadron|base|maker|makers|"
                          r"manufacturer|industry|factory|plant|market|project|procurement|acquisition|competition|"
                          r"crash|attack|attacks|strike|strikes|operations?|ammunition|parts|spare|defen[cs]e|shield|"
                          r"threats?|programmes?|programs?|capabilit\w+|technology|range|tests?|launch\w*)\b", re.I)
_SUPPLIES_FOR = re.compile(r"[\s-]+(?:ammunition|munitions|rounds|shells|spare parts|spares|parts|simulators?|training|"
                           r"maintenance|crews?|pilots?|engines? for)\b", re.I)
# the aircraft or ship that carried the cargo is not part of it
# "USS Chinook (PC 9)", "ex-HMS Norfolk": a ship's name, not a Chinook helicopter
_SHIP_NAME = re.compile(r"\b(?:USS|USNS|USCGC|HMS|HMAS|HMCS|HMNZS|BRP|INS|PNS|KRI|ROKS|TCG|RFS|FS|ARA|BNS|NRP|SPS|ITS|"
                        r"KD|RSS|HTMS|JS|CNS|ex-USS|ex-HMS)\s+(?:[A-Z][\w.-]*\s+){0,2}(?:\(\s*)?$")
_CARRIER = re.compile(r"\b(?:by|aboard|on board|onboard|via|using|(?:in|on)(?=\s+an?\s))\s+(?:an?\s+|the\s+|two\s+|several\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_CARRYING = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:carrying|transporting|loaded with|laden with|ferrying|delivering|bringing)\b",
                       re.I)
_MAKER_CODE = re.compile(r"\b(?P<maker>[A-Z][A-Za-z-]+(?:\s+[A-Z][A-Za-z-]+)?)\s+(?P<code>\d{1,4}[A-Za-z]{0,3})\s+$")
_DEFINITE = re.compile(r"\b(?:the|these|those|such|its|their|said)\s+(?:[\w-]+\s+){0,2}$", re.I)
_PRONOUN = re.compile(r"\b(?:them|they|these|those|it|the same)\b", re.I)
_DELIVERIES = re.compile(r"\b(?P<q>\w+)\s+(?:(?:similar|more|further|additional|other|new)\s+)?"
                         r"(?P<noun>deliveries|shipments|consignments|batches|tranches)\b", re.I)
_NUMWORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)"
_ELLIPSIS = re.compile(rf"\b(?:another|a further|the remaining|the other|the last|the final|the first|the next)\s+(?P<n>{_NUMWORD})\b"
                       rf"(?!\s+(?:years?|months?|weeks?|days?|percent|per cent|%|million|billion))"
                       rf"|\b(?P<n2>{_NUMWORD})\s+(?:more|others|additional|remaining)\b(?!\s+(?:years?|months?|weeks?|days?))"
                       rf"|\b(?P<n3>{_NUMWORD})\s+of\s+them\b", re.I)
# "It comprised two Mi-35P", "The tranche also included ...", "Those include ...": a sentence
# that lists what the one before reported (not "the modernisation, which includes two subs")
_INCLUDES = re.compile(r"^(?:[\"“]?\s*)(?:it|they|those|these|the\s+(?:\w+\s+){0,2}?(?:package|tranche|shipment|consignment|"
                       r"delivery|batch|deal|contract|aid|equipment|order|cargo|assistance|sale|purchase|acquisition|"
                       r"agreement))(?:,[^,]{0,60},)?\s+(?:also\s+)?"
                       r"(?:comprised|comprises|consisted of|consists of|included|includes|include|contained|contains)\b", re.I)
_PROSPECT = re.compile(r"\b(?:impending|upcoming|forthcoming|planned|expected|will|would|future|next)\b", re.I)
_BROAD_NOUN = re.compile(r"\b(?:weapons|arms|military equipment|military hardware|weaponry|munitions)\b", re.I)
_AID_NEAR = re.compile(r"\b(?:package|tranche|assistance|donation)\b", re.I)
_EVENT_NOUN = re.compile(r"\b(?:shipment|consignment|delivery|deliveries|batch|tranche|handover|hand-over|arrival|"
                         r"ceremony|equipment|cargo|flight)\b", re.I)
_INTENT = re.compile(r"\b(?:plans? to|planning to|intends? to|considering|consider|could|may|might|wants? to|"
                     r"seeks? to|seeking to|hopes? to|interested in|negotiat\w*|talks|proposed|proposal|offer(?:ed|s)? to sell|"
                     r"bid|bids|tender|competing|competition|shortlisted|evaluating|evaluation|request(?:ed)? (?:for|to)|"
                     r"would like|if|planned to|hoping to|hope to|looking to|aiming to|(?:to|will|would) sign|"
                     r"agreed in principle to|wish(?:es)? to|ready to sign|whether|"
                     r"tried to|trying to|attempt(?:ed|ing|s)? to|possibility of|decisions?|willing(?: to)?|prepared(?: to)?|open to|eager(?: to)?|keen(?: to)?|"
                     r"designed|intended|meant|used to|able to|capable of|in order to|so as to|remember\w*|recall\w*|"
                     r"(?:delay\w*|cancel\w*|halt\w*|suspend\w*|freez\w*|block\w*|stop\w*)(?:\s+or\s+(?:even\s+)?\w+)?|"
                     r"(?:request(?:ed|s)?|appeal(?:ed|s)?|ask(?:ed|s)?|urg(?:ed|es)|call(?:ed|s)? on|call(?:ed|s)? for)\b(?:\s+\w+){0,4}|"
                     r"refus\w+|reluctan\w+|declin\w+)\s+(?:\w+\s+){0,3}$", re.I)
_NON_TRANSFER = re.compile(r"\b(?:fired|shot down|destroyed|crashed|downed|attacked|struck|used (?:by|in|against)|"
                           r"flown by|piloted|operated by|exercise|drill|parade|training of|trained)\b", re.I)
# an order that is only in prospect: "is expected to be signed", "talks on"
_UNSIGNED = re.compile(r"\b(?:(?:expected|set|due|yet|about|going|scheduled|likely)\s+to\s+be\s+(?:signed|finali[sz]ed|concluded|inked)|"
                       r"will be (?:signed|finali[sz]ed|concluded)|not yet (?:been )?signed|negotiat\w+|talks (?:on|over|about|with))\b", re.I)
_TOTAL = re.compile(r"\b(?:in total|a total of|total of|in all|altogether)\b", re.I)
_BEFORE_LATEST = re.compile(r"\bpreviously\b|\bbefore\b|\bearlier\b|\balready\b", re.I)
BROAD = {"aircraft", "equipment", "systems", "weapons", "arms", "military equipment", "units", "platforms"}
MAX_EVENT_DISTANCE = 2
# A "sentence" longer than this is not read: the longest in 460 annotated news articles has 453
# characters, so this is a run-on line, a table or padding, and reading it would cost time
# that grows faster than its length (the rules' patterns backtrack over long runs).
MAX_SENTENCE = 2000


@dataclass
class _Sent:
    index: int
    s: sentences.Sentence
    triggers: list[triggers.Trigger] = field(default_factory=list)
    equipment: list[EquipmentMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    found: list[ActorMention] | None = None  # the gazetteer's mentions before _trusted (None: not looked up)
    dates: list[DateMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    qstart: dict[int, int] = field(default_factory=dict)
    roles: dict[tuple, list] = field(default_factory=dict)
    cues: tuple | None = None


class Extractor:
    """Holds the loaded gazetteer and catalog; `extract` is re-entrant."""

    def __init__(self, gazetteer: Gazetteer | None = None, catalog: Catalog | None = None, decide: bool = True):
        self.decide = decide  # False: the rule candidates as proposed (training reads these)
        self.gazetteer = gazetteer or Gazetteer.default()
        self.catalog = catalog or Catalog.default()
        self._prefilter = triggers.prefilter()

    # ----------------------------------------------------------------- public
    def extract(self, article: Article) -> list[Claim]:
        text = article.text
        pub = article.published or date_in_url(article.url)
        sents = [_Sent(i, s) for i, s in enumerate(x for x in sentences.split(text) if len(x.text) <= MAX_SENTENCE)]
        ctx = _Context(article, self.gazetteer, pub)
        for st in sents:
            self._analyse(st, pub)
        lowered = text.lower()
        for st in sents:
            st.actors = _trusted(st.actors, lowered, st.s.text)
        ctx.learn(sents)
        claims: list[Claim] = []
        for st in sents:
            if st.equipment or st.triggers:
                new = self._claims_for(st, sents, ctx)
                st.claims = new
                claims.extend(new)
        _specify_generics(claims, sents)
        _suppliers_named_later(claims)
        claims = _dedupe(claims)
        _date_running_totals(claims)
        if self.decide:
            claims = decide.decide(claims + events.secondary_events(claims, pub), gazetteer=self.gazetteer,
                                   mentions={st.s.start: st.found for st in sents if st.found is not None})
        for c in claims:  # a party taken from context is quoted where the article first names it
            for field in ("supplier", "recipient"):
                code = getattr(c, field)
                if code and field not in c.evidence and code in ctx.first_state:
                    c.evidence[field] = ctx.first_state[code]
        for n, c in enumerate(claims):
            c.id = f"{article.id}-{n}"
        _link_denials(claims)
        return claims

    # --------------------------------------------------------------- analysis
    def _analyse(self, st: _Sent, pub: str | None) -> None:
        t = st.s.text
        hit = self._prefilter.search(t)
        st.equipment, st.qstart = _prune_mentions(t, _with_counted_nouns(t, self.catalog.find(t)))
        if not hit and not st.equipment:
            return  # nothing to report here, and no party to learn: skip the gazetteer too
        st.triggers = triggers.find(t) if hit else []
        st.actors = st.found = self.gazetteer.find(t)
        st.dates = [d for d in _same_year(t, find_dates(t, pub))
                    if not _NOT_EVENT_DATE.search(t, max(0, d.start - 25), d.start)]

    # ------------------------------------------------------------------ claims
    def _claims_for(self, st: _Sent, sents: list[_Sent], ctx: "_Context") -> list[Claim]:
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
                c = self._denial_of_previous(st, sents, ctx, denial)
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
                stage = _stage_of(trig_list[0], t)
                if m and stage == "expected":
                    out.append(self._pseudo_deliveries(st, m, trig_list[0], ctx))
                else:
                    c = self._elliptic(st, sents, ctx, 0)
                    if c:
                        out.append(c)
            return out

        refined = self._refine_previous(st, sents)
        if not trig_list and cum:
            # "So far, 16 HIMARS have been deployed": a running total is its own trigger
            trig_list = [triggers.Trigger(cum.start, cum.end, cum.text, "delivered", "neutral", False)]
        if not trig_list:
            # a sentence that only names what an earlier one reported ("It comprised two
            # Mi-35P") inherits that earlier event
            event = ctx.event_before(st, sents) if _INCLUDES.search(t) else None
            if not event:
                return out
            trig_list = [event.trigger_like(st.s)]

        spans = [(m.start, m.phrase_end) for m in equipment]
        for m in equipment:
            trig = denial or _nearest_trigger(trig_list, m, t)
            if trig is None:
                continue
            stage = _stage_of(trig, t)
            if stage is None:
                continue
            if stage == "pledged" and trig.voice == "neutral" and re.search(r"\bincluded\b", trig.text):
                # "The tranche also included ...": the items of the delivery just reported
                ev = ctx.event_before(st, sents)
                if ev is not None and ev.stage == "delivered":
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
            if stage != "denied" and _blocked(t, trig):
                # "the decision to procure ... with the contract signed on ...": another verb of the
                # same stage in the sentence may still report it
                alt = [o for o in trig_list if o is not trig and _stage_of(o, t) == stage and not _blocked(t, o)]
                if not alt:
                    continue
                trig = alt[0]
            if stage in ("ordered", "expected", "pledged") and _UNSIGNED.search(t):
                continue
            key = (trig.start, trig.voice)
            if key not in st.roles:  # mentions of one sentence usually share their verb
                st.roles[key] = roles.assign(t, st.actors, trig.start, trig.voice, spans)
            roled = st.roles[key]
            c = Claim(article=ctx.meta)
            c.kind = "transfer"
            self._fill_equipment(c, m, st, sents, base)
            q = quantities.before(t, st.qstart.get(id(m), m.start)) or quantities.after(t, m.phrase_end)
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
            self._fill_actors(c, roled, m, st, ctx, base)
            if c.recipient is None or c.supplier is None or c.recipient == c.supplier:
                continue  # a party unknown even from context, or a domestic delivery: no transfer to record
            self._fill_date(c, st, trig, m, sents, ctx, base)
            if c.stage == "ordered" and _long_delivered(c, trig, t, ctx.reference_year):
                c.stage = "delivered"
                c.notes["stage_inferred"] = "bought years before the report"
            self._fill_cues(c, st, base)
            if "aid" not in c.terms and _AID_NEAR.search(t):
                self._aid_from_context(c, st, sents)
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
                _as_of(c, ctx)
            out.append(c)
            out.extend(_coordinated_recipients(c, st, t, base))
            order = _order_in_clause(c, st, trig, base)
            if order is not None:
                out.append(order)
        if out:
            last_trigger_end = max((e.end - base for k, e in out[-1].evidence.items() if k == "stage"), default=0)
            extra = self._elliptic(st, sents, ctx, last_trigger_end, antecedent=out[-1])
            if extra:
                out.append(extra)
        return _drop_repeats(_drop_broad(out))

    # ---------------------------------------------------------------- helpers
    def _fill_equipment(self, c: Claim, m: EquipmentMention, st: _Sent, sents: list[_Sent], base: int) -> None:
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
        if m.generic and _DEFINITE.search(t, max(0, m.start - 30), m.start):
            ante = _antecedent(sents, st.index, category_group(m.category), m.category)
            if ante is not None:
                c.designation, c.family, c.category = ante.designation, ante.family, ante.category
                c.maker = c.maker or ante.maker
                if "designation" in ante.evidence:
                    c.evidence["designation"] = ante.evidence["designation"]
                c.notes["antecedent"] = True

    def _fill_actors(self, c: Claim, roled: list[roles.RoledActor], m: EquipmentMention, st: _Sent,
                     ctx: "_Context", base: int) -> None:
        """Parties named in the sentence first, then what the article established.

        Order of evidence for the supplier: an explicit role ("from France", "Russia delivered"),
        a demonym on the goods ("Russian helicopters"), then, where the article already named a
        supplier for this recipient, that one before where the item was made ("Czech-designed
        L-39s" delivered by Russia), and the production origin only when nothing else is known."""
        ev = lambda r: Evidence(base + r.mention.start, base + r.mention.end, r.mention.text)  # noqa: E731
        sup = _best(roled, roles.SUPPLIER)
        rec = _best(roled, roles.RECIPIENT)
        if rec is not None and rec.mention.actor.kind in ("maker", "agency") and rec.strength < 2:
            rec = None  # a company is a buyer only when a verb or preposition says so
        if rec is not None:
            c.recipient = _code(rec, roles.RECIPIENT)
            c.evidence["recipient"] = ev(rec)
            # "signed between the United States and Russia": of equally named suppliers, the one
            # the article already gave for this recipient
            ties = [r for r in roled if r.role == roles.SUPPLIER and sup is not None and r.strength == sup.strength]
            known = ctx.supplier_of(c.recipient, st.index) if len(ties) > 1 else None
            if known is not None:
                sup = next((r for r in ties if _code(r) == known[0]), sup)
        origin = _best(roled, roles.ORIGIN, near=m.start)
        if sup is None and origin is not None and origin.mention.actor.country != c.recipient:
            sup = origin
        if sup is not None:
            c.supplier = _code(sup)  # equal to the recipient for a domestic delivery, dropped later
            c.evidence["supplier"] = ev(sup)
            if sup.mention.actor.kind in ("maker", "agency"):
                c.maker = c.maker or sup.mention.actor.name
        made = _best(roled, roles.MADE, near=m.start)
        made_code, made_ev = (made.mention.actor.country, ev(made)) if made is not None else (None, None)
        if made_code is None and c.maker:  # "Embraer EMB-314": the maker named with the model
            a = self.gazetteer.lookup(c.maker)
            made_code = a.country if a is not None else None
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

    def _fill_date(self, c: Claim, st: _Sent, trig: triggers.Trigger, m: EquipmentMention, sents: list[_Sent],
                   ctx: "_Context", base: int) -> None:
        d = _nearest_date(st.dates, trig, m, c.stage, st.triggers, ctx.published)
        if d is None and c.stage in ("delivered", "expected"):
            ev = ctx.dated_event_near(st, sents, c.stage)
            if ev is not None:
                d, dbase = ev
                _set_date(c, d, dbase)
                return
        if d is not None:
            _set_date(c, d, base)
            return
        if c.stage in ("delivered", "ordered", "pledged") and ctx.published and _is_news_event(st, trig):
            _date_by_publication(c, ctx)

    def _fill_cues(self, c: Claim, st: _Sent, base: int) -> None:
        if st.cues is None:  # every claim of a sentence shares its hedges, source and terms
            t = st.s.text
            st.cues = (cues.hedge(t), cues.attribution(t), cues.terms(t))
        h, a, terms = st.cues
        if h:
            c.hedged = True
            c.evidence["hedged"] = Evidence(base + h.start, base + h.end, h.text)
        if a:
            c.attribution = a.text
            c.evidence["attribution"] = Evidence(base + a.start, base + a.end, a.text)
        for key, span in terms.items():
            c.terms[key] = span.text if key == "value" else True
            c.evidence[f"terms.{key}"] = Evidence(base + span.start, base + span.end, span.text)

    def _denial_of_plan(self, st: _Sent, prev: _Sent, ctx: "_Context", tr: triggers.Trigger) -> Claim | None:
        m = prev.equipment[0]
        t0 = prev.triggers[0]
        roled = roles.assign(prev.s.text, prev.actors, t0.start, t0.voice, [(x.start, x.phrase_end) for x in prev.equipment])
        c = Claim(article=ctx.meta, kind="transfer", stage="denied")
        self._fill_equipment(c, m, prev, [], prev.s.start)
        self._fill_actors(c, roled, m, prev, ctx, prev.s.start)
        if c.recipient is None or c.supplier is None:
            return None
        base = st.s.start
        c.evidence["stage"] = Evidence(base + tr.start, base + tr.end, tr.text)
        c.evidence["sentence"] = Evidence(base, st.s.end, st.s.text)
        self._fill_cues(c, st, base)
        c.terms = {}
        c.evidence = {k: v for k, v in c.evidence.items() if not k.startswith("terms.")}
        return c

    def _aid_from_context(self, c: Claim, st: _Sent, sents: list[_Sent]) -> None:
        """"The package includes ..." after "a new military aid package": the items are aid."""
        for prev in reversed(sents[max(0, st.index - MAX_EVENT_DISTANCE):st.index]):
            m = cues.AID.search(prev.s.text)
            if m:
                c.terms["aid"] = True
                c.evidence["terms.aid"] = Evidence(prev.s.start + m.start(), prev.s.start + m.end(), m.group(0))
                return

    def _denial_of_previous(self, st: _Sent, sents: list[_Sent], ctx: "_Context", tr: triggers.Trigger) -> Claim | None:
        prev = sents[st.index - 1] if st.index else None
        if prev is not None and prev.equipment and not prev.claims and prev.triggers:
            # "... planned to buy 100 Leopards from a Swiss company. Switzerland has blocked the
            # sale.": the plan was no claim, but it is what the denial is about
            return self._denial_of_plan(st, prev, ctx, tr)
        for prev in reversed(sents[max(0, st.index - 4):st.index]):
            cands = [c for c in prev.claims if c.stage in ("ordered", "delivered", "pledged") and c.kind == "transfer"]
            cands.sort(key=lambda c: c.stage != "ordered")
            if cands:
                src = cands[0]
                base = st.s.start
                c = Claim(article=ctx.meta, kind="transfer", supplier=src.supplier, recipient=src.recipient,
                          maker=src.maker, designation=src.designation, family=src.family, category=src.category,
                          stage="denied")
                c.evidence = {k: v for k, v in src.evidence.items() if k in ("designation", "supplier", "recipient")}
                c.evidence["stage"] = Evidence(base + tr.start, base + tr.end, tr.text)
                c.evidence["sentence"] = Evidence(base, st.s.end, st.s.text)
                c.notes["denies_stage"] = src.stage
                c._denies_obj = src  # type: ignore[attr-defined]
                self._fill_cues(c, st, base)
                # a denial's own words ("no such contract") are not terms of a deal
                c.terms = {}
                c.evidence = {k: v for k, v in c.evidence.items() if not k.startswith("terms.")}
                return c
        return None

    def _elliptic(self, st: _Sent, sents: list[_Sent], ctx: "_Context", after: int,
                  antecedent: Claim | None = None) -> Claim | None:
        """"Another ten are due on October 20", "the first 10 of them were delivered",
        "..., the delivery of three more is expected": a new quantity of the equipment
        just reported, with its own stage and date."""
        t = st.s.text
        m = _ELLIPSIS.search(t, after)
        if not m:
            return None
        g = next(k for k in ("n", "n2", "n3") if m.group(k))
        n = quantities.parse_number(m.group(g))
        if n is None:
            return None
        trig = next((tr for tr in st.triggers if tr.start >= after and abs(tr.start - m.end()) < 60
                     and not _is_noun(tr) and not _blocked(t, tr)), None)
        if trig is None:
            return None
        stage = _stage_of(trig, t)
        dates = [d for d in st.dates if d.start >= after]
        if stage is None or stage == "denied":
            return None
        if antecedent is not None and stage == antecedent.stage and antecedent.kind == "transfer" and not (
                dates and dates[-1].value and dates[-1].value != antecedent.date):
            return None  # the same event told twice, unless the remainder has its own date
        src = antecedent
        if src is None:
            for prev in reversed(sents[max(0, st.index - 3):st.index]):
                src = next((c for c in reversed(prev.claims) if c.kind == "transfer"), None)
                if src:
                    break
        if src is None:
            return None
        base = st.s.start
        c = Claim(article=ctx.meta, kind="transfer", supplier=src.supplier, recipient=src.recipient, maker=src.maker,
                  designation=src.designation, family=src.family, category=src.category, stage=stage, quantity=n)
        c.evidence = {k: v for k, v in src.evidence.items() if k in ("designation", "supplier", "recipient")}
        c.evidence["quantity"] = Evidence(base + m.start(g), base + m.end(g), m.group(g))
        c.evidence["stage"] = Evidence(base + trig.start, base + trig.end, trig.text)
        if dates:
            _set_date(c, min(dates, key=lambda d: abs(d.start - trig.start)), base)
        self._fill_cues(c, st, base)
        c.evidence["sentence"] = Evidence(base, st.s.end, t)
        return c

    def _pseudo_deliveries(self, st: _Sent, m: re.Match, tr: triggers.Trigger, ctx: "_Context") -> Claim:
        base = st.s.start
        t = st.s.text
        c = Claim(article=ctx.meta, kind="transfer", stage="expected")
        n = quantities.parse_number(m.group("q"))
        if n is None:
            phrase_start = m.start()
        else:
            phrase_start = m.end("q") + 1
            c.terms["deliveries"] = n
            c.evidence["terms.deliveries"] = Evidence(base + m.start("q"), base + m.end("q"), m.group("q"))
        c.designation = t[phrase_start:m.end("noun")]
        c.evidence["designation"] = Evidence(base + phrase_start, base + m.end("noun"), c.designation)
        c.evidence["stage"] = Evidence(base + tr.start, base + tr.end, tr.text)
        rc = ctx.recipient_for(st, None)
        if rc:
            c.recipient = rc[0]
            if rc[1] is not None:
                c.evidence["recipient"] = rc[1]
        sc = ctx.supplier_for(st, c.recipient)
        if sc:
            c.supplier = sc[0]
            if sc[1] is not None:
                c.evidence["supplier"] = sc[1]
        d = next((d for d in st.dates), None)
        if d is not None:
            _set_date(c, d, base)
        self._fill_cues(c, st, base)
        c.evidence["sentence"] = Evidence(base, st.s.end, t)
        return c

    def _refine_previous(self, st: _Sent, sents: list[_Sent]) -> dict[str | None, Claim]:
        """A model named after a bare category ("described the gear as Mi-24P helicopters")
        gives the earlier claims their designation. Returns the refined claims by group."""
        out: dict[str | None, Claim] = {}
        base = st.s.start
        for m in st.equipment:
            if m.generic or not m.family:
                continue
            g = category_group(m.category)
            for prev in sents[max(0, st.index - MAX_EVENT_DISTANCE):st.index]:
                for c in prev.claims:
                    if c.family is None and c.kind == "transfer" and category_group(c.category) == g \
                            and "antecedent" not in c.notes:
                        c.designation, c.family, c.category = m.text, m.family, m.category
                        c.maker = c.maker or m.maker
                        c.evidence["designation"] = Evidence(base + m.start, base + m.end, m.text)
                        out[g] = c
        return out


# ------------------------------------------------------------------ context
@dataclass
class _Event:
    sent: _Sent
    stage: str
    date: DateMention | None

    def trigger_like(self, s: sentences.Sentence) -> triggers.Trigger:
        return triggers.Trigger(0, 0, "", self.stage, "neutral", False)


class _Context:
    """What the article as a whole is about, for sentences that say only "the country".

    Claims with explicit parties leave a trail of (supplier, recipient) pairs; the
    title, read with the same role rules, seeds it. A missing party is taken from the
    latest pair that shares the known one, then from the latest pair at all."""

    def __init__(self, article: Article, gazetteer: Gazetteer, published: str | None = None):
        self.meta = article.meta()
        self.published = published  # the article's date, else the one in its link ("YYYY-MM" possible)
        self.published_from_url = bool(published) and not article.published
        self.gazetteer = gazetteer
        # (sentence index, supplier, recipient); each party is (code, evidence) or None
        self.states: Counter = Counter()
        self.aid = False
        self.reference_year: int | None = None  # publication year, else the latest year the article names
        self.origins: Counter = Counter()
        self.groups: dict[tuple, set] = defaultdict(set)  # what kinds of equipment each pair was named for
        self.first_state: dict[str, Evidence] = {}
        self._pair_seq = 0
        self._by_key: dict[tuple[int, int], tuple] = {}        # (sentence index, order) → (supplier, recipient)
        self._index: dict[object, list[tuple[int, int]]] = {}  # lookup bucket → sorted keys
        self._recs_of: dict[str, set[str]] = {}                 # supplier → recipients it was paired with
        self._sups_of: dict[str, set[str]] = {}                 # recipient → suppliers it was paired with
        self._suppliers: set[str] = set()
        self._recipients: set[str] = set()

    def learn(self, sents: list[_Sent]) -> None:
        for st in sents:
            for a in st.actors:
                code = _actor_code(a.actor)
                if not code or roles.is_carrier(st.s.text, a):
                    continue
                self.states[code] += 1
                ev = Evidence(st.s.start + a.start, st.s.start + a.end, a.text)
                self.first_state.setdefault(code, ev)
                if a.actor.kind in ("maker", "agency"):  # a company that buys is named, not coded
                    self.first_state.setdefault(a.actor.name, ev)
            if st.equipment and any(a.via == "demonym" or a.actor.kind in ("maker", "agency") or
                                    "-" in st.s.text[a.end:a.end + 1] for a in st.actors):
                # "Russia-produced S-400", "Russian helicopters": where the article says the kit comes from
                spans = [(m.start, m.phrase_end) for m in st.equipment]
                for r in roles.assign(st.s.text, st.actors, None, None, spans):
                    if r.role in (roles.ORIGIN, roles.MADE) and r.strength >= 2:
                        code = _actor_code(r.mention.actor)
                        near = min(st.equipment, key=lambda m: abs(m.start - r.mention.end))
                        self.origins[(category_group(near.category), code)] += 1
                        self.first_state.setdefault(code, Evidence(st.s.start + r.mention.start,
                                                                   st.s.start + r.mention.end, r.mention.text))
        lead = " ".join([self.meta.get("title") or ""] + [st.s.text for st in sents[:3]])
        self.aid = bool(re.search(r"\b(?:aid|assistance|donat\w*|pledg\w*)\b", lead, re.I))
        years = [int(d.value[:4]) for st in sents for d in st.dates if d.value and not d.relative]
        self.reference_year = int(self.published[:4]) if self.published else (max(years) if years else None)
        title = self.meta.get("title") or ""
        if title:
            body = " ".join(st.s.text for st in sents).lower()
            self._learn_roles(-1, title, _trusted(self.gazetteer.find(title), body, title), None)
        for st in sents:
            if st.triggers and st.actors and not st.equipment:
                # "Washington announced a new aid package for Ukraine." names the parties
                # that the next sentence's list of items leaves implicit
                self._learn_roles(st.index, st.s.text, st.actors, st.s.start)

    def _learn_roles(self, index: int, text: str, actors: list[ActorMention], base: int | None) -> None:
        trig = triggers.find(text)
        t0 = trig[0] if trig else None
        roled = roles.assign(text, actors, t0.start if t0 else None, t0.voice if t0 else None, [])
        sup = _best(roled, roles.SUPPLIER)
        rec = _best(roled, roles.RECIPIENT)
        if base is None:  # the title is not part of the stored text: quote the body's first mention
            sup = sup or _best(roled, roles.ORIGIN) or _best(roled, roles.MADE)
            ev = lambda r, role: (_code(r, role), self.first_state.get(_code(r, role)))  # noqa: E731
        else:
            # only what a preposition makes explicit ("to Ukraine", "from France"): verb
            # positions in sentences without equipment are too often about something else
            if sup is not None and sup.strength < 3:
                sup = None
            if rec is not None and rec.strength < 3:
                rec = None
            ev = lambda r, role: (_code(r, role), Evidence(base + r.mention.start, base + r.mention.end,  # noqa: E731
                                                           r.mention.text))
        if sup or rec:
            self._add_pair((index, ev(sup, roles.SUPPLIER) if sup else None,
                            ev(rec, roles.RECIPIENT) if rec else None))

    def note(self, c: Claim, index: int) -> None:
        sup = (c.supplier, c.evidence.get("supplier")) if c.supplier and "supplier" in c.evidence else None
        rec = (c.recipient, c.evidence.get("recipient")) if c.recipient and "recipient" in c.evidence else None
        if sup or rec:
            self._add_pair((index, sup, rec))
            self.groups[(sup[0] if sup else None, rec[0] if rec else None)].add(category_group(c.category))

    def _head(self, index: int, bucket: object) -> tuple[tuple, tuple] | None:
        """The pair of `bucket` that comes first in reading order from sentence `index`: the
        nearest at or before it (the latest found), else the nearest after it; with its rank."""
        keys = self._index.get(bucket)
        if not keys:
            return None
        cut = bisect.bisect_right(keys, (index, float("inf")))
        if cut:
            k = keys[cut - 1]
            return (0, -k[0], -k[1]), self._by_key[k]
        k = keys[0]
        return (1, k[0], k[1]), self._by_key[k]

    def _nearest(self, index: int, buckets: Iterable[object]) -> tuple | None:
        """(supplier, recipient) of the pair met first, reading outwards from sentence `index`,
        among the pairs of `buckets`. Each bucket is an index kept sorted by _add_pair, so a
        lookup costs a few bisections, not a scan of every pair the article has given."""
        heads = [h for h in (self._head(index, b) for b in buckets) if h is not None]
        return min(heads, key=lambda h: h[0])[1] if heads else None

    def _add_pair(self, pair: tuple) -> None:
        """Record a pair under every index that a lookup may use."""
        self._pair_seq += 1
        key = (pair[0], self._pair_seq)
        _i, sup, rec = pair
        self._by_key[key] = (sup, rec)
        buckets: list[object] = []
        if sup:
            self._suppliers.add(sup[0])
            buckets += ["sup", ("sup", sup[0])]
        if rec:
            self._recipients.add(rec[0])
            buckets += ["rec", ("rec", rec[0])]
        if sup and rec:
            buckets.append(("pair", sup[0], rec[0]))
            self._recs_of.setdefault(sup[0], set()).add(rec[0])
            self._sups_of.setdefault(rec[0], set()).add(sup[0])
            if sup[1] is not None:
                buckets.append(("named", sup[0], rec[0]))
        for b in buckets:
            bisect.insort(self._index.setdefault(b, []), key)

    def recipient_for(self, st: _Sent, supplier: str | None) -> tuple[str, Evidence | None] | None:
        """The recipient of the pair nearest this sentence that has this supplier, else of any pair."""
        if supplier:
            hit = self._nearest(st.index, [("pair", supplier, r) for r in self._recs_of.get(supplier, ())
                                           if r != supplier])
            hit = hit or self._nearest(st.index, [("rec", r) for r in self._recipients if r != supplier])
        else:
            hit = self._nearest(st.index, ["rec"])
        if hit is not None:
            return hit[1]
        return self._most_named(self.states, supplier, self._suppliers)

    def supplier_of(self, recipient: str, index: int, group: str | None = None) -> tuple[str, Evidence | None] | None:
        """The supplier an explicit claim named for this recipient: for the same kind of
        equipment if there is one ("aircraft from Russia ... drones from Turkey")."""
        codes = self._sups_of.get(recipient, ())
        kin = self._nearest(index, [("named", s, recipient) for s in codes
                                    if group in self.groups.get((s, recipient), ())])
        hit = kin or self._nearest(index, [("named", s, recipient) for s in codes])
        return hit[0] if hit else None

    def supplier_for(self, st: _Sent, recipient: str | None, group: str | None = None
                     ) -> tuple[str, Evidence | None] | None:
        """The supplier of the pair nearest this sentence that has this recipient, else of any pair;
        else where the article says such kit comes from, else the state it names most."""
        if recipient:
            hit = self._nearest(st.index, [("pair", s, recipient) for s in self._sups_of.get(recipient, ())
                                           if s != recipient])
            hit = hit or self._nearest(st.index, [("sup", s) for s in self._suppliers if s != recipient])
        else:
            hit = self._nearest(st.index, ["sup"])
        if hit is not None:
            return hit[0]
        origins = Counter({code: n for (g, code), n in self.origins.items() if g == group})
        return (self._most_named(origins, recipient, self._recipients)
                or self._most_named(self.states, recipient, self._recipients))

    def _most_named(self, counts: Counter, other: str | None, taken: set[str]) -> tuple[str, Evidence] | None:
        """The state named most often (by `counts`) that is not the other party and holds no role in any
        pair yet, with the article's first mention of it."""
        for code, _n in counts.most_common():
            if code != other and code not in taken and self.first_state.get(code):
                return code, self.first_state[code]
        return None

    def event_before(self, st: _Sent, sents: list[_Sent]) -> _Event | None:
        for prev in reversed(sents[max(0, st.index - MAX_EVENT_DISTANCE):st.index]):
            if prev.triggers:
                tr = prev.triggers[0]
                stage = _stage_of(tr, prev.s.text)
                if stage:
                    return _Event(prev, stage, prev.dates[0] if prev.dates else None)
        return None

    def dated_event_near(self, st: _Sent, sents: list[_Sent], stage: str) -> tuple[DateMention, int] | None:
        """The date of the delivery this sentence talks about, when a neighbour gives it
        ("... arrived on March 31." / "It comprised two ...")."""
        lo, hi = max(0, st.index - MAX_EVENT_DISTANCE), min(len(sents), st.index + MAX_EVENT_DISTANCE + 1)
        order = sorted(range(lo, hi), key=lambda i: (abs(i - st.index), i > st.index))
        for i in order:
            if i == st.index:
                continue
            other = sents[i]
            if not other.dates or not _EVENT_NOUN.search(other.s.text):
                continue
            if any(not m.generic for m in other.equipment) and i > st.index and other.triggers:
                continue  # a later sentence that names the model and a verb reports its own claim
            if any(c.kind == "transfer" and c.date for c in other.claims):
                continue
            if _PROSPECT.search(other.s.text):
                continue  # "India's impending delivery": not the delivery that happened
            stages = {_stage_of(tr, other.s.text) for tr in other.triggers}
            if other.triggers and stage not in stages and not (_EVENT_NOUN.search(other.s.text)):
                continue
            d = other.dates[0]
            if d.value and not d.future:
                return d, other.s.start
        return None


# ------------------------------------------------------------ small helpers
def _code(r: roles.RoledActor, role: str = roles.SUPPLIER) -> str:
    a = r.mention.actor
    if a.kind in ("maker", "agency") and role == roles.RECIPIENT:
        return a.name  # a company that buys is itself the recipient
    return _actor_code(a)


def _actor_code(a) -> str:
    """A state or a maker's state as ISO3; a non-state group by its name."""
    if a.kind == "group":
        return a.code
    return a.country or a.code


def _order_in_clause(c: Claim, st: "_Sent", trig: triggers.Trigger, base: int) -> Claim | None:
    """"delivered the BrahMos ... under the contract signed in 2022": the delivery sentence
    also dates the order, which is a claim of its own."""
    if c.stage not in ("delivered", "expected") or c.kind != "transfer":
        return None
    t = st.s.text
    for o in st.triggers:
        if o is trig or o.stage != "ordered":
            continue
        # "signed in 2013; they arrived in 2016": an order before the delivery keeps only
        # the dates that stand between the two
        stop = trig.start if o.start < trig.start else len(t)
        dates = [d for d in st.dates if d.value and -5 <= d.start - o.end <= 45 and d.end <= stop and not d.future]
        if not dates:
            continue
        d = dates[0]
        if c.date and (c.date.startswith(d.value) or d.value.startswith(c.date)):
            continue
        order = Claim.from_dict(c.to_dict())
        order.stage = "ordered"
        q = c.evidence.get("quantity")
        qs = q.start - base if q is not None else -1
        if q is not None and o.start > trig.end and 0 <= qs - o.end <= 30:
            # "completing an order for 24 aircraft": the number counts the order, not this delivery
            c.quantity, c.uncertain = None, False
            c.evidence.pop("quantity")
        elif not (q is not None and o.end <= qs < trig.start):
            # a number written between the order and "they arrived" counts both
            order.quantity, order.uncertain = None, False
            order.evidence.pop("quantity", None)
        order.evidence["stage"] = Evidence(base + o.start, base + o.end, o.text)
        order.notes.pop("date_source", None)
        order.date_unresolved = False
        _set_date(order, d, base)
        return order
    return None


_COORD = re.compile(r"^\s*(?:,\s*)?(?:and|or|as well as|,)\s*(?:the\s+)?$", re.I)


def _coordinated_recipients(c: Claim, st: "_Sent", t: str, base: int) -> list[Claim]:
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
        code = _actor_code(a.actor)
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


def _best(roled: list[roles.RoledActor], role: str, near: int | None = None) -> roles.RoledActor | None:
    cands = [r for r in roled if r.role == role]
    if not cands:
        return None
    if near is not None:
        return min(cands, key=lambda r: (-r.strength, abs(r.mention.start - near)))
    return max(cands, key=lambda r: r.strength)


def _stage_of(tr: triggers.Trigger, text: str) -> str | None:
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


def _is_noun(t: triggers.Trigger) -> bool:
    return t.voice == "neutral" and re.search(r"\bof$|\b(?:batch|shipment|consignment|delivery|tranche|group|lot|package)$",
                                              t.text, re.I) is not None


_QUESTION = re.compile(r"\b(?:whether|if)\b[^.;!?]{0,80}$", re.I)


def _blocked(text: str, t: triggers.Trigger) -> bool:
    """An intention, a question, a refusal or a negation in front of the verb: nothing was
    transferred ("asked whether the government has concluded a deal to sell ...")."""
    # "planned to purchase": the trigger's own "to" completes the intention
    end = t.start + 3 if t.text.lower().startswith("to ") else t.start
    return bool(_INTENT.search(text, max(0, t.start - 45), end)
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


def _governs(t: triggers.Trigger, m: EquipmentMention, text: str) -> bool:
    """A noun trigger ("the sale of") reports only the phrase that follows it closely:
    not "the sale of the aircraft will be used to turn three L-159s into ..."."""
    if t.stage == "ordered" and t.end <= m.start and re.fullmatch(r"\s*(?:[\w-]+\s+)?", text[t.end:m.start]) and \
            re.search(r"\b(?:the|a|an|its|their|\d+|\w+teen|two|three|four|five|six|seven|eight|nine|ten|newly|"
                      r"recently|remaining)\s+$", text[max(0, t.start - 20):t.start], re.I):
        return False  # "the remaining eight contracted aircraft": an adjective
    if not _is_noun(t) or t.end > m.start:
        return True
    gap = text[t.end:m.start]
    return len(gap) <= 45 and not re.search(r"\b(?:will|would|is|are|was|were|has|have|had|be|been)\b", gap)


def _nearest_trigger(trigs: list[triggers.Trigger], m: EquipmentMention, text: str) -> triggers.Trigger | None:
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
    delivered = [t for t in trigs if t.stage == "delivered" and not t.future and not _is_noun(t)]
    ordered = [t for t in trigs if t.stage == "ordered"]
    if delivered and ordered:
        return min(delivered, key=lambda t: abs(t.start - m.start))
    def framed(t: triggers.Trigger) -> bool:
        """"signed a contract to supply", "a deal on the delivery of": the order frames it."""
        if t.stage == "ordered":
            return True
        if not (t.text.lower().startswith("to ") or _is_noun(t)):
            return False
        return any(0 <= t.start - o.end <= 90 and not re.search(
            r"\b(?:because|and|but|while|which|who|whereas|although|since|after|as|when)\b|[;,]",
            text[o.end:t.start], re.I) for o in ordered)
    if ordered and all(framed(t) for t in trigs):
        return min(ordered, key=lambda t: abs(t.start - m.start))
    signed = [o for o in ordered if re.search(r"\b(?:was|were|been)\s+$", text[max(0, o.start - 12):o.start])]
    if signed and all(_is_noun(t) and t.end <= signed[0].start for t in trigs if t.stage != "ordered"):
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


def _nearest_date(dates: list[DateMention], trig: triggers.Trigger, m: EquipmentMention, stage: str | None,
                  trigs: list[triggers.Trigger] = (), published: str | None = None) -> DateMention | None:
    if not dates:
        return None
    anchor = trig.start if trig.end > trig.start else m.start
    signed = None
    if stage == "ordered":
        # "decided on May 28 ..., with the contract signed on November 25": the signing dates the order
        signed = min((t for t in trigs if re.search(r"\b(?:signed|inked|concluded|sealed)\b", t.text)),
                     key=lambda t: abs(t.start - trig.start), default=None)
        if signed is not None:
            anchor = signed.start
    # a date far from both the verb and the item belongs to another clause
    # ("... since Russia invaded the country in February")
    dates = [d for d in dates if min(abs(d.start - anchor), abs(d.start - m.start)) <= 90]
    usable = [d for d in dates if not ((d.future or d.text.lower().startswith("by ")) and
                                       stage in ("delivered", "ordered", "denied"))]
    if stage in ("pledged", "expected") and any(d.future for d in usable):
        usable = [d for d in usable if d.future]  # "will arrive next year", not "announced on Monday"
    elif stage == "expected" and published:
        # what is expected is not dated in the past ("this year" still counts)
        usable = [d for d in usable if d.future or (d.value and d.value >= published[:len(d.value)])]
    # "since Russia invaded in February": a date of another event, in another clause
    usable = [d for d in usable if not d.text.lower().startswith("since")]
    if stage == "delivered":
        # "received the first Yak-130 ordered from Russia in 2019": the date goes with the order
        orders = [t for t in trigs if t.stage == "ordered" and t is not trig]
        # "which ordered them in 2018, received six in July": between the two verbs is the order's date
        # but "on Monday, completing an order ..." is written before the order and stays with the delivery
        usable = [d for d in usable if not any(o.end <= d.start and (abs(d.start - o.end) < abs(d.start - anchor)
                                                                     or d.end <= anchor) for o in orders)]
    if not usable:
        return None
    # distance to the verb's whole span: "signed a contract with Brazil on Monday" is nearer its
    # verb than the "last year" that ends the clause before it
    ref = signed or trig
    lo, hi = (ref.start, ref.end) if ref.end > ref.start else (anchor, anchor)
    return min(usable, key=lambda d: (lo - d.end, 1) if d.end <= lo else (max(0, d.start - hi), 0))


def _set_date(c: Claim, d: DateMention, base: int) -> None:
    c.date_text = d.text
    c.evidence["date"] = Evidence(base + d.start, base + d.end, d.text)
    if d.value:
        c.date, c.granularity = d.value, d.granularity
    else:
        c.date_unresolved = True


def _long_delivered(c: Claim, trig: triggers.Trigger, sentence: str, reference_year: int | None) -> bool:
    """"Peru bought seventeen MiG-29s from Belarus in 1996", told in 1998: a purchase that far
    back has been delivered (the register records it as a delivery)."""
    if not (c.date and reference_year and re.fullmatch(r"(?:has |have |had )?(?:bought|purchased|acquired)", trig.text, re.I)):
        return False
    before = sentence[:trig.start]
    if re.search(r"\b(?:been|was|were|be|is|are)\s+$", before, re.I) or "agreement" in sentence or "contract" in sentence:
        return False  # "had been purchased under a 2019 agreement": an order, whatever came after
    return reference_year - int(c.date[:4]) >= 2


def _in_scope(text: str, cum: "cues.Span", m: EquipmentMention, trigs: list[triggers.Trigger]) -> bool:
    """A running total ("has already received 250 Abrams") covers the items it governs, not
    those of the next clause ("and South Korea delivered the first 10 K2 tanks")."""
    lo, hi = sorted((cum.end, m.start))
    if any(lo <= t.start < hi and not (cum.start <= t.start < cum.end) for t in trigs):
        return False
    return not re.search(r"[;]|,\s+(?:and|while|but)\b", text[lo:hi])


def _as_of(c: Claim, ctx: "_Context") -> None:
    """A running total is stated as of the day the article was published."""
    c.date_text = None
    c.evidence.pop("date", None)
    c.date_unresolved = False
    if ctx.published:
        _date_by_publication(c, ctx)
    else:
        c.date, c.granularity = None, None
        c.notes["date_source"] = "published"


def _date_by_publication(c: Claim, ctx: "_Context") -> None:
    """The article's date stands in where the text gives none; a date read from the link
    says so, since it may be the month only and is the outlet's filing, not the report's."""
    c.date, c.granularity = ctx.published, _granularity(ctx.published)
    c.notes["date_source"] = "published"
    if ctx.published_from_url:
        c.notes["published_from"] = "url"


def _granularity(value: str) -> str:
    """Values are ISO prefixes, so their length is their granularity."""
    return {10: "day", 7: "month"}.get(len(value), "year")


def _is_news_event(st: _Sent, trig: triggers.Trigger) -> bool:
    """Undated present-news reports take the publication date; background does not."""
    t = st.s.text
    if re.search(r"\b(?:had|previously|earlier|once|formerly|in the past|years ago|decades)\b", t, re.I):
        return False
    return st.index < 12


_KIN_GROUPS = {"missile": {"missile", "air defence"}, "air defence": {"air defence", "missile"}}


def _antecedent(sents: list[_Sent], index: int, group: str | None, kind: str | None = None) -> Claim | None:
    """The model a definite "the helicopters" / "those missile systems" points back to."""
    groups = _KIN_GROUPS.get(group or "", {group})
    for prev in reversed(sents[max(0, index - 4):index + 1]):
        for c in reversed(prev.claims):
            if c.family and category_group(c.category) in groups and _kind_fits(kind, c.category):
                return c
        for m in reversed(prev.equipment):
            if m.family and category_group(m.category) in groups and not m.generic and _kind_fits(kind, m.category):
                return Claim(article={}, designation=m.text, family=m.family, category=m.category, maker=m.maker,
                             evidence={"designation": Evidence(prev.s.start + m.start, prev.s.start + m.end, m.text)})
    return None


_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|"
                      r"twenty-four|thirty|dozen)\s+(?:(?:more|new|additional|used|second-hand|modern|older|remaining)\s+)?"
                      r"(?P<noun>jets|fighters|warplanes)\b", re.I)


# "a company founded in 1980": the date of something other than a transfer
_NOT_EVENT_DATE = re.compile(r"\b(?:founded|established|created|set up|formed|born|dating back|dates back|"
                             r"independence|war|invaded|invasion|elected|took office|came to power|seized power)\s+(?:\w+\s+)?$",
                             re.I)
_SAME_YEAR = re.compile(r"^\s*(?:of\s+)?(?:the\s+same\s+year|that\s+(?:same\s+)?year)\b", re.I)


def _same_year(text: str, dates: list[DateMention]) -> list[DateMention]:
    """"on May 28, 2021, ... signed on November 25 of the same year": the year of the date before."""
    out: list[DateMention] = []
    for d in dates:
        prev = next((p for p in reversed(out) if p.value), None)
        if d.value and d.relative and prev is not None and _SAME_YEAR.match(text[d.end:]) and \
                d.granularity in ("day", "month"):
            d = dataclasses.replace(d, value=prev.value[:4] + d.value[4:], relative=False, future=False)
        out.append(d)
    return out


_MONEY_BEFORE = re.compile(r"[$€£]\s?[\d.,]+\s?(?:[mMbB]n?|million|billion|bn)?\s*$")


def _trusted(actors: list[ActorMention], lowered_text: str, text: str | None = None) -> list[ActorMention]:
    """A group known by a short acronym ("SDF": Syrian Democratic Forces, or Japan's
    Self-Defense Forces) counts only where the article also spells its name out; "US" after an
    amount ("$235M US") is the currency."""
    return [a for a in actors if not (a.actor.kind == "group" and len(a.text) <= 4 and a.text.isupper()
                                      and a.actor.name.lower() not in lowered_text)
            and not (text is not None and a.text in ("US", "U.S.") and _MONEY_BEFORE.search(text, 0, a.start))]


def _with_counted_nouns(text: str, mentions: list[EquipmentMention]) -> list[EquipmentMention]:
    """"agreed to buy the 12 jets": a counted noun the catalog only accepts after a model."""
    low = text.lower()
    if "jets" not in low and "fighters" not in low and "warplanes" not in low:
        return mentions
    extra = []
    for m in _COUNTED.finditer(text):
        s, e = m.start("noun"), m.end("noun")
        if not any(x.start < e and s < x.phrase_end for x in mentions):
            extra.append(EquipmentMention(s, e, m.group("noun"), None, "aircraft", None, True, e, True))
    return sorted(mentions + extra, key=lambda x: x.start) if extra else mentions


def _prune_mentions(text: str, mentions: list[EquipmentMention]) -> tuple[list[EquipmentMention], dict[int, int]]:
    """Drop mentions that only describe another ("a version of the Mi-24P") and fold a
    category noun into the model that follows it ("armoured personnel carriers BRDM-2").

    Returns the mentions and, for folded ones, where to look for their quantity
    (before the category noun rather than before the model)."""
    out: list[EquipmentMention] = []
    qstart: dict[int, int] = {}
    for m in mentions:
        if _DESCRIBES.search(text, max(0, m.start - 70), m.start) or _SHIP_NAME.search(text, max(0, m.start - 40), m.start):
            continue
        if m.generic and _MODIFIER_OF.match(text, m.phrase_end):
            continue  # "the helicopter deal", "a tank crew": the noun qualifies something else
        if _SUPPLIES_FOR.match(text, m.phrase_end):
            continue  # "HIMARS ammunition", "F-16 spare parts": supplies for the system, not the system
        if _CARRIER.search(text, max(0, m.start - 40), m.start) and \
                category_group(m.category) in ("aircraft", "ship", "helicopter") and \
                re.search(r"\b(?:delivered|transported|airlifted|flown|shipped|brought|carried|ferried|arrived)\b",
                          text[:m.start], re.I):
            continue
        if category_group(m.category) in ("aircraft", "ship", "helicopter") and _CARRYING.match(text, m.phrase_end) \
                and any(x.start >= m.phrase_end for x in mentions):
            continue  # "an An-124 carrying two Mi-35 helicopters": the carrier is not the cargo
        if out and out[-1].generic and not m.generic and 0 <= m.start - out[-1].phrase_end <= 3 \
                and not text[out[-1].phrase_end:m.start].strip():  # "carriers BRDM-2", not "trucks, HARMs"
            g = out.pop()
            qstart[id(m)] = qstart.pop(id(g), g.start)
        out.append(m)
    return out, qstart


def _drop_broad(claims: list[Claim]) -> list[Claim]:
    """"helicopters ... comprised four aircraft": a broad noun next to a specific one is the same thing."""
    specific = [c for c in claims if (c.designation or "").lower() not in BROAD and category_group(c.category) != "aircraft"
                or c.family]
    out = []
    for c in claims:
        broad = c.family is None and category_group(c.category) == "aircraft" and \
            re.fullmatch(r"(?:\w+\s+)?aircraft", (c.designation or "").lower() or "x") is not None
        kin = [s for s in specific if s is not c and category_group(s.category) in ("helicopter", "uav", "aircraft")
               and s.supplier == c.supplier and s.stage == c.stage]
        if broad and kin:
            keep = kin[0]
            if keep.quantity is None and c.quantity is not None:
                keep.quantity, keep.uncertain = c.quantity, c.uncertain
                keep.evidence["quantity"] = c.evidence["quantity"]
            continue
        out.append(c)
    return out


def _drop_repeats(claims: list[Claim]) -> list[Claim]:
    """A bare category repeated in one sentence ("purchased the helicopters ... agreed to
    provide helicopters") is the same item, not a second transfer."""
    out: list[Claim] = []
    for c in claims:
        # the same noun again, or a model named just before ("the helicopters ... helicopters");
        # two different nouns of a list ("MRAP vehicles, armored utility trucks") are two items
        if c.family is None and c.quantity is None and any(
                _item_key(o) == _item_key(c) or (o.family and category_group(o.category) == category_group(c.category))
                for o in out):
            continue
        out.append(c)
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """The same transfer told twice in one article is one claim with more evidence."""
    out: list[Claim] = []
    for c in claims:
        twin = None
        for o in out:
            if o.kind != c.kind or o.stage != c.stage or o.supplier != c.supplier or o.recipient != c.recipient:
                continue
            if _item_key(o) != _item_key(c) and not _generic_twin(o, c) and not _variant_twin(o, c):
                continue
            # a mention that adds neither a number nor a date of its own ("the deal for the aircraft
            # was finalised ...") is the transfer already told, whatever day the report carries
            bare = any(x.quantity is None and (x.date is None or x.notes.get("date_source") == "published")
                       for x in (o, c))
            if c.stage != "denied" and o.date and c.date and not bare \
                    and not (o.date.startswith(c.date) or c.date.startswith(o.date)) \
                    and not ("published" in (o.notes.get("date_source"), c.notes.get("date_source"))
                             and _days_apart(o.date, c.date) <= 45):
                continue
            if o.quantity is not None and c.quantity is not None and o.quantity != c.quantity:
                continue
            twin = o
            break
        if twin is None:
            out.append(c)
            continue
        for k, v in c.evidence.items():
            twin.evidence.setdefault(k, v)
        if twin.quantity is None and c.quantity is not None:
            twin.quantity, twin.uncertain = c.quantity, c.uncertain
        if c.family and (twin.family is None or (len(c.family) > len(twin.family) and _variant_twin(twin, c))):
            twin.designation, twin.family, twin.category, twin.maker = c.designation, c.family, c.category, c.maker
            twin.evidence["designation"] = c.evidence["designation"]
        if twin.stage == "denied":
            pass
        elif (not twin.date or twin.notes.get("date_source") == "published") and c.date and \
                c.notes.get("date_source") != "published":
            twin.date, twin.granularity, twin.date_text = c.date, c.granularity, c.date_text
            twin.notes.pop("date_source", None)
        twin.attribution = twin.attribution or c.attribution
        twin.hedged = twin.hedged or c.hedged
    return out


def _item_key(c: Claim) -> str:
    """What a claim is about, for spotting one item told twice: "Armored vehicles" = "armored vehicle"."""
    if c.family:
        return c.family
    return re.sub(r"s\b", "", re.sub(r"[^a-z0-9 ]", "", (c.designation or "").lower())).strip()


def _generic_twin(a: Claim, b: Claim) -> bool:
    """"two combat helicopters" and "Mi-24P helicopters" in one report of one delivery;
    "military vehicles" in the lead and "Nimr armoured vehicles" in the photo caption.
    Two items listed in one sentence ("150 Humvees, 150 tactical vehicles") stay two."""
    if (a.family is None) == (b.family is None):
        return False
    sa, sb = a.evidence.get("sentence"), b.evidence.get("sentence")
    if sa is not None and sb is not None and sa.start == sb.start:
        return False
    if a.stage not in ("delivered", "ordered", "expected", "pledged"):
        return False
    if a.date != b.date and not _near_dates(a, b):
        return False
    return category_group(a.category) == category_group(b.category) and a.category is not None


def _variant_twin(a: Claim, b: Claim) -> bool:
    """"Leopard 2 A7+" in the headline and "LEOPARD 2" in the body, same number: one item."""
    if not a.family or not b.family or a.quantity is None or a.quantity != b.quantity:
        return False
    fa, fb = re.sub(r"[^a-z0-9]", "", a.family.lower()), re.sub(r"[^a-z0-9]", "", b.family.lower())
    return fa != fb and (fa.startswith(fb) or fb.startswith(fa))


def _near_dates(a: Claim, b: Claim) -> bool:
    """Dates that can be one event as told twice: one only the publication day, or days apart."""
    if not a.date or not b.date:
        return True
    if "published" in (a.notes.get("date_source"), b.notes.get("date_source")):
        return _days_apart(a.date, b.date) <= 45
    return a.date[:7] == b.date[:7]


def _days_apart(a: str, b: str) -> int:
    import datetime as _dt

    def first(d: str) -> _dt.date:
        parts = [int(x) for x in d.split("-")] + [1, 1]
        return _dt.date(parts[0], parts[1], parts[2])
    return abs((first(a) - first(b)).days)


def _specify_generics(claims: list[Claim], sents: list[_Sent]) -> None:
    """"a dozen drones" in the lead, "Bayraktar TB2 drones" further down: when the article
    names exactly one model of that kind, the bare category stands for it."""
    named: dict[str | None, dict[str, tuple[EquipmentMention, int]]] = {}
    for st in sents:
        for m in st.equipment:
            if not m.generic and m.family and m.known:
                named.setdefault(category_group(m.category), {}).setdefault(m.family, (m, st.s.start))
    for c in claims:
        if c.family is not None or not c.category:
            continue
        fams = named.get(category_group(c.category)) or {}
        if len(fams) == 1:
            m, base = next(iter(fams.values()))
            if not _kind_fits(c.category, m.category):
                continue  # "the two LPDs" are not the Type 23 frigates named beside them
            # a model already reported for another event (59N6 delivered on March 31) does
            # not name the unnamed radars of another day
            if any(o.family == m.family and o.kind == "transfer" and o.stage == c.stage and o.date and c.date
                   and not _near_dates(o, c)
                   for o in claims):
                continue
            c.designation, c.family, c.category = m.text, m.family, m.category
            c.maker = c.maker or m.maker
            c.evidence["designation"] = Evidence(base + m.start, base + m.end, m.text)


_BROAD_KINDS = {"aircraft", "helicopter", "ship", "uav", "armoured vehicle", "missile", "artillery", "radar",
                "air defence", "warship", "vessel", "fighter aircraft", "combat aircraft", "military aircraft"}


def _kind_fits(generic: str | None, specific: str | None) -> bool:
    """A bare noun can stand for a model of its kind: "jets" for a Rafale, not "LPDs" for a frigate."""
    g = (generic or "").lower()
    if g in _BROAD_KINDS or g == category_group(g):
        return True
    sp = (specific or "").lower()
    return g.split()[-1] in sp or sp.split()[-1:] == g.split()[-1:]


def _suppliers_named_later(claims: list[Claim]) -> None:
    """"Five Sikorsky Black Hawks were welcomed ...", then "acquired from Polish company PZL":
    a supplier inferred from where an item was made gives way to the one the article names
    for the same item and recipient."""
    for c in claims:
        if c.notes.get("supplier_from") != "where it was made":
            continue
        named = [o for o in claims if o is not c and o.family == c.family and o.recipient == c.recipient
                 and o.supplier and "supplier_from" not in o.notes and "supplier" in o.evidence]
        if named:
            c.supplier = named[0].supplier
            c.evidence["supplier"] = named[0].evidence["supplier"]
            c.notes["supplier_from"] = "named elsewhere in the article"


def _date_running_totals(claims: list[Claim]) -> None:
    """"Has previously received eight" is a total as of just before the delivery the
    article reports: date it by that delivery, so the ledger check leaves it out."""
    for c in claims:
        if c.kind != "cumulative" or not c.notes.get("before_latest"):
            continue
        dates = [o.date for o in claims if o.kind == "transfer" and o.stage == "delivered" and o.date
                 and o.recipient == c.recipient and (c.date is None or o.date <= c.date)
                 and category_group(o.category) == category_group(c.category)]
        if dates:
            c.date = max(dates)
            c.granularity = _granularity(c.date)
            c.notes["date_source"] = "latest delivery reported in the article"


def _same_item(a: Claim, b: Claim) -> bool:
    if a.family and b.family:
        return a.family == b.family
    ga, gb = category_group(a.category), category_group(b.category)
    return ga is not None and ga == gb


def _link_denials(claims: list[Claim]) -> None:
    for c in claims:
        src = getattr(c, "_denies_obj", None)
        if src is not None:
            if any(src is o for o in claims):  # the denied claim may have been folded into its twin
                c.denies = src.id
            del c._denies_obj  # type: ignore[attr-defined]
    for i, c in enumerate(claims):
        if c.stage != "denied" or c.denies is not None:
            continue
        # the report a denial answers: an order on the same equipment, else the latest
        # claim before it on the same equipment and recipient
        same = [o for o in claims[:i] + claims[i + 1:] if o.stage != "denied" and o.kind == "transfer"
                and o.recipient == c.recipient and _same_item(o, c)]
        ordered = [o for o in same if o.stage == "ordered"]
        earlier = [o for o in claims[:i] if o in same]
        target = ordered[0] if ordered else (earlier[-1] if earlier else None)
        if target is not None:
            c.denies = target.id


# --------------------------------------------------------------- entry points
_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def extract(article: Article) -> list[Claim]:
    """Every transfer claim and running total reported in one article."""
    return default_extractor().extract(article)


def _extract_chunk(articles: list[Article]) -> list[list[Claim]]:
    ex = default_extractor()
    return [ex.extract(a) for a in articles]


def extract_many(articles: Iterable[Article], workers: int = 1, chunk: int = 16) -> Iterator[list[Claim]]:
    """Claims of each article, in input order; workers > 1 spreads chunks over processes."""
    if workers <= 1:
        ex = default_extractor()
        for a in articles:
            yield ex.extract(a)
        return
    import multiprocessing as mp

    def chunks() -> Iterator[list[Article]]:
        buf: list[Article] = []
        for a in articles:
            buf.append(a)
            if len(buf) >= chunk:
                yield buf
                buf = []
        if buf:
            yield buf

    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    with ctx.Pool(workers) as pool:
        for result in pool.imap(_extract_chunk, chunks()):
            yield from result
