"""Transfer triggers ("took delivery", "signed a contract", "denied") from a data file.

The lexicon lives in data/triggers.jsonl so an analyst can add a verb without
touching code; all lines compile into one alternation per stage, once.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from armsledger.datafiles import records

# "will", "to be", "expected to" before a transfer verb turn a report of
# something done into one of something to come.
FUTURE = re.compile(
    r"\b(?:will|would|shall|is to|are to|to be|set to|due to|plans? to|planning to|going to|expected to|"
    r"scheduled to|slated to|intends? to|ready to|about to|aims? to|is to be|are to be)\s+(?:\w+\s+){0,2}$",
    re.I,
)
# A conditional or negated clause keeps a transfer from being reported as fact.
NEGATION = re.compile(r"\b(?:not|never|neither|nor|no longer|refused to|declined to|refused|refuses|refusing|declined|declines|won't|didn't|wouldn't|hasn't|haven't)\s+(?:\w+\s+){0,1}$", re.I)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    stage: str
    voice: str
    future: bool = False


@dataclass(frozen=True)
class _Rule:
    stage: str
    voice: str
    regex: re.Pattern
    cue: tuple[str, ...]  # lower-case stems, one of which every match contains: a cheap test first


def _lexicon_paths() -> list[Path | object]:
    paths: list = [resources.files("armsledger") / "data" / "triggers.jsonl"]
    extra = os.environ.get("ARMSLEDGER_TRIGGERS")
    if extra:
        paths += [Path(p) for p in extra.split(os.pathsep) if p]
    return paths


def _entries() -> list[dict]:
    out: list[dict] = []
    for path in _lexicon_paths():
        with resources.as_file(path) as real:
            out += [d for _n, d in records(real)]
    return out


@lru_cache(maxsize=1)
def inner_adverbs() -> re.Pattern | None:
    """The lexicon's `inner_adverbs`: words that may stand inside a verb group without changing what
    it reports ("will also receive", "would jointly provide", "has now given"). The patterns are
    written without them; `find` matches on the sentence with these words passed over."""
    words = [w for d in _entries() for w in d.get("inner_adverbs", [])]
    if not words:
        return None
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(r"(?<=[A-Za-z]) (?:" + alt + r")(?= [A-Za-z])", re.I)


def _passed_over(text: str) -> tuple[str, list[int] | None]:
    """The sentence without its inner adverbs, and where each of its characters stands in `text`
    (None when nothing was passed over)."""
    rx = inner_adverbs()
    if rx is None or not rx.search(text):
        return text, None
    parts: list[str] = []
    where: list[int] = []
    pos = 0
    for m in rx.finditer(text):
        parts.append(text[pos:m.start()])
        where.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    where.extend(range(pos, len(text)))
    return "".join(parts), where


@lru_cache(maxsize=1)
def rules() -> tuple[_Rule, ...]:
    out = []
    for d in _entries():
        if "pattern" in d:
            rx = re.compile(r"(?<![\w-])(?:" + d["pattern"] + r")(?![\w-])", re.I)
            cue = tuple(c.lower() for c in d["cue"].split("|")) if d.get("cue") else ()
            out.append(_Rule(d["stage"], d.get("voice", "neutral"), rx, cue))
    return tuple(out)


class _Prefilter:
    """Whether a sentence can hold any trigger: a stem test on the lower-cased text (rules
    without a cue are tried in full)."""

    def __init__(self, rules_: tuple[_Rule, ...]):
        self.stems = tuple(sorted({c for r in rules_ for c in r.cue}))
        self.full = [r.regex for r in rules_ if not r.cue]

    def search(self, text: str) -> bool:
        low = text.lower()
        return any(s in low for s in self.stems) or any(rx.search(text) for rx in self.full)


@lru_cache(maxsize=1)
def prefilter() -> _Prefilter:
    return _Prefilter(rules())


# verbs that are also nouns: "a package of orders", "military supplies", "firm orders"
_NOUN_FORMS = re.compile(r"^(?:orders?|purchases?|supplies|deliveries|transfers|sales?|ships|buys|gifts?|shipments?)$", re.I)
_DETERMINER = re.compile(r"\b(?:of|the|a|an|firm|new|additional|more|further|its|their|his|her|our|military|arms|"
                         r"weapons|export|\d+|first|initial|these|those|such|any|no)\s+$", re.I)


_PARTICIPLE = re.compile(r"^(?:ordered|purchased|bought|acquired|procured|contracted|sold)$", re.I)
_ADJECTIVAL = re.compile(r"\b(?:the|a|an|its|their|newly|recently|already|previously|of|these|those|\d+)\s+$", re.I)


def find(text: str) -> list[Trigger]:
    """All triggers in a sentence, longest first where they overlap. Offsets and quotes are the
    sentence's own: a trigger matched across a passed-over adverb quotes it ("will also receive")."""
    original = text
    text, where = _passed_over(text)
    found: list[Trigger] = []
    low = text.lower()
    present = {c for c in prefilter().stems if c in low}
    for rule in rules():
        if rule.cue and present.isdisjoint(rule.cue):
            continue
        for m in rule.regex.finditer(text):
            if not m.group(0).strip():
                continue
            if _NOUN_FORMS.match(m.group(0)) and _DETERMINER.search(text, max(0, m.start() - 20), m.start()):
                continue
            if rule.stage == "ordered" and _PARTICIPLE.match(m.group(0)) and \
                    _ADJECTIVAL.search(text, max(0, m.start() - 20), m.start()):
                continue  # "newly procured arms", "the contracted aircraft": an adjective
            future = bool(FUTURE.search(text, max(0, m.start() - 40), m.start()))
            start, end = (m.start(), m.end()) if where is None else (where[m.start()], where[m.end() - 1] + 1)
            found.append(Trigger(start, end, original[start:end], rule.stage, rule.voice, future))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Trigger] = []
    for t in found:
        if out and t.start < out[-1].end:
            prev = out[-1]
            # keep the more specific of two overlapping triggers: a denial or a
            # future form wins over the bare verb it contains
            if _rank(t) > _rank(prev):
                out[-1] = t
            continue
        out.append(t)
    return out


_STAGE_RANK = {"denied": 5, "expected": 3, "pledged": 3, "ordered": 2, "delivered": 1}


def _rank(t: Trigger) -> tuple[int, int]:
    return (_STAGE_RANK[t.stage], t.end - t.start)
