"""Whether a decided transfer is told as a fact, read from the words that cover its verb in the parse.

"Peru is expected to buy 12 jets", "the sanctions aim to prevent deliveries of Su-35s to Iran", "signed a
preliminary deal to buy", "the contract has not yet been signed": each sentence has a transfer verb and
an item, and none reports a transfer (the guidelines leave out plans, negotiations, approvals and
agreements not yet concluded; a stopped transfer is only ever a denial). The rules look for such words in
a few words' window before the verb; the model weighs the verbs up to three levels above it. Neither
sees a cover that lies further off, or tells a word that covers the verb from one that merely stands near
it ("after talks, Peru signed a contract" is an order).

Here the cover is read off the dependency parse: from the claim's verb (or event noun) up through the
links that put a clause in another's scope (a complement, an object, a subject, an "of / for / on / at"
phrase, an infinitive on a noun, the deal "in" which the verb's own transaction is made), never through "and",
a relative clause, a participle on a noun or "after / before" (those tell facts of their own). Each word met
on the way, and each modifier of the words met ("a preliminary deal", "a possible sale"), is looked up by lemma
and part of speech in `data/factuality.jsonl`, whose classes say what the cover does; a negation,
"was / were to" and "if / whether / unless", "has / is yet to" (still to come: no delivery, though a schedule
may stand),
a negative subject ("no jets have been delivered"), a verb after "without", "instead of" or "rather than", what
nearly happened or would have ("nearly signed", "would have delivered") and a question are read off the
structure. A verb coordinated with
another and sharing its subject and auxiliary shares its negation or condition and the words above it
("has not sold or delivered", "plans to buy and operate"); one with a subject or auxiliary of its own, or
opened by "but", tells its own fact. Past a verb of saying, what is reported keeps its own truth
against a negation or a refusal ("refused to confirm that it sold"), though a plan to report it is still a
plan. Which classes rule out which stages is `RULES_OUT` below: a plan rules out an order but not a
schedule ("plans to take delivery of the last ships in 2025" is `expected`), and a denial is never ruled
out by a cover; only a negation of its own verb ("has not denied", "never cancelled") undoes it. An item is
also judged by the transfer verb whose clause holds it when the rules quoted a verb about another item: its
plans and negations cover it (`item_verb`), and a stage that verb does not tell is no claim of the item
(`_told_at_another_stage`: "four F-16 C/D jets arrived, while five F-16 jets will be delivered" gives no expected
C/Ds), unless the quoted verb refers back to the item. The step runs after the decision (decide.py), so the
model is trained on the rules' candidates as they are.
"""
from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from armsledger.datafiles import records
from armsledger.extract import triggers
from armsledger.extract.counts import head_noun, mention_count
from armsledger.extract.parse import Parsed, claim_token, claim_verb, governor, path_to
from armsledger.extract.stages import event_stage
from armsledger.models import Claim, Evidence

ENV_VAR = "ARMSLEDGER_FACTUALITY"

# the stages each class of cover rules out: the claim as decided is then not what the sentence tells
RULES_OUT: dict[str, frozenset[str]] = {
    "plan": frozenset({"ordered", "delivered", "pledged"}),
    "approval": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "prevent": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "tentative": frozenset({"ordered", "delivered", "pledged"}),
    "forecast": frozenset({"ordered", "pledged", "delivered"}),
    "negated": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "past_plan": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "conditional": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "counterfactual": frozenset({"ordered", "delivered", "pledged", "expected"}),
    "not_yet": frozenset({"ordered", "delivered", "pledged"}),
}
# the classes a word of the data file can have; the others are read off the parse's structure (a negation, also
# through a negative subject or "without", "were to be", "has yet to", "nearly" or "would have", a clause opened
# by "if", "whether" or "unless", a question)
WORD_CLASSES = ("plan", "approval", "prevent", "tentative", "frame", "forecast")
# the classes a word has only as a modifier of a deal noun ("a preliminary deal", "a framework agreement"): they mark
# the deal "tentative" and cover nothing by themselves
_MODIFIERS = ("tentative", "frame")
# the parts of speech a data-file line may be limited to ("set" covers as the verb of "is set to buy", not as
# the noun of "a set of radars"); a line without "pos" holds for all three
POS = ("VERB", "NOUN", "ADJ")
_COARSE = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN", "ADJ": "ADJ"}
_CONDITIONS = {"if", "whether", "unless"}

