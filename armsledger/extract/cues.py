"""Sentence-level cues around a transfer: hedging, attribution, terms, running totals.

Each finder returns spans (start, end) into the sentence so the claim can
quote the exact words that justify the field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|apparently|suspected(?: of)?|is said to|are said to|was said to|"
    r"were said to|is believed to|are believed to|was believed to|were believed to|is thought to|are thought to|"
    r"reported to have|is reported to|are reported to|unconfirmed|rumou?red|(?:most )?probably|possibly|"
    r"likely|may have|might have|could have|claimed to have|according to (?:unconfirmed )?reports|"
    r"reports suggest|it is understood)\b",
    re.I,
)

ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,.;:“”\"()—–]{3,90}?)(?=\s*(?:[,.;:—–)]|$|\bthat\b|\bwho\b))", re.I)
SAID_BY = re.compile(r"[,”\"]\s*(?:the\s+|a\s+|an\s+)?(?P<pre>said|says|told|reported|wrote|added)\s+"
                     r"(?P<who>(?:the\s+|a\s+|an\s+)?[^,.;“”\"]{3,80}?)(?=\s*(?:[,.;]|$))", re.I)
REPORTS = re.compile(r"\b(?:reports|reported|said|says|told|cited|citing|quoting)\s+(?P<who>(?:the\s+)?[A-Z][\w.&’'\-]*"
                     r"(?:\s+(?:[A-Z][\w.&’'\-]*|of|the|de|al))*)")
_LEAD = re.compile(r"^(?:but|and|however|meanwhile|also|yet|so|in addition|moreover|earlier|later|then)\b[\s,]*", re.I)
_NOT_WHO = re.compile(r"^(?:it|this|that|which|who|he|she|they|we|i|there|what)$|\b(?:it|which)$", re.I)

AID = re.compile(r"\b(?:aid|donat\w*|gift\w*|free of charge|as a gift|military assistance|assistance package|"
                 r"security assistance|grant\w*|handed over free|drawdown|USAI|FMF|foreign military financing)\b", re.I)
PURCHASE = re.compile(r"\b(?:purchas\w*|bought|buy(?:s|ing)?|sale|sold|sell\w*|contract\w*|deal\w*|acqui\w*|"
                      r"procure\w*|order\w*)\b", re.I)
SECOND_HAND = re.compile(r"\b(?:second[- ]hand|used|surplus|ex-[A-Z]\w*|former \w+ (?:navy|air force|army)|"
                         r"decommissioned|refurbished|retired|redundant|from (?:its|their) (?:own )?(?:stocks|inventory))\b",
                         re.I)
LEASE = re.compile(r"\b(?:leas\w+|on loan|loaned|lent)\b", re.I)
LICENCE = re.compile(r"\b(?:licen[cs]\w*|under licen[cs]e|locally (?:produced|built|assembled)|licen[cs]ed production|"
                     r"assembled locally|built in \w+ by|technology transfer|co-production|coproduction)\b", re.I)
VALUE = re.compile(
    r"(?:(?<![A-Za-z])(?-i:US|USD|EUR|GBP|Rs\.?|INR|RMB|CNY)\s?\$?|[$€£¥₹])\s?\d[\d,.]*\s?(?:million|billion|bn|mn|m|b|crore|lakh)?\b"
    r"(?:\s*\([^)]{0,30}\))?|\b\d[\d,.]*\s?(?:million|billion|bn)\s+(?:dollars|euros|pounds|rubles|roubles|"
    r"yuan|rupees|USD|EUR)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|half a)\s+(?:million|billion)\s+"
    r"(?:dollars|euros|pounds|rubles|roubles|yuan|rupees)\b",
    re.I,
)

CUMULATIVE = re.compile(
    r"\b(?:brings?|bringing|brought)\s+(?:to|the total(?: number)?(?: of \w+)? to)\s+(?P<n1>[\w,-]+)\s+(?:the\s+)?"
    r"(?:known\s+|total\s+)?(?:number|total|fleet)\b"
    r"|\b(?:has|have|had)\s+(?:\w+\s+)?(?:previously|already|so far|now)\s+(?:\w+\s+)?"
    r"(?:received|taken delivery of|acquired|provided|delivered|supplied|sent|donated)\b"
    r"|\b(?:has|have|had)\s+(?:\w+\s+)?(?:received|taken delivery of|acquired|provided|delivered|supplied|sent|donated)"
    r"\s+(?:\w+\s+){0,3}?(?:so far|to date|in total|altogether|already)\b"
    r"|\b(?:a|the)\s+total\s+of\s+\S+\s+(?:\w+\s+){0,4}(?:have|has)\s+(?:been\s+)?(?:delivered|received|supplied|provided|sent)\b"
    r"|\b(?:so far|to date),?\s+(?:\w+\s+){0,4}(?:have|has)\s+(?:been\s+)?(?:delivered|received|supplied|provided|sent|deployed)\b",
    re.I,
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def hedge(sentence: str) -> Span | None:
    m = HEDGE.search(sentence)
    return Span(m.start(), m.end(), m.group(0)) if m else None


SPEECH_VERB = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:said|says|told|tells|reported|announced|confirmed|stated|"
                          r"wrote|claimed|revealed|denied|denies|disclosed|cited|quoted)\b")
_ASIDE = re.compile(r"(?:speaking|citing|quoting|referring|who|which|in a|on|at|while|during|according)\b", re.I)


def attribution(sentence: str) -> Span | None:
    """Who the sentence says is speaking: "according to X", "X said", "said X"."""
    m = ACCORDING.search(sentence)
    if m and not re.match(r"(?:reports?|media|sources)$", m.group("who").strip(), re.I):
        return _clean(m, sentence)
    for m in SAID_BY.finditer(sentence):
        who = m.group("who").strip()
        # "..., said the ministry." names a speaker; "said the planes were ..." is reported speech
        if not _NOT_WHO.search(who) and len(who.split()) <= 8 and not re.search(
                r"\b(?:was|were|is|are|had|has|have|will|would|could|should|did|do|does)\b", who, re.I):
            return _clean(m, sentence)
    for v in SPEECH_VERB.finditer(sentence):
        # the clause before the verb, from the sentence start or a closing quote
        lo = max(sentence.rfind(ch, 0, v.start()) for ch in (";", "”", "\"", ":"))
        lo = lo + 1 if lo >= 0 else 0
        chunks, pos = [], lo
        for chunk in sentence[lo:v.start()].split(","):
            chunks.append((pos, chunk))
            pos += len(chunk) + 1
        # the speaker is the nearest clause before the verb that is not an aside
        for start, chunk in reversed(chunks):
            text = chunk.strip()
            if not text or _ASIDE.match(text):
                continue
            lead = _LEAD.match(text)
            if lead:
                text = text[lead.end():].strip()
            if not text or _NOT_WHO.search(text) or len(text.split()) > 9:
                break
            s = sentence.index(text, start)
            return Span(s, s + len(text), text)
    m = REPORTS.search(sentence)
    if m:
        return _clean(m, sentence)
    return None


def _clean(m: re.Match, sentence: str) -> Span | None:
    who = m.group("who")
    s = m.start("who") + (len(who) - len(who.lstrip()))
    who = who.strip()
    return Span(s, s + len(who), who) if who else None


# words one of which each terms pattern needs: a substring test before the regex scan
_TERM_STEMS = {
    "aid": ("aid", "donat", "gift", "free of charge", "assistance", "grant", "drawdown", "usai", "fmf",
            "foreign military financing"),
    "second_hand": ("second", "used", "surplus", "ex-", "former", "decommission", "refurbish", "retired",
                    "redundant", "stocks", "inventory"),
    "lease": ("leas", "loan", "lent"),
    "licence": ("licen", "locally", "assembled", "built in", "technology transfer", "co-production", "coproduction"),
    "value": ("$", "€", "£", "¥", "₹", "us", "eur", "gbp", "rs", "inr", "rmb", "cny", "million", "billion"),
    "purchase": ("purchas", "bought", "buy", "sale", "sold", "sell", "contract", "deal", "acqui", "procure", "order"),
}


def terms(sentence: str) -> dict[str, Span]:
    out: dict[str, Span] = {}
    low = sentence.lower()
    for key, rx in (("aid", AID), ("second_hand", SECOND_HAND), ("lease", LEASE), ("licence", LICENCE),
                    ("value", VALUE), ("purchase", PURCHASE)):
        if not any(stem in low for stem in _TERM_STEMS[key]):
            continue
        m = rx.search(sentence)
        if m:
            out[key] = Span(m.start(), m.end(), m.group(0))
    if "aid" in out or "lease" in out:
        out.pop("purchase", None)
    return out


def cumulative(sentence: str) -> Span | None:
    m = CUMULATIVE.search(sentence)
    return Span(m.start(), m.end(), m.group(0)) if m else None
