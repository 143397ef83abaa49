"""Tranches told by an elided count: "will receive 12 tanks this year, 20 in 2025 and 14 in 2026".

A sentence often counts one item once and then goes on with bare numbers, each with a date of its own:
"20 in 2025", "a further six in July 2021", "the third in 2027", "the last six to be delivered in 2024". The number has no noun of its own (the parse does not attach it to one as a count), so the item is
the one counted before it; each such number is a tranche, and the guidelines make each tranche a record of
its own (same parties and item, its own quantity and date). The claim the decision kept is the first
tranche: it keeps the date of its own stretch of the sentence, the part before the first bare number.

A bare number is read as a tranche only when nothing else could be what it counts or who gets it: no other
model and no other party stands between the counted item and the number, nor another party in the number's own
conjunct ("12 in 2019 for Qatar"); the number is no part of a date, an amount or a measure, no part of a whole
("2 of them"), no running total ("60 in total"), and no other claim's count; and it has a date of its own,
right after it, that differs from the claim's. A number that is the subject of a verb of its own is that verb's:
a transfer verb gives the tranche its stage ("the last six to be delivered in 2024"), any other verb means
no tranche ("two crashed in 2015"); a claim whose own count comes after a bare number is itself a later tranche
and is left alone. The first claim is re-dated only by a date of its own verb's clause (not "which approved the
sale in 2019"). A delivery dated after publication is still to come. Runs after the decision: the model and
its training are unchanged.
"""
from __future__ import annotations

import copy
import re
from collections import Counter

from armsledger.catalog import Catalog
from armsledger.extract import quantities, triggers
from armsledger.extract.counts import head_noun
from armsledger.extract.dates import DateMention
from armsledger.extract.dating import fits_stage, redate
from armsledger.extract.parse import Parsed, governor
from armsledger.extract.stages import event_stage
from armsledger.gazetteer import Gazetteer
from armsledger.models import Claim, Evidence

ORDINALS = {"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last", "final"}
# what opens a new conjunct of the sentence before a bare number: "..., 20 in 2025", "and a further six"
_OPENER = re.compile(r"(?:,|;|\band|\bwith|\bwhile|\bplus)\s+(?:(?:another|a further|further|the remaining|the other|"
                     r"the final|the last|the|a)\s+)?$", re.I)
# the count of a noun, or a part of an amount: never a tranche of its own
_COUNTING = {"nummod", "quantmod", "compound", "amod", "nmod", "poss"}
# what a number before it measures when it is no count of the item: money, a share, a distance, a time
_UNIT = re.compile(r"^\s*(?:%|percent|per cent|million|billion|bn|m\b|crore|lakh|km|kilomet|miles|tons|tonnes|"
                    r"years?|months?|weeks?|days?|hours?)", re.I)
_OPENER_AFTER = re.compile(r",|;|\band\b|\bwith\b|\bwhile\b|\bplus\b", re.I)
_PARTITIVE = re.compile(r"\s+of\b", re.I)
_TOTAL_AFTER = re.compile(r"\s+(?:in total|in all|altogether)\b", re.I)
_TOTAL_BEFORE = re.compile(r"\b(?:a total of|total of|totall?ing|bringing [^,;]{0,40}\bto)\s+$", re.I)
MAX_GAP = 40  # characters from a bare number to the date that dates it ("the last six to be delivered in 2024")


def split(claims: list[Claim], parsed: dict[int, Parsed], dates: dict[int, list[DateMention]],
          gazetteer: Gazetteer | None = None) -> list[Claim]:
    """The decided claims, each followed by the tranches its sentence counts after it (see the module doc)."""
    gaz = gazetteer or Gazetteer.default()
    transfers = [c for c in claims if c.kind == "transfer"]
    told = Counter(_key(c) for c in transfers)  # read before any claim is re-dated
    counted = {c.evidence["quantity"].start for c in transfers if "quantity" in c.evidence}
    out: list[Claim] = []
    for c in claims:
        out.append(c)
        ev, item, verb, when, qty = (c.evidence.get(k) for k in ("sentence", "designation", "stage", "date", "quantity"))
        if c.kind != "transfer" or qty is None or ev is None or item is None or verb is None or when is None \
                or not (ev.start <= item.start < ev.end and ev.start <= when.start < ev.end):
            continue  # a tranche follows a counted item dated in its own sentence: "12 tanks this year, 20 in 2025"
        p = parsed.get(ev.start)
        if p is None:
            continue
        pub = (c.article or {}).get("published")
        spans = [(tok, d) for tok, d in _tranches(c, p, dates.get(ev.start, ()), claims, gaz)
                 if ev.start + tok.idx not in counted]  # a number another claim counts is that claim's
        if not spans or qty.start >= ev.start + spans[0][0].idx:
            continue  # the claim's own count comes after a bare number: it is a later tranche itself
        own = [d for d in dates.get(ev.start, ()) if d.value and item.end - ev.start <= d.start < spans[0][0].idx
               and _clause(p, d.start) == _clause(p, verb.start - ev.start)]
        if len(own) == 1 and own[0].value != c.date and fits_stage(own[0], c.stage, pub):
            told[_key(c)] -= 1  # the claim's old date was a tranche's: that tranche is still to be told
            redate(c, own[0], ev.start, "its own tranche")
            told[_key(c)] += 1
        for tok, d in spans:
            t = _copy(c, tok, d, ev, pub)
            if t is not None and t.date != c.date and told[_key(t)] <= 0:
                told[_key(t)] += 1
                out.append(t)
    return out


def _key(c: Claim) -> tuple:
    ev = c.evidence.get("sentence")
    return (ev.start if ev is not None else None, c.family or c.designation, c.stage, c.date)