# links by which a word lies in the scope of its head: a complement clause ("plans to buy"), an object
# ("prevent deliveries"), a subject ("the sale was blocked"), a noun of a phrase (below), an open clause, an
# adjective's ("wants to be able to buy", "is ready to sell")
_CLIMB = {"xcomp", "ccomp", "dobj", "nsubj", "nsubjpass", "pobj", "pcomp", "compound", "attr", "oprd", "csubj",
          "csubjpass", "acomp"}
# prepositions whose object is what the head noun or verb is about ("talks on the purchase of", "a ban on
# exports of", "approval for the sale"); "after", "before", "since", "by" start facts of their own
_ABOUT = {"of", "for", "on", "over", "about", "to", "into", "regarding", "concerning", "at"}
# prepositions that put a verb under a deal: "under a preliminary agreement", "in a possible deal"
_UNDER_DEAL = {"under", "in", "through", "via"}
# verbs of planning only with a verb still to be done below them: "is looking to buy", "looking at buying"; not
# "looks like a good deal", "experts looked at the sale", "looks to have bought"
_PLAN_ONLY_AHEAD = {"look"}
# the verbs whose own transaction a deal "in" which they are done is: the deal is the sale
_DEALING = {"buy", "sell", "purchase", "acquire", "procure", "order"}
_DEAL_NOUNS = {"deal", "agreement", "contract", "accord", "arrangement", "pact", "sale", "purchase", "order",
               "acquisition", "transaction", "package"}
_NEGATIONS = {"not", "n't", "never", "no"}
# what nearly happened did not: "nearly signed", "almost bought"
_NEARLY = {"nearly", "almost"}
# a verb that only might have been, or nearly was: "could have signed", "nearly signed"
_HEDGES = {"could", "might", "may", "would", "should", "must"} | _NEARLY
# a subject that denies its verb: "no jets have been delivered", "none of the jets have arrived", "not a single
# jet", "neither country"
_NEGATIVE_SUBJECTS = {"none", "nothing", "neither", "nobody"}
_NEGATIVE_DETERMINERS = {"no", "not", "neither"}
# a negative subject that compares rather than denies: "no other country has received as many", "no fewer than 24"
_COMPARATIVES = {"other", "fewer", "less", "more", "than"}
# links through which a head's negation denies the word below: an infinitive ("did not agree to buy", "did not
# sign a deal to buy"), an object or a passive subject ("the contract has not been signed"); not a reported
# clause ("did not say how many it ordered"). A verb that only affects the transfer is read as denying it too
# ("the deliveries were not delayed": a known limit, rarer in the news than an unsigned contract)
_NEGATION_REACHES = {"xcomp", "advcl", "acl", "dobj", "nsubjpass"}
_MAX_STEPS = 8


def _paths() -> list[Any]:
    paths: list[Any] = [resources.files("armsledger") / "data" / "factuality.jsonl"]
    for p in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if p.strip():
            path = Path(p.strip()).expanduser()
            if not path.is_file():
                raise ValueError(f"{path}: no such factuality file (named in ${ENV_VAR})")
            paths.append(path)
    return paths


def lexicon() -> dict[tuple[str, str], str]:
    """(lemma, part of speech) → class, from the data file and a user's own ($ARMSLEDGER_FACTUALITY,
    `os.pathsep`-separated, as for the other data files; later lines win). Read again when the variable
    changes, as the gazetteer is."""
    return _lexicon(os.environ.get(ENV_VAR, ""))


@functools.lru_cache(maxsize=4)
def _lexicon(_env: str) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for path in _paths():
        for lineno, rec in records(path):
            if "_comment" in rec:
                continue
            cls, lemmas, pos = rec.get("class"), rec.get("lemmas"), rec.get("pos", list(POS))
            pos = [pos] if isinstance(pos, str) else pos
            if cls not in WORD_CLASSES or not isinstance(lemmas, list) or not lemmas \
                    or not all(isinstance(x, str) and x.strip() for x in lemmas):
                raise ValueError(f"{path}:{lineno}: needs a class ({', '.join(WORD_CLASSES)}) and a list of lemmas")
            if not isinstance(pos, list) or not pos or any(x not in POS for x in pos):
                raise ValueError(f"{path}:{lineno}: pos must be one of {', '.join(POS)} or a list of them")
            for lemma in lemmas:
                for p in pos:
                    out[(lemma.strip().lower(), p)] = cls
    return out


def _word_class(tok: Any, lex: dict[tuple[str, str], str]) -> str | None:
    """The word's class in the lexicon; a noun with none is a plan when its "of" phrase names one alone: "a letter
    of intent", "a memorandum of understanding", "an expression of interest" are documents of a plan, not a
    contract ("a letter of offer and acceptance", the contract of a US foreign military sale, names more)."""
    cls = lex.get((tok.lemma_.lower(), _COARSE.get(tok.pos_, tok.pos_)))
    if cls is None and tok.pos_ == "NOUN":
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ == "of" and any(
                    gc.dep_ == "pobj" and lex.get((gc.lemma_.lower(), "NOUN")) == "plan"
                    and not any(c.dep_ == "conj" for c in gc.children) for gc in ch.children):
                return "plan"
    return cls


