"""Learned decisions over candidate claims: is it a reported transfer, at which stage, between whom.

The rule components (triggers, catalog, gazetteer, dates, quantities) propose candidates:
one per equipment mention, with the rules' own guess at stage and parties. This module
re-decides each of them with a linear model trained on the annotated corpus
(``armsledger train``): every stage and every pair of parties named in the sentence (or
chosen by the rules from context) is scored, the best pair per stage is kept when its
probability clears the model's threshold, and that probability becomes the claim's
``confidence``. One event told twice in an article (a lead and a detail sentence) is then
folded into one claim.

The weights are a committed JSON data file (``data/models/decisions.json``): readable,
diffable, and reproduced exactly by the training command.
"""
from __future__ import annotations

import copy
import functools
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from armsledger.catalog import Catalog
from armsledger.extract import features as F
from armsledger.extract import carriers, clauses, counts, customers, dating, factuality, makers, repeats, sense, signers, tense, tranches
from armsledger.extract.parse import Entity, Parsed, parse_sentences
from armsledger.gazetteer import Gazetteer
from armsledger.models import Claim

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "decisions.json"
ENV_VAR = "ARMSLEDGER_MODEL"
MAX_PARTIES = 8


PARTS = ("stage", "supplier", "recipient", repeats.PART)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class Model:
    """Logistic regressions: the stage of a claim, each party's role, and whether two claims are one event.

    A reading (stage s, supplier x, recipient y) of a claim scores
    P(stage s) · P(x supplies) · P(y receives); it is kept when that clears `threshold`. Kept
    readings that repeat one another are folded by the `same` part (repeats.py).
    """
    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    calibration: list[float] = field(default_factory=lambda: [1.0, 0.0])  # Platt [a, b] (see train.py)

    def calibrated(self, p: float) -> float:
        """The confidence reported with a claim: the joint probability, recalibrated out of fold."""
        q = min(max(p, 1e-6), 1 - 1e-6)
        a, b = self.calibration
        return _sigmoid(a * math.log(q / (1 - q)) + b)

    def probability(self, part: str, feats: list[str]) -> float:
        w = self.weights[part]
        return _sigmoid(self.bias[part] + sum(w.get(f, 0.0) for f in feats))

    def to_json(self) -> dict:
        return {"meta": self.meta, "threshold": self.threshold, "calibration": self.calibration, "bias": self.bias,
                "weights": {k: dict(sorted(v.items())) for k, v in self.weights.items()}}

    @classmethod
    def from_json(cls, d: dict) -> "Model":
        return cls(weights=d["weights"], bias=d["bias"], threshold=d.get("threshold", 0.5), meta=d.get("meta", {}),
                   calibration=d.get("calibration", [1.0, 0.0]))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Model | None:
    p = Path(path)
    if not p.exists():
        return None
    with open(p, encoding="utf-8") as fh:
        return Model.from_json(json.load(fh))


def default_model() -> Model | None:
    """The committed model, or the one $ARMSLEDGER_MODEL names; None when there is none (rules only)."""
    return _load(os.environ.get(ENV_VAR) or str(MODEL_PATH))


@dataclass
class Readings:
    """What the model needs to re-decide one rule claim."""
    claim: int                             # index into the article's rule claims
    stage: dict[str, list[str]]            # stage → features
    supplier: dict[str, list[str]]         # party → features for the supplier role
    recipient: dict[str, list[str]]        # party → features for the recipient role
    # the parties the article itself names (the rules' own and the sentence's): only these can be
    # given a role; the catalog's supplier of a model is read as a prior, never taken as a party
    # (the guidelines: a supplier is never taken from outside knowledge of where a type is made)
    named: frozenset[str] = frozenset()
    # each party's state (a company's country; None for an armed group): a supplier and a recipient of one
    # state make domestic procurement, never a transfer (the guidelines, section 3)
    countries: dict[str, str | None] = field(default_factory=dict)

    def domestic(self, supplier: str | None, recipient: str | None) -> bool:
        a, b = self.countries.get(supplier or ""), self.countries.get(recipient or "")
        return a is not None and a == b


@dataclass
class Candidate:
    claim: int
    stage: str
    supplier: str
    recipient: str
    p: float = 0.0