def _clause(p: Parsed, at: int) -> int | None:
    """The index of the verb whose clause holds the token at sentence offset `at`."""
    tok = p.token_at(p.start + at)
    return governor(tok).i if tok is not None else None


def _tranches(c: Claim, p: Parsed, dates, claims: list[Claim], gaz: Gazetteer) -> list[tuple]:
    """The bare numbers after the claim's item that count it again, each with the date right after it."""
    ev, item = c.evidence["sentence"], c.evidence["designation"]
    text = ev.quote
    lo = _phrase_end(p, item) - ev.start
    # another item named after this one: the numbers after it are its own
    others = [o.evidence["designation"].start - ev.start for o in claims
              if o is not c and o.kind == "transfer" and "designation" in o.evidence and "sentence" in o.evidence
              and o.evidence["sentence"].start == ev.start and (o.family or o.designation) != (c.family or c.designation)]
    hi = min([x for x in others if x > lo] + [len(text)])
    date_spans = [(d.start, d.end) for d in dates]
    parties = {c.supplier, c.recipient}
    found = []
    for tok in p.doc:
        if not (lo <= tok.idx < hi):
            continue
        word = tok.lower_
        ordinal = word in ORDINALS and tok.i > 0 and tok.nbor(-1).lower_ == "the"
        if not (ordinal or tok.like_num or word in quantities.UNITS):
            continue
        if word in ("a", "an", "another", "both", "one") or tok.dep_ in _COUNTING:
            continue
        end = tok.idx + len(tok.text)
        if any(s <= tok.idx < e for s, e in date_spans) or _UNIT.match(text[end:end + 10]) \
                or re.search(r"[$€£¥₹]\s*$", text[max(0, tok.idx - 3):tok.idx]):
            continue
        if tok.i + 1 < len(p.doc) and p.doc[tok.i + 1].pos_ in ("NOUN", "PROPN") and p.doc[tok.i + 1].lower_ != "more":
            continue  # a number before a noun counts that noun
        if _PARTITIVE.match(text[end:]) or _TOTAL_AFTER.match(text[end:]) or _TOTAL_BEFORE.search(text[:tok.idx]):
            continue  # "2 of them" is a part, "60 in total" a running total: neither a tranche
        if not _OPENER.search(text, max(0, tok.idx - 24), tok.idx):
            continue
        stop = _OPENER_AFTER.search(text, end)
        stretch = (text[lo:tok.idx], text[end:stop.start() if stop else len(text)])
        if any({m.actor.code for m in gaz.find(x)} - parties for x in stretch):
            continue  # a party of its own, before the number or in its conjunct: another deal's count
        if any(m.family and m.family != c.family for m in Catalog.default().find(stretch[0])):
            continue  # another model between them: the number counts that one
        after = [d for d in dates if d.value and end <= d.start <= end + MAX_GAP]
        if not after:
            continue
        d = min(after, key=lambda x: x.start)
        if re.search(r"[;]|\b(?:and|but|while)\b", text[end:d.start]) or _counted_between(text[end:d.start]):
            continue
        found.append((tok, d))
    return found


def _phrase_end(p: Parsed, item: Evidence) -> int:
    """Where the item's noun ends (article offset): "FDI" names the item in "two FDI frigates", whose noun is
    "frigates"."""
    tok = p.token_at(item.start, item.end)
    if tok is None:
        return item.end
    noun = head_noun(tok)
    return max(item.end, p.start + noun.idx + len(noun.text))


def _counted_between(gap: str) -> bool:
    """Another number between a bare number and its date: the date is another's."""
    return re.search(r"\b\d+\b", gap) is not None


def _own_verb(tok):
    """The verb a bare number is the subject of, or that hangs on it ("10 more were handed over", "10 ordered
    in 2016"), or None when the number only stands beside the first verb ("20 in 2025")."""
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    return next((ch for ch in tok.children if ch.dep_ in ("acl", "relcl") and ch.pos_ == "VERB"), None)


def _copy(c: Claim, tok, d: DateMention, ev: Evidence, pub: str | None) -> Claim | None:
    """The claim again for one tranche: its count (none for "the third"), its date, its own verb's stage; None when
    the number has a verb of its own that tells no transfer ("2 of them crashed in 2015", "12 went to Qatar")."""
    stage, stage_ev = c.stage, c.evidence["stage"]
    verb = _own_verb(tok)
    if verb is not None:
        trig = [x for x in triggers.find(ev.quote) if x.start <= verb.idx < x.end]
        s = event_stage(trig[0], ev.quote) if trig else None
        if s is None or s == "denied":
            return None
        stage, stage_ev = s, Evidence(ev.start + trig[0].start, ev.start + trig[0].end, trig[0].text)
    t = copy.copy(c)
    t.evidence = dict(c.evidence)
    t.notes = {k: v for k, v in c.notes.items() if k not in ("date_source", "date_from")}
    t.terms = dict(c.terms)
    base = ev.start
    value = quantities.parse_number(tok.text)
    t.evidence.pop("quantity", None)
    t.quantity, t.uncertain = None, False
    if value is not None and tok.lower_ not in ORDINALS:
        t.quantity = value
        t.evidence["quantity"] = Evidence(base + tok.idx, base + tok.idx + len(tok.text), tok.text)
    redate(t, d, base, "its own tranche")
    t.stage, t.evidence["stage"] = stage, stage_ev
    if t.stage == "delivered" and pub and d.value and d.value > pub[:len(d.value)]:
        # "received 36 jets in 2021, with another 26 in 2028": the tranche is still to come, and its date, not
        # "received", is what says so (as an order's schedule is quoted, events._scheduled)
        t.stage = "expected"
        t.evidence["stage"] = t.evidence["date"]
    t.notes["tranche"] = f"counted again after the item: {tok.text!r}, {d.text!r}"
    return t