def _negated(tok: Any, skip: Callable[[Any], bool] | None = None) -> bool:
    """A negation of the word itself, or of a verb through its subject ("no jets have been delivered");
    `skip`: words not to count (those inside a span the caller reads as one)."""
    for ch in tok.children:
        if skip is not None and skip(ch):
            continue
        if ch.dep_ == "neg" or (ch.dep_ in ("advmod", "det") and ch.lower_ in _NEGATIONS):
            return True
        if ch.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("VERB", "AUX") and _negative_subject(ch, tok):
            return True
    return False


def _negative_subject(subject: Any, verb: Any) -> bool:
    """"No jets", "none of the jets", "not a single jet", "neither country": a subject that denies its verb;
    not a comparison ("no other country has received as many jets as India", "no fewer than 24 jets")."""
    if subject.lower_ not in _NEGATIVE_SUBJECTS and not any(
            d.dep_ in ("det", "neg", "preconj") and d.lower_ in _NEGATIVE_DETERMINERS for d in subject.children):
        return False
    return not any(t.lower_ in _COMPARATIVES or (t.lower_ == "as" and t.dep_ in ("advmod", "prep"))
                   for t in verb.subtree)


def _not_yet(tok: Any) -> bool:
    """"has yet to deliver", "is yet to receive": what is still to come, not done (an order may stand)."""
    return tok.lemma_ in ("have", "be") and any(ch.dep_ == "advmod" and ch.lower_ == "yet" for ch in tok.children) \
        and any(ch.dep_ == "xcomp" and _infinitive(ch) for ch in tok.children)


