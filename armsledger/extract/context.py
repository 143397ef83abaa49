"""The article as a whole, for sentences that leave something implicit.

"The country" → the recipient the article is about; "the helicopters" → the Mi-35P named just
before; "It comprised ..." → the delivery of the sentence before, and its date. The context learns
the parties from the title and from sentences that name them explicitly, then from each claim as
it is made, and answers lookups from the sentence's place in the text outwards.
"""
from __future__ import annotations

import bisect
import re
from datetime import date as _date
from collections import Counter, defaultdict
from typing import Iterable

from armsledger.catalog import EquipmentMention
from armsledger.categories import category_group
from armsledger.extract import quantities, roles, triggers
from armsledger.extract.dates import DateMention
from armsledger.extract.mentions import Sent, trusted
from armsledger.extract.stages import stage_of
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Article, Claim, Evidence

MAX_EVENT_DISTANCE = 2  # sentences back (or ahead) that a neighbour's event or date may come from
_PROSPECT = re.compile(r"\b(?:impending|upcoming|forthcoming|planned|expected|will|would|future|next)\b", re.I)
_EVENT_NOUN = re.compile(r"\b(?:shipment|consignment|delivery|deliveries|batch|tranche|handover|hand-over|arrival|"
                         r"ceremony|equipment|cargo|flight)\b", re.I)


LEAD_SENTENCES = 3
NEWS_DAY_WINDOW = 7  # days before publication that "on Tuesday" in the lead can mean


def _news_day(lead: list[Sent], published: str | None) -> tuple[str, Evidence] | None:
    """The first day the lead dates relative to publication ("said on Tuesday", "received ... yesterday")
    within a week before it: the day the reported news happened, which the guidelines give to recent
    news with no date of its own, rather than the day the outlet published it."""
    if not published or len(published) != 10:
        return None
    try:
        pub = _date.fromisoformat(published)
    except ValueError:
        return None
    for st in lead:
        for d in st.dates:
            if not (d.relative and d.value and d.granularity == "day"):
                continue
            try:
                gap = (pub - _date.fromisoformat(d.value)).days
            except ValueError:
                continue
            if 0 <= gap <= NEWS_DAY_WINDOW:
                return d.value, Evidence(st.s.start + d.start, st.s.start + d.end, d.text)
    return None


