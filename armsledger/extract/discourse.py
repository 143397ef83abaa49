"""Claims a sentence makes only together with the sentences before it.

"Another ten are due on October 20" (more of the item just reported), "Switzerland has blocked the
sale" (a denial of the plan or report before), "The package includes ..." (the items of the aid
just announced), "described the gear as Mi-24P helicopters" (a model for the bare category named
before), "three more deliveries are expected" (deliveries with no item named).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from armsledger.categories import category_group
from armsledger.extract import cues, quantities, roles, triggers
from armsledger.extract.context import MAX_EVENT_DISTANCE, Context
from armsledger.extract.dating import set_date
from armsledger.extract.mentions import Sent, fill_cues
from armsledger.extract.stages import blocked, is_noun, stage_of
from armsledger.models import Claim, Evidence

if TYPE_CHECKING:
    from armsledger.extract.candidates import Candidates


_NUMWORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)"
_ELLIPSIS = re.compile(rf"\b(?:another|a further|the remaining|the other|the last|the final|the first|the next)\s+(?P<n>{_NUMWORD})\b"
                       rf"(?!\s+(?:years?|months?|weeks?|days?|percent|per cent|%|million|billion))"
                       rf"|\b(?P<n2>{_NUMWORD})\s+(?:more|others|additional|remaining)\b(?!\s+(?:years?|months?|weeks?|days?))"
                       rf"|\b(?P<n3>{_NUMWORD})\s+of\s+them\b"
                       # "the rest will be delivered in 2021": what remains of the item, its number not told
                       r"|\bthe\s+(?P<rest>rest|remainder)\b(?!\s+of\b)", re.I)


def _denial_of_plan(build: Candidates, st: Sent, prev: Sent, ctx: Context, tr: triggers.Trigger) -> Claim | None:
    m = prev.equipment[0]
    t0 = prev.triggers[0]
    roled = roles.assign(prev.s.text, prev.actors, t0.start, t0.voice, [(x.start, x.phrase_end) for x in prev.equipment])
    c = Claim(article=ctx.meta, kind="transfer", stage="denied")
    build.fill_equipment(c, m, prev, [], prev.s.start)
    build.fill_actors(c, roled, m, prev, ctx, prev.s.start)
    if c.recipient is None or c.supplier is None:
        return None
    base = st.s.start
    c.evidence["stage"] = Evidence(base + tr.start, base + tr.end, tr.text)
    c.evidence["sentence"] = Evidence(base, st.s.end, st.s.text)
    _denial_cues(c, st, base)
    return c


def aid_from_context(c: Claim, st: Sent, sents: list[Sent]) -> None:
    """"The package includes ..." after "a new military aid package": the items are aid."""
    for prev in reversed(sents[max(0, st.index - MAX_EVENT_DISTANCE):st.index]):
        m = cues.AID.search(prev.s.text)
        if m:
            c.terms["aid"] = True
            c.evidence["terms.aid"] = Evidence(prev.s.start + m.start(), prev.s.start + m.end(), m.group(0))
            return


def denial_of_previous(build: Candidates, st: Sent, sents: list[Sent], ctx: Context, tr: triggers.Trigger
                       ) -> Claim | None:
    """"Switzerland has blocked the sale", "denied the reports": a denial of the plan or of the transfer
    the sentences just before reported."""
    prev = sents[st.index - 1] if st.index else None
    if prev is not None and prev.equipment and not prev.claims and prev.triggers:
        # "... planned to buy 100 Leopards from a Swiss company. Switzerland has blocked the
        # sale.": the plan was no claim, but it is what the denial is about
        return _denial_of_plan(build, st, prev, ctx, tr)
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
            _denial_cues(c, st, base)
            return c
    return None


def elliptic(st: Sent, sents: list[Sent], ctx: Context, after: int,
             antecedent: Claim | None = None) -> Claim | None:
    """"Another ten are due on October 20", "the first 10 of them were delivered",
    "..., the delivery of three more is expected", "the rest will follow in 2024": a new quantity
    of the equipment just reported (none when the text gives no number), with its own stage and date."""
    t = st.s.text
    m = _ELLIPSIS.search(t, after)
    if not m:
        return None
    g = next(k for k in ("n", "n2", "n3", "rest") if m.group(k))
    n = quantities.parse_number(m.group(g)) if g != "rest" else None
    if n is None and g != "rest":
        return None
    trig = next((tr for tr in st.triggers if tr.start >= after and abs(tr.start - m.end()) < 60
                 and not is_noun(tr) and not blocked(t, tr)), None)
    if trig is None:
        return None
    stage = stage_of(trig, t)
    if g == "rest" and (antecedent is not None or stage != "expected" or trig.stage == "ordered"):
        # what remains, uncounted, is only told apart from the event before it as what is still to come
        # (guidelines: "what remains is expected"): "the rest were delivered later" would fold into that
        # delivery, "the rest will be ordered" is no delivery, and a remainder in the same sentence as its
        # antecedent ("expects to receive the rest in 2023") is the rules' own claim
        return None
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
    if n is not None:
        c.evidence["quantity"] = Evidence(base + m.start(g), base + m.end(g), m.group(g))
    c.evidence["stage"] = Evidence(base + trig.start, base + trig.end, trig.text)
    if dates:
        set_date(c, min(dates, key=lambda d: abs(d.start - trig.start)), base)
    fill_cues(c, st, base)
    c.evidence["sentence"] = Evidence(base, st.s.end, t)
    return c


def pseudo_deliveries(st: Sent, m: re.Match, tr: triggers.Trigger, ctx: Context) -> Claim:
    """"Two more deliveries are expected": deliveries of the article's deal, no item named."""
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
        set_date(c, d, base)
    fill_cues(c, st, base)
    c.evidence["sentence"] = Evidence(base, st.s.end, t)
    return c


def refine_previous(st: Sent, sents: list[Sent]) -> dict[str | None, Claim]:
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


def _denial_cues(c: Claim, st: Sent, base: int) -> None:
    """A denial's hedges and source; its own words ("no such contract") are not terms of a deal."""
    fill_cues(c, st, base)
    c.terms = {}
    c.evidence = {k: v for k, v in c.evidence.items() if not k.startswith("terms.")}
