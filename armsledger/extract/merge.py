"""Article-level passes over the candidates: one item told twice is one claim.

Within a sentence, a broad noun beside a specific one ("helicopters ... four aircraft") and a bare
category repeated are the same item. Across the article, a bare category stands for the one model
of its kind the article names; a supplier inferred from where an item was made gives way to one the
article names; the same transfer told twice is folded into one claim with more evidence; running
totals "before" the latest delivery are dated by it; denials are linked to what they deny.
"""
from __future__ import annotations

import re

from armsledger.catalog import EquipmentMention
from armsledger.categories import category_group
from armsledger.extract.context import kind_fits, parts_named
from armsledger.extract.dating import granularity
from armsledger.extract.mentions import Sent
from armsledger.extract.repeats import stated_date, take_quote
from armsledger.models import Claim, Evidence


BROAD = {"aircraft", "equipment", "systems", "weapons", "arms", "military equipment", "units", "platforms"}


def drop_broad(claims: list[Claim]) -> list[Claim]:
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


def drop_repeats(claims: list[Claim]) -> list[Claim]:
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


def dedupe(claims: list[Claim]) -> list[Claim]:
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
            bare = any(x.quantity is None and stated_date(x) is None for x in (o, c))
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
        # the twin takes the repeat's quotes for what it lacks, but a number's or a date's quote only
        # with the number or date itself (below), and a term's only for a term it holds: a quote must back
        # the value the claim holds
        for k, v in c.evidence.items():
            term = k.removeprefix("terms.") if k.startswith("terms.") else None
            if k not in ("quantity", "date") and (term is None or term in twin.terms):
                twin.evidence.setdefault(k, v)
        if twin.quantity is None and c.quantity is not None:
            twin.quantity, twin.uncertain = c.quantity, c.uncertain
            take_quote(twin, c, "quantity")
        if c.family and (twin.family is None or (len(c.family) > len(twin.family) and _variant_twin(twin, c))):
            twin.designation, twin.family, twin.category, twin.maker = c.designation, c.family, c.category, c.maker
            take_quote(twin, c, "designation")
        if twin.stage == "denied":
            pass
        elif (not twin.date or twin.notes.get("date_source") == "published") and c.date and \
                c.notes.get("date_source") != "published":
            twin.date, twin.granularity, twin.date_text = c.date, c.granularity, c.date_text
            twin.date_unresolved = False
            twin.notes.pop("date_source", None)
            take_quote(twin, c, "date")
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


def specify_generics(claims: list[Claim], sents: list[Sent]) -> None:
    """"a dozen drones" in the lead, "Bayraktar TB2 drones" further down: when the article
    names exactly one model of that kind, the bare category stands for it."""
    named: dict[str | None, dict[str, tuple[EquipmentMention, int]]] = {}
    for st in sents:
        for m in st.equipment:
            if not m.generic and m.family and m.known:
                named.setdefault(category_group(m.category), {}).setdefault(m.family, (m, st.s.start))
    told = _parties_told(claims)
    for c in claims:
        if c.family is not None or not c.category:
            continue
        fams = named.get(category_group(c.category)) or {}
        if len(fams) == 1:
            m, base = next(iter(fams.values()))
            if not kind_fits(c.category, m.category):
                continue  # "the two LPDs" are not the Type 23 frigates named beside them
            # a model already reported for another event (59N6 delivered on March 31) does
            # not name the unnamed radars of another day
            if any(o.family == m.family and o.kind == "transfer" and o.stage == c.stage and o.date and c.date
                   and not _near_dates(o, c)
                   for o in claims):
                continue
            if _told_between_others(c, told.get(m.family)):
                continue
            if _whole_of(c, sents):
                continue
            c.designation, c.family, c.category = m.text, m.family, m.category
            c.maker = c.maker or m.maker
            c.evidence["designation"] = Evidence(base + m.start, base + m.end, m.text)


def _parties_told(claims: list[Claim]) -> dict[str, list[tuple[str | None, str | None]]]:
    """The (supplier, recipient) pairs each model's transfer claims state, read before any bare noun takes a
    model, so that which claims come first does not change the answer."""
    told: dict[str, list[tuple[str | None, str | None]]] = {}
    for o in claims:
        if o.family and o.kind == "transfer":
            told.setdefault(o.family, []).append((o.supplier, o.recipient))
    return told


def _whole_of(c: Claim, sents: list[Sent]) -> bool:
    """The bare noun is a whole whose parts its own sentence goes on to name ("16 helicopters, including eight
    MD-500s"): a model of its kind, named after a word of parts with a smaller count of its own, is one part, not
    what the noun stands for (`context.parts_named`). Otherwise the whole would take the part's model and give
    it the whole's count, a second claim of the part."""
    ev = c.evidence.get("designation")
    if ev is None:
        return False
    st = next((st for st in sents if st.s.start <= ev.start < st.s.start + len(st.s.text)), None)
    return st is not None and bool(parts_named(st, ev.end - st.s.start, c.quantity, c.category))


def _told_between_others(c: Claim, pairs: list[tuple[str | None, str | None]] | None) -> bool:
    """Every claim of the model goes between two other parties than the bare noun's: "Israel sold M-71
    howitzers to Chile" does not name the "six howitzers" China gave Kenya. One party in common keeps the
    model: a customer list ("Russia sold Su-35s to Egypt"; "China ordered 24 fighters of this type") or a
    coalition ("Germany delivered Leopard 2 tanks to Ukraine"; "Poland pledged 14 more tanks")."""
    if not pairs or not (c.supplier and c.recipient):
        return False
    return all(s and r and {s, r}.isdisjoint({c.supplier, c.recipient}) for s, r in pairs)


def suppliers_named_later(claims: list[Claim]) -> None:
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


def date_running_totals(claims: list[Claim]) -> None:
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
            c.granularity = granularity(c.date)
            c.notes["date_source"] = "latest delivery reported in the article"


def _same_item(a: Claim, b: Claim) -> bool:
    if a.family and b.family:
        return a.family == b.family
    ga, gb = category_group(a.category), category_group(b.category)
    return ga is not None and ga == gb


def link_denials(claims: list[Claim]) -> None:
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