def _shares_clause(conj: Any) -> bool:
    """Whether a coordinated word lies under its first conjunct's cover: a verb of the same form with no
    subject, auxiliary or negation of its own ("has not sold or delivered", "plans to buy and operate"), or a
    noun ("talks on the sale and delivery of"); never one opened by "but" or "yet". A verb of another form tells
    a fact of its own: "did not disclose the price and received 24 jets", "plans to buy more and received the
    first four"."""
    if conj.pos_ in ("VERB", "AUX"):
        if any(ch.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") for ch in conj.children):
            return False
        if conj.head.pos_ in ("VERB", "AUX") and conj.tag_ != conj.head.tag_:
            return False
    return not any(ch.dep_ == "cc" and ch.lower_ in ("but", "yet") for ch in conj.head.children)


def _shared_marks(first: Any, lex: dict[tuple[str, str], str], reported: bool) -> set[str]:
    """What a first conjunct's modifiers say of the word coordinated with it: a condition always; a negation
    or "yet to" only across "or" / "nor" ("has not sold or delivered"), since "never leased the jets, and
    bought" tells two facts; nothing of a negation past a verb of saying (as on the main path)."""
    marks = _own_marks(first, lex) & {"negated", "conditional", "not_yet"}
    if reported or not any(ch.dep_ == "cc" and ch.lower_ in ("or", "nor") for ch in first.children):
        marks -= {"negated", "not_yet"}
    return marks


def _tentative(noun: Any, lex: dict[tuple[str, str], str], classes: tuple[str, ...] = _MODIFIERS) -> bool:
    """A modifier that makes a noun's deal not yet concluded ("a preliminary deal", "the possible sale") or not the
    contract itself ("a framework agreement": `classes` leaves "frame" out where that does not count)."""
    return any(ch.dep_ in ("amod", "compound", "advmod") and _word_class(ch, lex) in classes
               for ch in noun.children)


def _own_marks(tok: Any, lex: dict[tuple[str, str], str]) -> set[str]:
    """What a word's own modifiers say: a negation, a condition, a tentative adjective ("a possible sale");
    for a verb, also what its object says of the deal ("signed a preliminary deal", "launched a tender to
    buy")."""
    found = set()
    if _not_yet(tok):
        found.add("not_yet")
    if _tentative(tok, lex):
        found.add("tentative")
    if _negated(tok):
        found.add("negated")
    if _counterfactual(tok):
        found.add("counterfactual")
    if _excluded(tok):
        found.add("negated")
    for ch in tok.children:
        if ch.dep_ == "mark" and ch.lower_ in _CONDITIONS:
            found.add("conditional")  # "if Peru buys the jets", "asked whether it had received them"
        elif ch.dep_ == "prep" and ch.lower_ in _UNDER_DEAL and tok.pos_ in ("VERB", "AUX"):
            # "under a preliminary agreement, Spain will sell", "in a possible deal worth": the deal the
            # verb is done under is not concluded, so neither is the verb; not "in a possible signal to
            # Beijing" (no deal), nor a verb that concludes a contract of its own under it ("under a
            # preliminary deal, Chile signed a firm contract"); a framework agreement is not concluded as a
            # contract, but what is ordered or delivered under it is ("under the framework agreement, Poland
            # ordered 152 K9 howitzers")
            if any(gc.dep_ == "pobj" and gc.lemma_.lower() in _DEAL_NOUNS and _tentative(gc, lex, ("tentative",))
                   for gc in ch.children) and not _own_contract(tok, lex):
                found.add("tentative")
        elif ch.dep_ in ("dobj", "nsubjpass") and tok.pos_ in ("VERB", "AUX"):
            if _tentative(ch, lex):
                found.add("tentative")
            cls = _word_class(ch, lex)
            if cls is not None and cls not in _MODIFIERS:
                found.add(cls)
    return found


def _counterfactual(tok: Any) -> bool:
    """"nearly signed", "almost bought", "would have delivered": what came close to happening, or would have
    happened, did not."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    words = {ch.lower_ for ch in tok.children if ch.dep_ in ("aux", "advmod")}
    return bool(words & _NEARLY) or (tok.tag_ == "VBN" and {"would", "have"} <= words)


def _excluded(tok: Any) -> bool:
    """"without buying", "instead of buying", "rather than buying": the verb names what was not done."""
    if tok.dep_ != "pcomp":
        return False
    prep = tok.head
    return prep.lower_ == "without" or (prep.lower_ in ("of", "than") and (
        prep.head.lower_ in ("instead", "rather") or any(ch.lower_ in ("instead", "rather") for ch in prep.children)))


def _own_contract(verb: Any, lex: dict[tuple[str, str], str]) -> bool:
    """The verb's object is a deal of its own that nothing makes tentative ("signed a firm contract")."""
    return any(ch.dep_ == "dobj" and ch.lemma_.lower() in _DEAL_NOUNS and not _tentative(ch, lex)
               for ch in verb.children)


def _content_clause(tok: Any) -> bool:
    """A clause that says what its noun is ("the possibility that Chile will receive", "hopes that Peru
    would buy"): opened by "that" as a conjunction, not as a relative pronoun standing for the noun
    ("the jets that Peru received", where "that" is the verb's object)."""
    return tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN") and any(
        ch.dep_ == "mark" and ch.lower_ == "that" for ch in tok.children)


def _past_tense(tok: Any) -> bool:
    """A finite verb in the past: "received", "has received", "had delivered" (not "was to be delivered")."""
    if tok.tag_ == "VBD" and not _infinitive(tok):
        return True
    return tok.tag_ == "VBN" and any(ch.dep_ == "aux" and ch.lemma_ == "have" for ch in tok.children)


def _infinitive(tok: Any) -> bool:
    """"to buy": an open clause whose time and truth are its head's."""
    return any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children)


def _past_plan(verb: Any, head: Any) -> bool:
    """"were to be delivered", "was to buy": a plan told in the past, which says nothing of what came of it."""
    return head.lemma_ == "be" and head.tag_ == "VBD" and _infinitive(verb)