def sentence_ranks(claims: list[Claim]) -> dict[int, int]:
    """Sentence start → its order among the article's claim sentences (the lead is 0)."""
    starts = sorted({c.evidence["sentence"].start for c in claims if "sentence" in c.evidence})
    return {s: i for i, s in enumerate(starts)}


def parse_claim_sentences(claims: list[Claim], actors: dict[int, list] | None = None) -> dict[int, Parsed]:
    """Parse each claim sentence once, with its gazetteer mentions (`actors`: sentence start → mentions)
    and its claims' equipment mentions as entities."""
    spans: dict[int, str] = {}
    ents: dict[int, set[Entity]] = {}
    for c in claims:
        ev = c.evidence.get("sentence")
        if ev is None:
            continue
        spans[ev.start] = ev.quote
        e = ents.setdefault(ev.start, set())
        eq = c.evidence.get("designation")
        if eq is not None and ev.start <= eq.start and eq.end <= ev.end:
            e.add((eq.start - ev.start, eq.end - ev.start, "EQUIPMENT"))
    for start, ms in (actors or {}).items():
        if start in ents:
            ents[start].update((m.start, m.end, "GPE" if m.actor.kind == "state" else "ORG") for m in ms)
    return parse_sentences(sorted(spans.items()), {s: sorted(e) for s, e in ents.items()})


def priors(c: Claim, gaz: Gazetteer, cat: Catalog) -> F.Priors:
    """The catalog's suppliers of the claim's family and its maker's country."""
    sups = tuple(cat.suppliers_of(c.family)) if c.family else ()
    maker = gaz.lookup(c.maker) if c.maker else None
    return F.Priors(sups, maker.country if maker is not None else None)


def sentences_read(claims: list[Claim], gaz: Gazetteer, mentions: dict[int, list] | None = None
                   ) -> tuple[dict[int, list], dict[int, Parsed]]:
    """Each transfer claim's sentence: its gazetteer mentions (`mentions`, as the rule path already found
    them; sentences missing from it are looked up here) and its parse, made once per sentence."""
    actor_cache: dict[int, list] = dict(mentions or {})
    for c in claims:
        ev = c.evidence.get("sentence")
        if c.kind == "transfer" and ev is not None and ev.start not in actor_cache:
            actor_cache[ev.start] = gaz.find(ev.quote)
    return actor_cache, parse_claim_sentences([c for c in claims if c.kind == "transfer"], actor_cache)


def _title(r: str, code: str, titled: set[str]) -> list[str]:
    """A role feature: the headline names the party ("Mali Takes Delivery of Two More Russian Combat
    Helicopters"). What an article is about is in its headline; a state named only in passing (the
    target of a strike, a rival buyer, the carrier) seldom is."""
    return [f"{r}|in_title"] if code in titled else []


def readings(claims: list[Claim], gazetteer: Gazetteer | None = None,
             mentions: dict[int, list] | None = None,
             read: tuple[dict[int, list], dict[int, Parsed]] | None = None) -> list[Readings]:
    """The features of every stage and every party of every transfer claim.

    `mentions`: sentence start → the gazetteer's mentions in it, as the rule path already found them;
    `read`: sentences_read's result, when the caller has it already."""
    gaz = gazetteer or Gazetteer.default()
    cat = Catalog.default()
    actor_cache, parsed = sentences_read(claims, gaz, mentions) if read is None else read
    ranks = sentence_ranks(claims)
    out: list[Readings] = []
    title_cache: dict[str, set] = {}
    for i, c in enumerate(claims):
        if c.kind != "transfer":
            continue
        ev = c.evidence.get("sentence")
        p = parsed.get(ev.start) if ev is not None else None
        actors = actor_cache.get(ev.start, []) if ev is not None else []
        clause = F.clause_features(c, p, ranks.get(ev.start, 3) if ev is not None else 3)
        pri = priors(c, gaz, cat)
        voice = F.trigger_voice(c)
        title = (c.article or {}).get("title") or ""
        if title not in title_cache:
            title_cache[title] = gaz.codes_in(title)
        titled = title_cache[title]
        parties: list[str] = []
        named = [x for x in [c.supplier, c.recipient] + [a.actor.code for a in actors] if x]
        for code in named + [x for x in (pri.maker_country, *pri.suppliers[:1]) if x]:
            if code not in parties:
                parties.append(code)
        parties = parties[:MAX_PARTIES]
        out.append(Readings(
            claim=i,
            stage={s: [f"{s}|{x}" for x in clause] + [f"stage={s}"] for s in F.STAGES},
            supplier={x: F.role_features("supplier", x, c, p, actors, pri, voice) + _title("sup", x, titled)
                      for x in parties},
            recipient={x: F.role_features("recipient", x, c, p, actors, pri, voice) + _title("rec", x, titled)
                       for x in parties},
            named=frozenset(named) & frozenset(parties),
            countries={x: gaz.state_of(x) for x in parties}))
    return out


