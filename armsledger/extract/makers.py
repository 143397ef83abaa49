"""A maker named with the item sells it: "Indonesia also agreed to purchase 42 Dassault Rafale jets", in an article
about drones bought from Turkey, is an order from France, not from Turkey.

The rules fill a supplier the sentence leaves out from what the article told before: the supplier it named for
the same recipient, and only then the state where the item was made. That order suits an item sold on by another
state ("Czech-designed L-39s" in an article about Russia's deliveries), but not one whose maker the sentence itself
names with the model: a firm named in the item's own words ("Dassault Rafale", "Embraer Super Tucano") is the side
that sells it. After the decision, a claim whose supplier was taken from elsewhere in the article (not from a
sentence that tells this seller for this item), and whose sentence names the item's maker as part of the item,
takes the maker's state (for a maker that builds in several states, the one state the register has supplying the
family). Left alone: a supplier the sentence names, in whatever role ("Dassault Mirage jets from Qatar"; "the sale
of two Boeing E-3D Sentry aircraft to Chile, confirmed by the UK Ministry of Defence"); one that the register has
among the family's suppliers (second-hand, licence production); a maker of the recipient's own state or of the
supplier's; a maker whose state the register does not have supplying the family ("Thales Bushmaster"). Running
after the decision keeps the model's inputs as they were.
"""
from __future__ import annotations

from armsledger.catalog import Catalog
from armsledger.extract.roles import actor_code
from armsledger.gazetteer import ActorMention, Gazetteer
from armsledger.models import Claim, Evidence


def maker_sells(claims: list[Claim], candidates: list[Claim], mentions: dict[int, list[ActorMention]],
                catalog: Catalog | None = None, gazetteer: Gazetteer | None = None) -> list[Claim]:
    """The claims, each whose supplier came from outside its sentence while the sentence names the item's maker
    with it given the maker's state. `candidates`: the article's rule claims (what the article tells of each item);
    `mentions`: sentence start -> the gazetteer's mentions in it."""
    catalog = catalog or Catalog.default()
    gazetteer = gazetteer or Gazetteer.default()
    for c in claims:
        sent, item = c.evidence.get("sentence"), c.evidence.get("designation")
        if c.kind != "transfer" or sent is None or item is None or not c.supplier or _told_in(c, "supplier", sent):
            continue
        named = mentions.get(sent.start, [])
        if any(actor_code(m.actor) == c.supplier for m in named):
            continue  # the supplier is named here, if in no role the rules read: "the sale of two Boeing E-3D
            # Sentry aircraft to Chile has been confirmed by the UK Ministry of Defence" (second-hand)
        maker = _maker_of_item(item, sent, named)
        if maker is None or not maker.actor.country:
            continue
        state = maker.actor.country
        only = catalog.suppliers_of(c.family) if c.family else []
        if c.supplier in only:
            continue  # a seller the register has for the family: second-hand ("Lima also received four used
            # Lockheed Martin F-16 jets", after the Netherlands' sale) or built under licence
        if len(only) == 1:
            state = only[0]  # "Airbus C295": a multinational's model comes from where the register says
        elif only and state not in only:
            continue  # the register has the family from elsewhere: "Thales Bushmaster" (built in Australia)
        if state in (c.supplier, c.recipient) or gazetteer.state_of(c.supplier) == state:
            continue
        if any(o.family == c.family and o.supplier == c.supplier and o.evidence.get("sentence") is not None
               and _told_in(o, "supplier", o.evidence["sentence"]) for o in candidates if o.kind == "transfer"):
            continue  # the article names this seller for this item elsewhere: "Five Sikorsky 70i BlackHawk helicopters
            # were welcomed", then "acquired from Polish company PZL Mielec" (built under licence abroad)
        c.notes["supplier_rule"] = c.supplier
        c.supplier = state
        c.evidence["supplier"] = Evidence(sent.start + maker.start, sent.start + maker.end, maker.text)
        c.notes["supplier_from"] = "its maker, named with it"
    return claims


def _told_in(c: Claim, role: str, sent: Evidence) -> bool:
    """The claim's party is quoted from its own sentence."""
    ev = c.evidence.get(role)
    return ev is not None and sent.start <= ev.start and ev.end <= sent.end


def _maker_of_item(item: Evidence, sent: Evidence, named: list[ActorMention]) -> ActorMention | None:
    """A maker the sentence names as part of the item: inside its quote ("Dassault Rafale") or just before it
    ("Embraer's Super Tucano", "Embraer Super Tucano")."""
    start, end = item.start - sent.start, item.end - sent.start
    for m in named:
        if m.actor.kind != "maker":
            continue
        if start <= m.start and m.end <= end:
            return m
        gap = sent.quote[m.end:start]
        if m.end <= start and gap.strip() in ("", "'s", "’s"):
            return m
    return None