def covers(tok: Any) -> set[str]:
    """The classes of the words whose scope holds `tok` (a verb or an event noun), itself included."""
    lex = lexicon()
    found = _own_marks(tok, lex)
    cur = tok
    reported = False  # past a verb of saying: "refused to confirm that it sold" still tells a sale
    # a clause in the past tense tells what happened: a forecast its clause hangs on ("Poland received the first
    # tanks on Tuesday; the rest are expected by 2025", which the parser may attach under "expected") is of
    # something else
    told_past = _past_tense(tok)
    came = tok  # the word the walk last climbed from, below `cur`
    for _ in range(_MAX_STEPS):
        head = cur.head
        if head.i == cur.i:
            break
        dep = cur.dep_
        if dep == "conj":
            if not _shares_clause(cur):
                break
            # the first conjunct's negation or condition holds for both; its own word and object do not
            # ("cancelled the order for X and bought Y")
            cur = head
            found |= _shared_marks(cur, lex, reported)
            continue
        deal_step = dep == "prep" and _deal_of_verb(cur, tok)  # the deal is the verb's: its cover, its negation
        if dep == "prep":
            if cur.lower_ not in _ABOUT and not deal_step:
                break
            if cur.lower_ == "at" and came.tag_ != "VBG":
                break  # "looking at buying", "aimed at acquiring"; not "at the handover of", "at a ceremony"
        elif dep in ("acl", "advcl", "relcl"):
            # "a deal to buy", "launched a tender to buy" are in their head's scope, and so is a noun's
            # content clause ("the possibility that Chile will receive"); "the jets delivered last year",
            # "the jets that Peru received" and "after it signed" are facts of their own
            if not (_infinitive(cur) and dep != "relcl") and not _content_clause(cur):
                break
        elif dep not in _CLIMB:
            break
        elif dep == "csubjpass" and cur.tag_ != "VBG":
            break  # "Selling tanks to Riyadh was banned"; not "That France sold 24 jets in 2015 was opposed" (a fact)
        if dep == "xcomp" and _past_plan(cur, head):
            found.add("past_plan")
        reported = reported or dep == "ccomp"
        ahead = _verb_ahead(cur, came, dep)
        came, cur = cur, head
        cls = _word_class(cur, lex)
        if cur.lemma_.lower() in _PLAN_ONLY_AHEAD and not ahead:
            cls = None  # "looks like", "looked at the sale", "looks to have bought": no plan
        if cls == "prevent" and _negated(cur):
            break  # "has not stopped buying", "did not block the sale": the transfer stands
        marks = _own_marks(cur, lex)
        if (dep not in _NEGATION_REACHES and not deal_step) or reported:
            marks.discard("negated")
            marks.discard("not_yet")
        if reported:
            # what the speaker reports stands whether or not the report is refused or denied ("refused to
            # confirm that it sold", "did not say how many it ordered"); a plan to report it is still a plan
            # ("plans to announce that it will send")
            marks.discard("prevent")
            if cls == "prevent":
                cls = None
        if cls == "forecast" and told_past and dep == "ccomp":
            cls = None
        if cls is not None and cls not in _MODIFIERS:
            found.add(cls)
        found |= marks
    if cur.dep_ == "ROOT" and _asks(cur):
        found.add("conditional")  # "Will India buy the jets?": a question asks, it does not tell
    return found


def _verb_ahead(cur: Any, came: Any, dep: str) -> bool:
    """Whether the step up from `cur` leaves a verb still to be done: an infinitive complement ("looking to buy";
    not "looks to have bought") or a gerund after a preposition ("looking at buying")."""
    if dep == "xcomp":
        return cur.tag_ == "VB" and not any(a.dep_ == "aux" and a.lower_ == "have" for a in cur.children)
    return dep == "prep" and came.tag_ == "VBG"


def _deal_of_verb(prep: Any, tok: Any) -> bool:
    """The claim is told by a deal noun that names the verb's own transaction ("planning to sell 42 missiles
    in a deal worth $130 million"): the deal shares the verb's cover. Only "in", only under a verb of buying
    or selling (a planned delivery "in a deal worth ..." is under a deal already made), and only a deal whose
    phrase has no verb of its own ("in a deal worth $2 billion signed in 2019" tells a deal made)."""
    return (prep.lower_ == "in" and tok.lemma_.lower() in _DEAL_NOUNS and tok.head.i == prep.i
            and prep.head.lemma_.lower() in _DEALING
            and not any(t.pos_ in ("VERB", "AUX") for t in tok.subtree if t.i != tok.i))


def _asks(root: Any) -> bool:
    """Whether the sentence's main clause is itself a question: it ends at a "?", is inverted ("Has Ukraine
    received", "Will India buy") and opens the sentence, or is opened by a wh-word ("How many ... has"); not a
    statement followed by one ("India bought X, but will it ...?", "..., hasn't it?", "X buys Y: a good deal?")."""
    if not root.doc.text.rstrip().rstrip('"\u201d\'').endswith("?"):
        return False
    kids = list(root.children)
    subject = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not any(c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in kids):
        return False
    first = next((w for w in root.doc if not w.is_punct), None)
    if first is None or not ((first.head.i == root.i and first.dep_ in ("aux", "auxpass"))
                             or first.tag_ in ("WDT", "WP", "WRB", "WP$")):
        return False
    return not any(c.i > root.i and c.dep_ in ("conj", "parataxis", "ccomp")
                   and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children) for c in kids)


# covers that tell whether the words below them are meant at all, not when they happen: a claim the model moved
# from the rules' promise to a schedule (decide._future_stage) is judged by its rules' stage too, since "hopes they
# will be donated" is no promise, whichever stage the model then prefers
_INTENT = ("plan", "tentative")