def best_readings(rs: list[Readings], model: Model, claims: list[Claim], mode: str | None = None) -> list[Candidate]:
    """Scored readings of each claim.

    mode "all": every stage, each with the most probable pair of parties (the model re-decides
    stage and roles); mode "parties": the rules' stage with the most probable pair the sentence names;
    mode "rule": the rules' own stage, with the rules' own parties unless a pair of parties the sentence
    names is more probable (the model decides whether the claim stands, and which of the two readings of
    its roles to believe). Training picks the mode that cross-validates better.
    """
    mode = mode or model.meta.get("readings", "rule")
    out = []
    for r in rs:
        c = claims[r.claim]
        ps = {x: model.probability("supplier", f) for x, f in r.supplier.items()}
        pr = {x: model.probability("recipient", f) for x, f in r.recipient.items()}
        if mode == "rule":
            if c.supplier in ps and c.recipient in pr and c.stage in r.stage and not r.domestic(c.supplier, c.recipient):
                # the rules' pair, unless a pair the sentence names is more probable: the rules read roles off
                # word order and context, the model off the parse, and each is right where the other is not
                pair, sup, rec = max([(ps[c.supplier] * pr[c.recipient], c.supplier, c.recipient)]
                                     + _named_pairs(r, ps, pr), key=lambda t: t[0])
                stage = _future_stage(c, r, model, claims)
                out.append(Candidate(r.claim, stage, sup, rec, model.probability("stage", r.stage[stage]) * pair))
            continue
        pairs = _named_pairs(r, ps, pr)
        if not pairs:
            continue
        pp, sup, rec = max(pairs)
        if mode == "parties":
            if c.stage in r.stage:
                out.append(Candidate(r.claim, c.stage, sup, rec, model.probability("stage", r.stage[c.stage]) * pp))
            continue
        for s, f in r.stage.items():
            out.append(Candidate(r.claim, s, sup, rec, model.probability("stage", f) * pp))
    return out


def _future_stage(c: Claim, r: Readings, model: Model, claims: list[Claim]) -> str:
    """The rules' stage, except that a promise the model reads as a delivery on a schedule is one: "will
    supply" is a promise (pledged) or a delivery under a contract (expected), which the sentence often leaves
    to its context, and the rules read every such verb as a promise. Not where the sentence itself tells the
    item's schedule apart from the promise ("pledged to supply four Patriot systems, and they will arrive in
    September": two records, staged by the rules)."""
    if c.stage != "pledged" or any(d.kind == "transfer" and d.stage == "expected" and repeats.related(c, d)
                                   and repeats.sentence_gap(c, d) == "same" for d in claims):
        return c.stage
    better = model.probability("stage", r.stage["expected"]) > model.probability("stage", r.stage["pledged"])
    return "expected" if better else c.stage


def _named_pairs(r: Readings, ps: dict[str, float], pr: dict[str, float]) -> list[tuple[float, str, str]]:
    """Each pair of two different parties the sentence names (never of one state), with its probability."""
    return [(ps[x] * pr[y], x, y) for x in ps for y in pr
            if x != y and x in r.named and y in r.named and not r.domestic(x, y)]