class Context:
    """What the article as a whole is about, for sentences that say only "the country".

    Claims with explicit parties leave a trail of (supplier, recipient) pairs; the
    title, read with the same role rules, seeds it. A missing party is taken from the
    latest pair that shares the known one, then from the latest pair at all."""

    def __init__(self, article: Article, gazetteer: Gazetteer, published: str | None = None):
        self.meta = article.meta()
        self.published = published  # the article's date, else the one in its link ("YYYY-MM" possible)
        self.published_from_url = bool(published) and not article.published
        self.gazetteer = gazetteer
        # how often the article names each party, by code
        self.states: Counter = Counter()
        # how often each party stands in a buyer's or a seller's place in the article's sentences
        # ("delivery to Bahrain"; "from Russia", "Russian-made", a maker's state): read by the last
        # fallback, so that a state the article only ever names as a seller is not made a buyer
        self.sides: dict[str, Counter] = {roles.RECIPIENT: Counter(), roles.SUPPLIER: Counter()}
        self.aid = False
        self.reference_year: int | None = None  # publication year, else the latest year the article names
        self.origins: Counter = Counter()
        self.groups: dict[tuple, set] = defaultdict(set)  # what kinds of equipment each pair was named for
        self.first_state: dict[str, Evidence] = {}
        # the day the lead says the news broke ("the Pentagon said on Tuesday"), quoted: see _news_day
        self.news_day: tuple[str, Evidence] | None = None
        self._pair_seq = 0
        self._by_key: dict[tuple[int, int], tuple] = {}        # (sentence index, order) → (supplier, recipient)
        self._index: dict[object, list[tuple[int, int]]] = {}  # lookup bucket → sorted keys
        self._recs_of: dict[str, set[str]] = {}                 # supplier → recipients it was paired with
        self._sups_of: dict[str, set[str]] = {}                 # recipient → suppliers it was paired with
        self._suppliers: set[str] = set()
        self._recipients: set[str] = set()

    def learn(self, sents: list[Sent]) -> None:
        for st in sents:
            for a in st.actors:
                code = roles.actor_code(a.actor)
                if not code or roles.is_carrier(st.s.text, a):
                    continue
                self.states[code] += 1
                if a.actor.kind == "maker":  # not an agency: most are a buyer's procurement office
                    self.sides[roles.SUPPLIER][code] += 1
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
                        code = roles.actor_code(r.mention.actor)
                        near = min(st.equipment, key=lambda m: abs(m.start - r.mention.end))
                        self.origins[(category_group(near.category), code)] += 1
                        self.first_state.setdefault(code, Evidence(st.s.start + r.mention.start,
                                                                   st.s.start + r.mention.end, r.mention.text))
            if st.actors and (st.triggers or st.equipment):
                self._learn_sides(st)
        self.news_day = _news_day(sents[:LEAD_SENTENCES], self.published)
        lead = " ".join([self.meta.get("title") or ""] + [st.s.text for st in sents[:LEAD_SENTENCES]])
        self.aid = bool(re.search(r"\b(?:aid|assistance|donat\w*|pledg\w*)\b", lead, re.I))
        years = [int(d.value[:4]) for st in sents for d in st.dates if d.value and not d.relative]
        self.reference_year = int(self.published[:4]) if self.published else (max(years) if years else None)
        title = self.meta.get("title") or ""
        if title:
            body = " ".join(st.s.text for st in sents).lower()
            self._learn_roles(-1, title, trusted(self.gazetteer.find(title), body, title), None)
        for st in sents:
            if st.triggers and st.actors and not st.equipment:
                # "Washington announced a new aid package for Ukraine." names the parties
                # that the next sentence's list of items leaves implicit
                self._learn_roles(st.index, st.s.text, st.actors, st.s.start)

    def _learn_sides(self, st: Sent) -> None:
        """Tally the side each state stands on in this sentence, by the role words around it and its
        place before the first transfer verb. A buyer's "to" counts only right before the name: the
        role rules also read a "to" up to two words before it ("a gift to Ukraine from Poland" makes
        Poland a buyer too), which in a candidate's sentence the verb's place outweighs, and here
        nothing does."""
        t0 = st.triggers[0] if st.triggers else None
        spans = [(m.start, m.phrase_end) for m in st.equipment]
        for r in roles.assign(st.s.text, st.actors, t0.start if t0 else None, t0.voice if t0 else None, spans):
            if r.role == roles.RECIPIENT and r.mention.actor.kind == "state" and (
                    r.strength == 2 or (r.strength == 3 and roles.tight_to(st.s.text, r.mention))):
                self.sides[roles.RECIPIENT][roles.actor_code(r.mention.actor)] += 1
            elif r.mention.actor.kind != "agency" and (
                    (r.role == roles.SUPPLIER and r.strength >= 2) or r.role in (roles.ORIGIN, roles.MADE)):
                self.sides[roles.SUPPLIER][roles.actor_code(r.mention.actor)] += 1

    def _learn_roles(self, index: int, text: str, actors: list[ActorMention], base: int | None) -> None:
        trig = triggers.find(text)
        t0 = trig[0] if trig else None
        roled = roles.assign(text, actors, t0.start if t0 else None, t0.voice if t0 else None, [])
        sup = roles.best(roled, roles.SUPPLIER)
        rec = roles.best(roled, roles.RECIPIENT)
        if base is None:  # the title is not part of the stored text: quote the body's first mention
            sup = sup or roles.best(roled, roles.ORIGIN) or roles.best(roled, roles.MADE)
            ev = lambda r, role: (roles.party_code(r, role), self.first_state.get(roles.party_code(r, role)))  # noqa: E731
        else:
            # only what a preposition makes explicit ("to Ukraine", "from France"): verb
            # positions in sentences without equipment are too often about something else
            if sup is not None and sup.strength < 3:
                sup = None
            if rec is not None and rec.strength < 3:
                rec = None
            ev = lambda r, role: (roles.party_code(r, role), Evidence(base + r.mention.start, base + r.mention.end,  # noqa: E731
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

    def recipient_for(self, st: Sent, supplier: str | None) -> tuple[str, Evidence | None] | None:
        """The recipient of the pair nearest this sentence that has this supplier, else of any pair."""
        if supplier:
            hit = self._nearest(st.index, [("pair", supplier, r) for r in self._recs_of.get(supplier, ())
                                           if r != supplier])
            hit = hit or self._nearest(st.index, [("rec", r) for r in self._recipients if r != supplier])
        else:
            hit = self._nearest(st.index, ["rec"])
        if hit is not None:
            return hit[1]
        return self._most_named(self.states, supplier, self._suppliers, roles.RECIPIENT)

    def supplier_of(self, recipient: str, index: int, group: str | None = None) -> tuple[str, Evidence | None] | None:
        """The supplier an explicit claim named for this recipient: for the same kind of
        equipment if there is one ("aircraft from Russia ... drones from Turkey")."""
        codes = self._sups_of.get(recipient, ())
        kin = self._nearest(index, [("named", s, recipient) for s in codes
                                    if group in self.groups.get((s, recipient), ())])
        hit = kin or self._nearest(index, [("named", s, recipient) for s in codes])
        return hit[0] if hit else None

    def supplier_for(self, st: Sent, recipient: str | None, group: str | None = None
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
                or self._most_named(self.states, recipient, self._recipients, roles.SUPPLIER))

    def _most_named(self, counts: Counter, other: str | None, taken: set[str], side: str | None = None
                    ) -> tuple[str, Evidence] | None:
        """The state named most often (by `counts`) that is not the other party and holds no role in any
        pair yet, with the article's first mention of it. For a `side`, a state the article puts only on
        the other side comes last, when another state it could be is put on that side: a single reading
        of a side ("a request from Kyiv") is too weak to hand the role to a bystander."""
        ranked = [(code, n) for code, n in counts.most_common()
                  if code != other and code not in taken and self.first_state.get(code)]
        if side is not None:
            want = self.sides[side]
            against = self.sides[roles.SUPPLIER if side == roles.RECIPIENT else roles.RECIPIENT]
            if any(want[code] for code, _n in ranked):
                ranked.sort(key=lambda kv: bool(against[kv[0]] and not want[kv[0]]))
        return (ranked[0][0], self.first_state[ranked[0][0]]) if ranked else None

    def stage_before(self, st: Sent, sents: list[Sent]) -> str | None:
        """The stage of the event a sentence just before reported ("... arrived on March 31." before
        "It comprised two Mi-35P"): of its first transfer verb."""
        for prev in reversed(sents[max(0, st.index - MAX_EVENT_DISTANCE):st.index]):
            if prev.triggers:
                stage = stage_of(prev.triggers[0], prev.s.text)
                if stage:
                    return stage
        return None

    def dated_event_near(self, st: Sent, sents: list[Sent], stage: str) -> tuple[DateMention, int] | None:
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
            stages = {stage_of(tr, other.s.text) for tr in other.triggers}
            if other.triggers and stage not in stages and not (_EVENT_NOUN.search(other.s.text)):
                continue
            d = other.dates[0]
            if d.value and not d.future:
                return d, other.s.start
        return None


_KIN_GROUPS = {"missile": {"missile", "air defence"}, "air defence": {"air defence", "missile"}}


# words that name the parts of a whole just told: "16 helicopters, including eight MD-500s", "30 tanks, among them
# 18 Leopard 2A6", "the 16 helicopters include eight Hueys and eight MD-500s"
_PARTS = re.compile(r"\b(?:including|includ(?:e|es|ed)|among them|among which|of which|such as|comprising|"
                    r"compris(?:e|es|ed)|consisting of|consists? of|made up of)\b", re.I)


def part_of_whole(text: str, noun_end: int, whole_count: int | None, whole_category: str | None,
                  part: EquipmentMention) -> bool:
    """Whether a model its sentence names after a bare noun is a part of the whole the noun names: a word of parts
    stands between them, the model is of the noun's own kind, and its own stated count is smaller than the
    whole's ("16 helicopters, including eight MD-500s"). Not a model of another kind ("16 helicopters, including
    Hellfire missiles"), nor one that makes up the whole ("40 tanks, all of which were K2 tanks", "20 rocket
    launchers, consisting of 20 HIMARS"), nor one a deal includes beside the noun ("the deal includes training,
    and Rafale jets will arrive")."""
    if part.generic or not part.family or part.start <= noun_end or _PARTS.search(text, noun_end, part.start) is None:
        return False
    if whole_count is None or category_group(part.category) != category_group(whole_category):
        return False
    q = quantities.before(text, part.start, phrase_end=part.phrase_end)
    return q is not None and q.value is not None and q.value < whole_count


def parts_named(st: Sent, noun_end: int, whole_count: int | None, whole_category: str | None) -> set[int]:
    """Where (in the text) the models start that sentence `st` names as parts of the bare noun ending at `noun_end`
    (an offset in the sentence), a whole of `whole_count` items of `whole_category`."""
    return {st.s.start + m.start for m in st.equipment
            if part_of_whole(st.s.text, noun_end, whole_count, whole_category, m)}


def _parts_of(st: Sent, noun: EquipmentMention) -> set[int]:
    """`parts_named` for a bare noun's mention, its count read before it."""
    q = quantities.before(st.s.text, noun.start, phrase_end=noun.phrase_end)
    return parts_named(st, noun.end, q.value if q is not None else None, noun.category)


def antecedent(sents: list[Sent], index: int, group: str | None, kind: str | None = None,
               noun: EquipmentMention | None = None) -> Claim | None:
    """The model a definite "the helicopters" / "those missile systems" points back to. With the `noun`'s
    mention (in sentence `index`), a model its own sentence names later as a part of it is not one ("the 16
    helicopters include eight Hueys and eight MD-500s"; `part_of_whole`)."""
    groups = _KIN_GROUPS.get(group or "", {group})
    parts = _parts_of(sents[index], noun) if noun is not None else set()
    for prev in reversed(sents[max(0, index - 4):index + 1]):
        for c in reversed(prev.claims):
            ev = c.evidence.get("designation")
            if ev is not None and ev.start in parts:
                continue
            if c.family and category_group(c.category) in groups and kind_fits(kind, c.category):
                return c
        for m in reversed(prev.equipment):
            if prev.s.start + m.start in parts:
                continue
            if m.family and category_group(m.category) in groups and not m.generic and kind_fits(kind, m.category):
                return Claim(article={}, designation=m.text, family=m.family, category=m.category, maker=m.maker,
                             evidence={"designation": Evidence(prev.s.start + m.start, prev.s.start + m.end, m.text)})
    return None


_BROAD_KINDS = {"aircraft", "helicopter", "ship", "uav", "armoured vehicle", "missile", "artillery", "radar",
                "air defence", "warship", "vessel", "fighter aircraft", "combat aircraft", "military aircraft"}


def kind_fits(generic: str | None, specific: str | None) -> bool:
    """A bare noun can stand for a model of its kind: "jets" for a Rafale, not "LPDs" for a frigate."""
    g = (generic or "").lower()
    if g in _BROAD_KINDS or g == category_group(g):
        return True
    sp = (specific or "").lower()
    return g.split()[-1] in sp or sp.split()[-1:] == g.split()[-1:]