def ruled_out(claim: Claim, classes: Iterable[str]) -> bool:
    """Whether any class of cover rules out the claim's stage (or, under an intention, the rules' stage the model
    moved it from)."""
    rule = claim.notes.get("stage_rule")
    return any(claim.stage in RULES_OUT.get(c, ()) or (c in _INTENT and rule in RULES_OUT[c]) for c in classes)


def claim_covers(claim: Claim, parsed: dict[int, Parsed]) -> set[str] | None:
    """The covers of a claim's verb, or None when its sentence was not parsed or its verb not found."""
    tok = claim_verb(claim, parsed)
    return None if tok is None else covers(tok)


# a claim's sentence evidence, its verb's and its item's tokens, and each transfer trigger of the sentence with
# the head token of its words in the parse
_Reading = tuple[Evidence, Any, Any, list[tuple[triggers.Trigger, Any]]]


def _read(claim: Claim, parsed: dict[int, Parsed]) -> _Reading | None:
    """What `fact_beside` and `item_verb` read of a claim's sentence, once; None when any of it is missing (the
    item told in another sentence, the sentence not parsed)."""
    ev = claim.evidence.get("sentence")
    own = claim_verb(claim, parsed)
    item = claim_token(claim, parsed, "designation")
    p = parsed.get(ev.start) if ev is not None else None
    if ev is None or own is None or item is None or p is None:
        return None
    trigs = [(t, p.token_at(ev.start + t.start, ev.start + t.end)) for t in triggers.find(ev.quote)]
    return ev, own, item, [(t, tok) for t, tok in trigs if tok is not None]


def fact_beside(claim: Claim, read: _Reading) -> Evidence | None:
    """Another transfer verb of the claim's stage, in its sentence, coordinated with a word whose scope holds
    the claim's own verb and told as a fact: "was determined to buy the jets and signed a contract for 20",
    where the rules quoted "to buy". Its evidence, or None.

    The verb must tell the same transfer: it has no subject of its own ("Malaysia wanted to buy the jets and
    Indonesia ordered 18"), no modal or "nearly" ("could have signed"), is no future, and its clause names the
    claim's item again, or "them" / "it", and no other item ("failed to buy Patriot systems and signed a contract
    for 20 F-16 jets" tells no Patriot order)."""
    ev, own, item, trigs = read
    chain = {own.i} | {a.i for a in own.ancestors}
    for t, tok in trigs:
        if t.stage != claim.stage or t.future:
            continue
        if tok.i in chain or tok.dep_ != "conj" or tok.head.i not in chain or not _same_transfer(tok, item):
            continue
        if not ruled_out(claim, covers(tok)):
            return Evidence(ev.start + t.start, ev.start + t.end, t.text)
    return None


def _same_transfer(verb: Any, item: Any) -> bool:
    """Whether a coordinated verb goes on with its first conjunct's transfer (see `fact_beside`)."""
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass") or (ch.dep_ in ("aux", "advmod") and ch.lower_ in _HEDGES):
            return False
    words = list(verb.subtree)
    if _names_other_item(words, item):
        return False
    return any(w.text == item.text or (w.tag_ == "PRP" and w.lower_ in ("them", "it")) for w in words)


def _names_other_item(words: Iterable[Any], item: Any) -> bool:
    """Whether the words name an item other than the claim's (the catalog's mentions are the parse's EQUIPMENT
    entities): the test `fact_beside` and `item_verb` share for a clause that tells of another item."""
    return any(w.ent_type_ == "EQUIPMENT" and w.text != item.text for w in words)


