"""Features of a candidate claim, read off the dependency parse of its sentence.

A candidate is one equipment mention with a stage and a supplier/recipient pair. The
learned decision (see decide.py) scores it with a linear model over these sparse string
features. Two families:

* clause features (conjoined with the candidate's stage): the verb that governs the
  equipment and what modifies its clause (modals, negation, tense, the verbs above it:
  "plans to buy", "denied supplying"), the rule trigger, the words of the sentence, the date
  relative to publication, the rule's own stage;
* role features (conjoined with the role): how each party attaches to the clause
  (subject, "from X", "to X", an adjective on the equipment, a possessive), where it was
  found (this sentence, the article's context) and whether the rules agree.
"""
from __future__ import annotations

from dataclasses import dataclass

from armsledger.categories import category_group
from armsledger.extract import triggers
from armsledger.extract.parse import Parsed, clause_marks, governor, path_to
from armsledger.models import Claim

STAGES = ("ordered", "delivered", "expected", "pledged", "denied")
CONTENT_POS = {"VERB", "NOUN", "ADJ", "ADV", "AUX", "PART", "ADP", "SCONJ"}


def _year(value: str | None) -> int | None:
    try:
        return int(str(value)[:4]) if value else None
    except ValueError:
        return None


def date_features(c: Claim) -> list[str]:
    """Where the claim's date lies relative to publication: the strongest cue for expected vs delivered."""
    if c.date is None:
        return ["date=none"]
    if c.notes.get("date_source") == "published":
        return ["date=published"]
    pub = (c.article or {}).get("published")
    py, cy = _year(pub), _year(c.date)
    if py is None or cy is None:
        return ["date=unanchored"]
    if cy > py:
        return ["date=future"]
    if cy == py:
        if pub and c.date[:7] > pub[:7]:
            return ["date=future"]
        return ["date=this_year"]
    return ["date=past" if py - cy <= 2 else "date=old"]


def clause_features(c: Claim, parsed: Parsed | None, sentence_rank: int) -> list[str]:
    """Stage-independent facts about the claim's clause; decide.py conjoins them with each stage."""
    f = [f"rule={c.stage}", f"cat={category_group(c.category) or 'none'}",
         "specific" if c.family else "generic", "qty" if c.quantity is not None else "noqty",
         f"rank={min(sentence_rank, 3)}"]
    f += date_features(c)
    f += [f"note={k}" for k in c.notes if k not in ("date_source", "secondary")]
    if c.notes.get("secondary"):
        f.append(f"second_to={c.notes['secondary']}")
    f += [f"term={k}" for k in c.terms]
    if c.hedged:
        f.append("hedged")
    if c.attribution:
        f.append("attributed")
    trig = c.evidence.get("stage")
    if trig is not None:
        f.append("trig=" + " ".join(trig.quote.lower().split()[-2:]))
    if parsed is None:
        return f
    doc = parsed.doc
    for t in doc:
        if t.pos_ in CONTENT_POS and not t.is_punct:
            f.append(f"w={t.lemma_.lower()}")
    eq = c.evidence.get("designation")
    head = parsed.token_at(eq.start, eq.end) if eq is not None and eq.start >= parsed.start and \
        eq.end <= parsed.end else None
    if head is not None:
        gov = governor(head)
        f.append(f"gov={gov.lemma_.lower()}")
        f.append(f"eqrel={path_to(head, gov, 3) or 'far'}")
        f += [f"gov_{m}" for m in clause_marks(gov)]
        if head.dep_ in ("nsubj", "nsubjpass"):
            f.append(f"eq_subj={gov.lemma_.lower()}")
    else:
        f.append("eq_elsewhere")
    if trig is not None and trig.start >= parsed.start:
        tt = parsed.token_at(trig.start, trig.end)
        if tt is not None:
            tv = governor(tt)
            f.append(f"tgov={tv.lemma_.lower()}")
            f += [f"tgov_{m}" for m in clause_marks(tv)]
            if head is not None:
                f.append("trig_governs" if governor(head).i == tv.i else "trig_other_clause")
    return f


