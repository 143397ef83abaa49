"""Guard the extraction quality measured on real annotated articles, read in place from ../shared/eval.

The guarded figure is the **validation split** of the training corpus: articles that neither the
rules nor the learned decisions were developed or trained on (only its aggregate line is ever
read). The dev set, which the rules were written on, is guarded too, but it is a weak measure.
The floors are the figures recorded in README.md ("Extraction quality", 2026-12-02 and -03); raise them
when extraction improves, never lower them to make a change pass.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from armsledger.api import extract_paths
from armsledger.evaluate import evaluate, load_splits

SHARED = Path(os.environ.get("ARMSLEDGER_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DEV = SHARED / "eval" / "dev"
CORPUS = SHARED / "eval" / "train"
pytestmark = pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason=f"dev set not found at {DEV}")

# validation split (80 articles nobody reads): 2026-12-05, twenty-third session (the learned same-event decision also
# weighs two claims of one item, stage and parties that state two different dates, unless both are days, never
# two numbers; model retrained, threshold 0.1267 -> 0.1239): F1 0.606, qty 50/64, date 37/50, 10 (as many
# records matched, two claims fewer, one date more right; the same 0.606 under all three fold assignments, against
# 0.603, 0.603, 0.601 before).
# Twenty-second session (the calibration, and so the threshold,
# fitted on the out-of-fold claims of all three cross-validation fold assignments pooled instead of the first one's;
# model retrained, weights unchanged, threshold 0.1371 -> 0.1267): F1 0.603, qty 50/64, date 36/50, 9 (one record more
# matched, one claim more; over three fold assignments 0.603, 0.603, 0.601 against 0.598, 0.597, 0.600 before, with
# thresholds 0.1267, 0.1262, 0.1254 against 0.1371, 0.1187, 0.1365).
# Twenty-first session (the rules' pair of parties gives way to
# a pair the sentence names when the role model finds it more probable, decide.best_readings; a wheel configuration
# such as "4x4" is no count; model retrained): F1 0.598, qty 49/63, date 36/50, 9 (one record more matched, one claim
# fewer; over three cross-validation fold assignments 0.598, 0.597, 0.600 against 0.590, 0.584, 0.585 before).
# Nineteenth session, last (the lexicon's general verbs of
# giving and getting that were missing: "procurement of", "took over ... from", "were transported to", "lent / leased
# ... to" with words between, "contributed / allocated / committed ... to" as pledges; entry into service only where
# the force noun closes its phrase, never passive or through "by"; "scheduled / due for" only with a time or a
# delivery noun; model retrained): F1 0.590, qty 47/62, date 35/49, 9 (one record more matched, as many claims).
# Before it, the same session (entry into service in the trigger
# lexicon: "joined / entered" a fleet, navy, air force or army, "fielded", "took possession of", "introduced /
# incorporated / added ... into" a force; model retrained): F1 0.583, qty 46/61, date 35/49, 9 (one record more
# matched, 3 claims more; the same 35 dates right: the new match has a gold date the claim gets wrong or lacks, so the
# date ratio floor is 0.71 and the count of right dates is guarded as well). Before it, the same session ("scheduled
# for" a time, and "currently" passed over inside a verb group; model retrained): F1 0.583, qty 46/61, date 35/48, 9
# (one record more matched, one claim more; the same 46 quantities right: the new match is a record with a gold count
# that the claim does not state, so the ratio floor is 0.75 and the count of right quantities is guarded as well).
# Eighteenth session (a "to" that opens a transfer verb of
# the lexicon is the infinitive's, not a buyer's, but a name right after an infinitive of giving is its first object:
# roles._buyers_to; model retrained): F1 0.578, qty 46/60, date
# 35/48, 9 (one record more matched, 2 more claims; the same 46 quantities right, so the quantity floor is 0.76: the
# ratio fell only because the new match is a record whose count the sentence gives and the claim does not).
# Seventeenth session (the article-level fallback for a
# party the sentence leaves out puts last a state the article puts only on the other side, context.Context.sides;
# model retrained): F1 0.575, qty 46/59, date 35/47, 9 (one no-transfer article more than before, with 1 fewer claim
# and 1 more matched; on train 14 as before). 2026-12-04, sixteenth session (a bare category is not the model the
# article tells only between two other parties, merge.specify_generics; no claim different on any split): F1 0.567,
# qty 46/58, date 35/47, 8. Fifteenth session (an item judged by the transfer verb whose clause holds it,
# factuality.item_verb): F1 0.567, qty 46/58, date 35/47, 8. Fourteenth session (negation and
# plans across coordinated verbs, negative subjects, "yet to"): F1 0.565, the same.
# Thirteenth session (a decided transfer that the
# parse shows is not told as a fact is dropped: a plan, an approval, a stopped or negated transfer, a
# tentative deal, "is expected to buy", "were to be delivered", "if"; extract/factuality.py): F1 0.563,
# qty 46/58, date 35/47, 8.
# Twelfth session (the threshold where a claim is as
# likely right as half the best cross-validated F1, calibrated over the whole range; 0.1257 for 0.14): F1 0.545,
# qty 46/58, date 35/47, 11.
# Ninth session (counts and dates completed after the
# decision: the verb's own number, an order's whole, "the planes" counted as told before, yearless months of
# what is to come, the verb's own date, dates of listed items): F1 0.546, qty 45/57, date 35/47, 11.
# Measured 2026-12-02, sixth session ("be to" as a future, the name
# a relative clause hangs on as its subject, "to ship" as a verb): unchanged at F1 0.546, 45/57, 34/47, 11.
# Fifth session (bare "ship"/"vessel" as
# items, adverbs inside a verb group passed over, "the sale of" after a determiner, a counterpart named again
# keeps its role, a party before "order"/"purchase"/"exports", a signer's side read from the deal's purpose,
# "won a $3 billion contract", "leased ... from", "due to reach", and the threshold from the middle of the flat
# stretch of the cross-validated curve) at F1 0.546, qty 45/57, date 34/47, 11 claims on no-transfer articles
# (fourth session: 0.537,
# 41/55, 31/45, 11; third session: 0.518, 40/54, 30/44, 11; second: 0.515, 40/54, 30/44, 12; first: 0.492,
# 35/51, 29/43, 13; before secondary events, catalog priors, names merged before the parse and approvals left
# out: F1 0.463, 16)
VALIDATION_F1_FLOOR = 0.62  # 0.630 since the fortieth session (after the decision, a letter of intent is a plan: one wrong claim fewer), 0.628 since the thirty-ninth session (after the decision, an order framed by a delivery folds into the order told in full: one wrong claim fewer), 0.626 since the thirty-seventh session (a promise the model reads as a schedule is expected; same weights, threshold 0.1223; 0.615 was the floor before), 0.619 since the thirtieth session (a party's path read with its verb's side, who cancels an order its buyer; 0.619, 0.617, 0.615 under the three fold assignments against 0.613 before under all three), 0.613 since the twenty-eighth session (unchanged in the twenty-ninth, not one validation claim different; a whole is not one of its parts; 0.611, 0.611, 0.613 before under three fold assignments, now 0.613 under all three), 0.611 since the twenty-fourth session (0.606 before)
VALIDATION_QTY_FLOOR = 0.75   # of matched records with a gold quantity (52/67 = 0.776; 52/66 51/65, 50/64, 49/63, 48/62, 47/62, 46/61 and 46/60 before, see above)
VALIDATION_QTY_RIGHT = 52     # right quantities: a new match without a count lowers the ratio, never this (51 before the thirtieth session, 50 before the twenty-fourth session, 49 before the twenty-second)
VALIDATION_DATE_FLOOR = 0.71  # of matched records with a gold date (40/54 = 0.741; 39/52 38/51, 37/50, 36/50, 35/49 and 35/48 before, see above)
VALIDATION_DATE_RIGHT = 40    # right dates: a new match with a wrong date lowers the ratio, never this (39 before the thirty-seventh session, 38 before the thirtieth session, 37 before the twenty-fourth session, 36 before the twenty-third)
# 10 since the twenty-third session (9 before): the same-event decision that weighs pairs with two dates moved the
# threshold from 0.1267 to 0.1239, which keeps one claim more on one no-transfer article while folding two wrong
# claims (F1 0.603 -> 0.606, the same under three fold assignments); a trade, recorded in docs/extraction.md
VALIDATION_NEGATIVE_FP_CEILING = 10
# the issue's own measure counts articles, not claims: 5 of the validation split's 20 no-transfer articles hold a
# claim (twenty-fourth session, when `armsledger eval` began to print it; the target is at most 2)
VALIDATION_NEGATIVE_ARTICLES_CEILING = 5
# train split (what the model was fitted on) must not run away from validation: the sign of overfitting
# (train 0.666 against validation 0.630: a gap of 0.036, forty-first session, train two suppliers righted after the
# decision (a maker named with the item, a gerund's understood subject), no validation claim changed)
# (train 0.663 against validation 0.630: a gap of 0.033, fortieth session, train two claims righted by the signers'
# orientation, validation one wrong claim fewer)
# (train 0.659 against validation 0.628: a gap of 0.031, thirty-ninth session, validation one wrong claim fewer)
# (train 0.641 against validation 0.613: a gap of 0.028, twenty-ninth session, train up by hard-wrapped lines and the
# purpose of "a deal to buy"; train 0.639 against validation 0.613: a gap of 0.026, twenty-eighth session, train down by three records, one of them
# the scorer's record-by-record order; train 0.640 against validation 0.611: a gap of 0.029, twenty-sixth session, train up by the tense of event nouns after the
# decision, no validation claim changed; twenty-fourth session 0.636 against 0.611, 0.025; twenty-third session 0.634 against 0.606, 0.028; twenty-second session 0.633 against 0.603, 0.030; twenty-first session 0.637 against 0.598, 0.039; twentieth session 0.629 against 0.590, 0.039; nineteenth session 0.627 against 0.590, 0.037; eighteenth session 0.618 against 0.578, 0.040; seventeenth session 0.618 against 0.575, 0.043; sixteenth session 0.619 against 0.567, 0.052, though partly by train losing two matches by luck when a
# name and its bracketed abbreviation were folded; thirteenth session 0.059, twelfth session 0.075, sixth to eleventh sessions 0.076, fifth 0.071, fourth
# 0.062, third 0.073)
MAX_TRAIN_VALIDATION_GAP = 0.07
# dev (the rules were written on it; re-checked gold, 2026-12): F1 0.851, qty 65/71, date 68/77 (twenty-ninth session:
# five claims fewer, none matched; 0.848 from the twenty-fourth session; twenty-fourth session: unchanged; twenty-third session: one
# record and one claim more; twenty-second session: 0.847, 65/71, 68/76,
# unchanged; twenty-first session: one
# record more matched; twentieth: 0.840, 64/70, 68/76; nineteenth session: one
# claim more, not matched; eighteenth: 0.843; fifth session:
# 0.846, 64/70, 68/76; fourth
# session: 0.844, 62/68, 66/75; third
# session: 0.849, 64/70, 66/75; second session: 0.841, 65/71, 68/76; the same-event decision folds "10 Leopard
# 1A5 transferred" with "the first 10 of them were delivered on July 20", which the dev gold keeps as two
# deliveries).
# Quantity is scored on matched records only: secondary events match two more dev records whose count
# is another tranche's (65 right of 72, was 65 of 70), so the floor moved from 0.91 to 0.90.
DEV_F1_FLOOR = 0.83
QTY_FLOOR = 0.90
DATE_FLOOR = 0.88
NEGATIVE_FP_CEILING = 0


@pytest.fixture(scope="module")
def run():
    articles, preds = {}, []
    for article, claims in extract_paths([DEV / "articles"]):
        articles[article.id] = article
        preds.extend(claims)
    return articles, preds


@pytest.fixture(scope="module")
def corpus_preds():
    if not (CORPUS / "splits.json").exists():
        pytest.skip(f"training corpus not found at {CORPUS}")
    return [c.to_dict() for _a, claims in extract_paths([CORPUS / "articles"]) for c in claims]


def test_validation_split_scores_hold(corpus_preds):
    splits = load_splits(CORPUS)
    val = evaluate(CORPUS / "gold.jsonl", corpus_preds, CORPUS / "articles", only=splits["validation"])
    train = evaluate(CORPUS / "gold.jsonl", corpus_preds, CORPUS / "articles", only=splits["train"])
    print("validation", val.summary_line())
    print("train", train.summary_line())
    assert val.f1 >= VALIDATION_F1_FLOOR, val.summary_line()
    assert val.negative_fp <= VALIDATION_NEGATIVE_FP_CEILING, val.summary_line()
    assert val.negative_articles <= VALIDATION_NEGATIVE_ARTICLES_CEILING, val.negatives_line()
    assert val.qty_ok / val.qty_n >= VALIDATION_QTY_FLOOR, val.summary_line()
    assert val.qty_ok >= VALIDATION_QTY_RIGHT, val.summary_line()
    assert val.date_ok >= VALIDATION_DATE_RIGHT, val.summary_line()
    assert val.date_ok / val.date_n >= VALIDATION_DATE_FLOOR, val.summary_line()
    assert train.f1 - val.f1 <= MAX_TRAIN_VALIDATION_GAP, (train.summary_line(), val.summary_line())


def test_dev_set_scores_hold(run):
    _articles, preds = run
    report = evaluate(DEV / "gold.jsonl", [c.to_dict() for c in preds], DEV / "articles")
    print(report.summary_line())
    assert report.f1 >= DEV_F1_FLOOR, report.summary_line()
    assert report.qty_ok / report.qty_n >= QTY_FLOOR, report.summary_line()
    assert report.date_ok / report.date_n >= DATE_FLOOR, report.summary_line()
    assert report.negative_fp <= NEGATIVE_FP_CEILING, report.summary_line()


def test_every_evidence_quote_is_verbatim(run):
    articles, preds = run
    for c in preds:
        text = articles[c.article["id"]].text
        for field, ev in c.evidence.items():
            assert text[ev.start:ev.end] == ev.quote, (c.id, field)


def test_every_date_quote_backs_the_date_it_gives(run, corpus_preds):
    """The date's quote is the text the date was read from: a claim that took another mention's date
    (merge.dedupe) takes its quote too, and one without a date of its own quotes none. Dev and the
    train split only (a failure names the claim)."""
    train = set(load_splits(CORPUS)["train"])
    claims = [c.to_dict() for c in run[1]] + [c for c in corpus_preds if Path(c["article"]["path"]).stem in train]
    assert len(claims) > 500
    for c in claims:
        quote = (c["evidence"].get("date") or {}).get("quote")
        assert quote == c["date_text"], (c["id"], quote, c["date_text"], c["date"])


def test_every_decided_claim_has_a_confidence(run):
    _articles, preds = run
    transfers = [c for c in preds if c.kind == "transfer"]
    assert transfers
    assert all(c.confidence is not None and 0.0 <= c.confidence <= 1.0 for c in transfers)


def test_cli_eval_agrees_with_the_official_scorer(tmp_path):
    """`armsledger eval` and ../shared/eval/score.py print the same summary line."""
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("score.py not found")
    exe = [sys.executable, "-m", "armsledger.serve.cli"]
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w") as fh:
        subprocess.run(exe + ["extract", str(DEV / "articles"), "--format", "jsonl"], stdout=fh, check=True)
    ours = subprocess.run(exe + ["eval", str(DEV / "articles"), "--gold", str(DEV / "gold.jsonl")],
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    theirs = subprocess.run([sys.executable, str(scorer), str(DEV / "gold.jsonl"), str(pred), "--articles",
                             str(DEV / "articles")], capture_output=True, text=True, check=True).stdout.strip()
    assert ours == theirs.splitlines()[-1]


def test_cli_eval_reports_the_splits_of_a_corpus():
    """`armsledger eval CORPUS` scores validation then train, with causes, and refuses to list validation misses."""
    if not (CORPUS / "splits.json").exists():
        pytest.skip("training corpus not found")
    exe = [sys.executable, "-m", "armsledger.serve.cli"]
    out = subprocess.run(exe + ["eval", str(CORPUS)], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0].startswith("[validation] gold=169 ")
    assert any(line.startswith("[validation] misses by cause: stage ") for line in lines)
    assert any(line.startswith("[train] gold=733 ") for line in lines)
    refused = subprocess.run(exe + ["eval", str(CORPUS), "--verbose"], capture_output=True, text=True)
    assert refused.returncode == 2 and "validation" in refused.stderr