def _holds(verb: Any, tok: Any) -> bool:
    """Whether `verb` governs `tok` within its own clause: the walk up from `tok` stops at a verb coordinated with
    another ("signed a contract for X and wants to buy Y": "signed" does not hold Y), not at coordinated nouns."""
    cur = tok
    for _ in range(_MAX_STEPS):
        if cur.head.i == cur.i or (cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX")):
            return False
        cur = cur.head
        if cur.i == verb.i:
            return True
    return False


def item_verb(read: _Reading) -> Any | None:
    """The transfer verb whose clause holds the claim's item, when it is not the verb the rules quoted: in "India
    wants to buy Rafale jets and signed a contract for Scorpene submarines" the Rafales are what "buy" is about,
    though the rules quote "signed a contract" for both items. None when the quoted verb holds any mention of the
    item ("wants to buy more Rafale jets after it received 36 Rafale jets"), when its clause names no other item,
    or when no other transfer verb holds the item."""
    _ev, own, item, trigs = read
    if any(w.text == item.text and (w.i == own.i or _holds(own, w)) for w in item.doc):
        return None
    if not _names_other_item(list(own.subtree) + _antecedent(own), item):
        return None  # the quoted verb tells of no other item: it may well be this one's ("a batch of 36 it agreed to buy")
    best = None
    for _t, tok in trigs:
        if tok.i != own.i and _holds(tok, item) and (best is None or _holds(best, tok)):
            best = tok  # the nearest above the item
    return best


def _told_at_another_stage(c: Claim, read: _Reading, verb: Any) -> bool:
    """The transfer verb whose clause holds the claim's item (`item_verb`) tells another stage than the verb the
    rules quoted, which is about another item: "Four F-16 C/D jets arrived in May, while five F-16 jets will be
    delivered in August" gives no expected delivery of the C/Ds; "Peru agreed to buy four KT-1 trainers after it
    received 10 Mi-35 helicopters" no delivery of the trainers. The item's own verb tells its stage; the claim made
    from that verb, if the decision kept one, stands for it. Not when a clause on the item's own noun tells the
    claim's stage ("the F-16 jets it had bought in 2018"), nor when the quoted verb also refers back to the item
    (`_refers_back`): then it tells both."""
    ev, own, item, trigs = read
    told = {event_stage(t, ev.quote) for t, tok in trigs if tok.i == verb.i}
    # a clause on the item's own noun tells of it too: "received the last of the F-16 jets it had bought in 2018"
    on_noun = {ch.i for ch in head_noun(item).children if ch.dep_ in ("relcl", "acl")}
    also = {event_stage(t, ev.quote) for t, tok in trigs if tok.i in on_noun}
    return bool(told) and c.stage not in (told | also) and not _refers_back(own, verb, item)


def _clause_item_verb(read: _Reading, quantity: int | None = None) -> Any | None:
    """The transfer verb of the clause that holds the claim's item, when it is not the quoted verb and the quoted
    verb's own clause (not the clauses below it) names another item and not this one: "Pakistan ordered 36 J-10
    jets while it received eight F-16 jets" (the F-16s are what "received" tells, though "ordered" holds the
    while-clause, which `item_verb` walks through). A mention of the item's type under the quoted verb is the
    item again unless it is counted with another number than the claim's (`quantity`). None otherwise."""
    ev, own, item, trigs = read
    quoted = {tok.i for _t, tok in trigs}
    g = trigger_clause(item, quoted)
    if g.i == own.i or g.i not in quoted:
        return None
    here = [w for w in item.doc if trigger_clause(w, quoted).i == own.i]
    again = [w for w in here if w.text == item.text and mention_count(w) in (None, quantity)]
    other = [w for w in here if w.ent_type_ == "EQUIPMENT" and (w.text != item.text or mention_count(w) not in (None, quantity))]
    if again or not other:
        return None  # the quoted verb's own clause names the item again, or no other item (nor another batch of it)
    return g


def trigger_clause(tok: Any, quoted: set[int]) -> Any:
    """The verb of the clause a word belongs to, as a trigger quotes it: "is expected to deliver 18 tanks" and "is
    due to deliver" hang the tanks on "deliver", while the trigger's head word is "expected" or "is"; the walk climbs
    from an open complement to the verb it completes until it reaches a quoted verb."""
    g = governor(tok)
    while g.dep_ in ("xcomp", "acomp") and g.i not in quoted and g.head.i != g.i:
        g = governor(g.head)
    return g


_BACK = {"them", "it", "they", "which", "that", "these", "those", "both"}
_RELATIVE = {"which", "that", "who", "whom"}


def _antecedent(verb: Any) -> list[Any]:
    """The noun phrase a relative clause or a participle hangs on, without what follows its noun ("24 K2 tanks" of
    "24 K2 tanks, which it bought from South Korea, and 12 HIMARS launchers"): what the clause is about, though its
    own words do not name it. Empty for any other verb."""
    if verb.dep_ not in ("relcl", "acl"):
        return []
    noun = verb.head
    return [w for ch in noun.lefts for w in ch.subtree] + [noun]


def _refers_back(own: Any, verb: Any, item: Any) -> bool:
    """Whether the quoted verb's clause, though it names another item, is also about the item its neighbour verb
    holds: a pronoun as its object or passive subject ("signed a contract for them and three frigates", "which it
    had bought together with missiles"), a relative clause on the item's own noun ("eight F-16 jets ..., jets it had
    ordered in 2014"), a bare participle with no subject of its own ("ordered in 2021 along with missiles"), or a
    word that is no verb and hangs on the item's own verb ("received the helicopters under a deal that also covered
    trainers": the deal frames the delivery)."""
    if any(ch.lower_ in _BACK and ch.dep_ in ("dobj", "pobj", "nsubjpass") and not _relative_elsewhere(ch, own, item)
           for ch in own.subtree if governor(ch).i == own.i):
        return True
    if own.dep_ in ("relcl", "acl") and own.head.lemma_.lower() == head_noun(item).lemma_.lower():
        return True
    if own.tag_ == "VBN" and not any(ch.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for ch in own.children) \
            and not _on_other_item(own, item):
        return True
    return own.pos_ not in ("VERB", "AUX") and any(a.i == verb.i for a in own.ancestors)


def _relative_elsewhere(pronoun: Any, own: Any, item: Any) -> bool:
    """A relative pronoun of a clause on another item's noun: its "which" is that item ("24 K2 tanks, which it
    bought, and 12 HIMARS launchers": "which" is the tanks, not the launchers). A clause on a noun that names no
    item (a party: the parse may hang "which it had bought" on "from France") may still be the item's."""
    return pronoun.lower_ in _RELATIVE and _on_other_item(own, item)


def _on_other_item(own: Any, item: Any) -> bool:
    """Whether a relative clause or a participle hangs on another item's noun, and so tells of that item only: "24
    K2 tanks bought from South Korea and 12 HIMARS launchers". Not when it may also tell of a mention of the claim's
    item (`_may_tell_of`): "received 24 K2 tanks and 48 K9 howitzers, which it bought from South Korea" may tell of
    both."""
    if own.dep_ not in ("relcl", "acl") or own.head.lemma_.lower() == head_noun(item).lemma_.lower():
        return False
    if not _names_other_item(_antecedent(own), item):
        return False
    return not any(_may_tell_of(own.head, head_noun(w)) for w in item.doc if w.text == item.text)


def _may_tell_of(noun: Any, mine: Any) -> bool:
    """Whether a clause on `noun` may tell of the item whose noun is `mine`. Not when it comes before the item. It does
    when `noun` lies in the item's own phrase ("the last of the four ships purchased in 2019"). A clause after a list
    may tell of every item of it, whatever the parse makes of the list, unless a "from" between the item and `noun`
    gives the item a supplier of its own ("12 HIMARS launchers from the United States and 24 K2 tanks, which it
    bought from South Korea")."""
    if noun.i < mine.i:
        return False
    if any(a.i == mine.i for a in noun.ancestors) and "conj" not in path_to(noun, mine, len(noun.doc)).split("<"):
        return True
    return not any(w.lower_ == "from" for w in mine.doc[mine.i + 1:noun.i])  # wherever the parse hangs the "from"


def _denial_negated(c: Claim, parsed: dict[int, Parsed]) -> bool:
    """A denial, cancellation or refusal that is itself negated ("has not denied that it supplied", "never
    cancelled the order") denies nothing: no `denied` record (what it leaves standing is read as any other
    claim of the sentence), nor does one of "neither ... nor" ("neither confirmed nor denied that it supplied").
    A negation inside the denial's own words is what makes them a denial ("never supplied", "did not supply",
    "no engagement"): only one outside them undoes it."""
    verb = claim_verb(c, parsed)
    told = c.evidence.get("stage")
    if verb is None or told is None:
        return False
    base = parsed[c.evidence["sentence"].start].start
    if _negated(verb, skip=lambda ch: told.start <= base + ch.idx < told.end):
        return True
    if any(ch.dep_ == "preconj" and ch.lower_ == "neither" for ch in verb.children):
        return True
    return verb.dep_ == "conj" and any(ch.lower_ == "nor" and ch.i < verb.i for ch in verb.head.children)


def drop_non_facts(claims: list[Claim], parsed: dict[int, Parsed]) -> list[Claim]:
    """The claims less the transfers the parse shows are not told as facts (see the module's docstring). A
    claim whose own verb is covered stands when a verb of its stage coordinated with the cover tells it as a
    fact (`fact_beside`); that verb then becomes its stage evidence."""
    out = []
    for c in claims:
        if c.kind == "transfer" and c.stage == "denied" and _denial_negated(c, parsed):
            continue
        if c.kind == "transfer":
            found = claim_covers(c, parsed)
            read = _read(c, parsed)
            verb = item_verb(read) if read is not None else None
            if verb is not None:
                if _told_at_another_stage(c, read, verb):
                    continue
                found = (found or set()) | covers(verb)
            elif read is not None:
                below = _clause_item_verb(read, c.quantity)
                if below is not None and _told_at_another_stage(c, read, below):
                    continue
            if found and ruled_out(c, found):
                beside = fact_beside(c, read) if read is not None else None
                if beside is None:
                    continue
                c.evidence["stage"] = beside
        out.append(c)
    return out