def _mentions_of(code: str, parsed: Parsed | None, actors: list) -> list:
    return [a for a in actors if a.actor.code == code or a.actor.country == code and a.actor.kind != "state"]


def prior_features(r: str, code: str, priors: "Priors | None") -> list[str]:
    """What the catalog knows of the item: the register's suppliers of its family (a Rafale comes
    from France, a T-90S from Russia) and where its named maker is. A prior, not a rule: second-hand
    and licensed transfers exist, and the model weighs it against what the sentence says."""
    if priors is None:
        return []
    f = []
    if priors.suppliers:
        if code == priors.suppliers[0]:
            f.append(f"{r}|cat_first")
        f.append(f"{r}|cat_listed" if code in priors.suppliers else f"{r}|cat_unlisted")
    if priors.maker_country and code == priors.maker_country:
        f.append(f"{r}|maker_country")
    return f


@dataclass(frozen=True)
class Priors:
    suppliers: tuple[str, ...]      # the register's suppliers of the family, most frequent first
    maker_country: str | None       # where the maker named with the item is based


def trigger_voice(c: Claim) -> str:
    """The side the claim's transfer verb makes its subject take, from the trigger lexicon ("sold": the
    supplier's, "bought": the recipient's): a subject or an object read with it generalises across verbs
    that the corpus has seen few times."""
    ev = c.evidence.get("stage")
    if ev is None:
        return "none"
    found = triggers.find(ev.quote)
    return found[0].voice if found else "none"


def role_features(role: str, code: str | None, c: Claim, parsed: Parsed | None, actors: list,
                  priors: Priors | None = None, voice: str | None = None) -> list[str]:
    """How the party `code` proposed for `role` attaches to the claim's clause.

    `voice`: the claim's `trigger_voice`, when the caller has it already (it is one per claim, the same for every
    party and role weighed)."""
    r = role[:3]
    if not code:
        return [f"{r}|none"]
    f = prior_features(r, code, priors)
    rule = c.supplier if role == "supplier" else c.recipient
    other = c.recipient if role == "supplier" else c.supplier
    f.append(f"{r}|rule" if code == rule else (f"{r}|rule_other_role" if code == other else f"{r}|new"))
    ms = _mentions_of(code, parsed, actors)
    if not ms:
        f.append(f"{r}|context")
        return f
    f.append(f"{r}|in_sentence")
    if parsed is None:
        return f
    eq = c.evidence.get("designation")
    head = parsed.token_at(eq.start, eq.end) if eq is not None and eq.start >= parsed.start else None
    gov = governor(head) if head is not None else None
    trig = c.evidence.get("stage")
    tv = None
    if trig is not None and trig.start >= parsed.start:
        tt = parsed.token_at(trig.start, trig.end)
        tv = governor(tt) if tt is not None else None
    passive = gov is not None and any(ch.dep_ in ("nsubjpass", "auxpass") for ch in gov.children)
    voice = voice or trigger_voice(c)
    for m in ms[:2]:
        tok = parsed.token_at(parsed.start + m.start, parsed.start + m.end)
        if tok is None:
            continue
        f.append(f"{r}|via={m.via}")
        f.append(f"{r}|dep={tok.dep_}")
        if gov is not None:
            p = path_to(tok, gov, 4)
            f.append(f"{r}|path={p or 'far'}")
            f.append(f"{r}|path={p or 'far'}|pass={passive}")
            f.append(f"{r}|path={p or 'far'}|gov={gov.lemma_.lower()}")
            f.append(f"{r}|{'before' if tok.i < gov.i else 'after'}")
            f.append(f"{r}|path={p or 'far'}|pass={passive}|voice={voice}")
            f.append(f"{r}|{'before' if tok.i < gov.i else 'after'}|voice={voice}")
        if head is not None and path_to(tok, head, 3):
            f.append(f"{r}|on_equipment={tok.dep_}")
        if tv is not None and gov is not None and tv.i != gov.i:
            p2 = path_to(tok, tv, 4)
            f.append(f"{r}|tpath={p2 or 'far'}")
        prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else "^"
        f.append(f"{r}|prev={prev}")
    return f