def _with(c: Claim, cand: Candidate, calibrate: Callable[[float], float] | None = None) -> Claim:
    """The rule claim re-decided: the candidate's stage and parties, and its confidence."""
    d = copy.copy(c)
    d.evidence = dict(c.evidence)
    d.notes = dict(c.notes)
    d.terms = dict(c.terms)
    if cand.stage != c.stage:
        d.notes["stage_rule"] = c.stage
        d.stage = cand.stage
    if (cand.supplier, cand.recipient) != (c.supplier, c.recipient):
        d.notes["parties_rule"] = [c.supplier, c.recipient]
        for role, code in (("supplier", cand.supplier), ("recipient", cand.recipient)):
            if code != getattr(c, role):
                d.evidence.pop(role, None)
                setattr(d, role, code)
    d.confidence = round(calibrate(cand.p) if calibrate else cand.p, 3)
    return d


def same_event(model: Model | None) -> Callable[[Claim, Claim], float] | None:
    """The model's probability that a pair of claims is one event told twice (repeats.py), or None
    for a model trained without that decision."""
    if model is None or repeats.PART not in model.weights:
        return None
    return lambda a, b: model.probability(repeats.PART, repeats.pair_features(a, b))


def choose(claims: list[Claim], cands: list[Candidate], threshold: float,
           calibrate: Callable[[float], float] | None = None,
           same: Callable[[Claim, Claim], float] | None = None) -> list[Claim]:
    """The readings that clear the threshold, as claims; one event told twice folded into one
    (`same`: the pair decision, see repeats.fold)."""
    decided: list[Claim] = []
    copies: dict[int, Claim] = {}
    by_claim: dict[int, list[Candidate]] = {}
    for cand in cands:
        by_claim.setdefault(cand.claim, []).append(cand)
    for i, c in enumerate(claims):
        if c.kind != "transfer":
            decided.append(c)
            continue
        for cand in by_claim.get(i, []):
            if cand.p >= threshold:
                decided.append(_with(c, cand, calibrate))
                copies.setdefault(id(c), decided[-1])
    for d in decided:  # a denial points at the claim it denies: at that claim as decided, if it stands
        src = getattr(d, "_denies_obj", None)
        if src is not None:
            if id(src) in copies:
                d._denies_obj = copies[id(src)]  # type: ignore[attr-defined]
            else:
                del d._denies_obj  # type: ignore[attr-defined]
    return repeats.fold(decided, same)


def proposed(c: Claim) -> bool:
    """A candidate proposed for the model only (a secondary event), not one the rules chose."""
    return bool(c.notes.get("secondary"))


def decide(claims: list[Claim], model: Model | None = None, gazetteer: Gazetteer | None = None,
           threshold: float | None = None, mentions: dict[int, list] | None = None) -> list[Claim]:
    """Re-decide the rule candidates with the model; claims other than transfers pass through."""
    model = model if model is not None else default_model()
    if model is None:  # rules only: the candidates the rules did not choose themselves go
        return [c for c in claims if not proposed(c)]
    thr = model.threshold if threshold is None else threshold
    read = sentences_read(claims, gazetteer or Gazetteer.default(), mentions)
    decided = choose(claims, best_readings(readings(claims, gazetteer, mentions, read), model, claims), thr,
                     model.calibrated, same_event(model))
    counts.fill_counts(decided, read[1])  # after the decision: the model was trained on the rules' counts
    counts.fill_from_antecedent(decided, claims)
    counts.fill_singular(decided, read[1])
    dates = dating.sentence_dates(decided)  # and on the rules' dates
    decided = tense.restage_future_events(decided, read[1], dates)
    dating.fill_coming_months(decided, dates, read[1])
    dating.fill_clause_dates(decided, read[1], dates)
    dating.fill_listed_dates(decided, dates)
    decided = factuality.drop_non_facts(decided, read[1])
    decided = clauses.reread_subjects(decided, read)
    decided = signers.orient_signers(decided, read[0], gazetteer=gazetteer)
    decided = makers.maker_sells(decided, claims, read[0], gazetteer=gazetteer)
    decided = carriers.drop_carriers(decided, claims, read[1])
    decided = repeats.fold_abbreviations(decided)
    decided = repeats.fold_one_phrase(decided, read[1])
    decided = repeats.fold_framed_orders(decided)
    decided = customers.drop_customer_lists(decided)
    decided = sense.drop_non_transfers(decided, read[1])  # the model was trained on the rules' candidates, these among them
    return tranches.split(decided, read[1], dates, gazetteer)
