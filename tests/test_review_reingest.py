"""Reviews survive re-ingest and re-extraction; merges hold for later articles; exports of reviewed claims.
Each on both backends (``ledger_db``: an SQLite file, a PostgreSQL database; see conftest.py)."""
from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from armsledger.api import Ledger
from armsledger.extract import extract
from armsledger.serve.cli import app
from armsledger.resolve.reviews import match_reviews, signature

from _webutil import build_articles


def _ghana(led: Ledger):
    rows = led.ledger(recipient="GHA")
    assert len(rows) == 1
    return led.deal(rows[0]["id"])


def _find(led: Ledger, article_id: str, stage: str, designation: str | None = None):
    for c in led.store.claims(article=article_id):
        if c.stage == stage and (designation is None or c.designation == designation):
            return c
    raise AssertionError((article_id, stage))


def test_correction_survives_reingest_and_reextraction(tmp_path, ledger_db):
    arts = build_articles(tmp_path / "articles")
    led = Ledger(ledger_db)
    led.ingest([arts])
    deal = _ghana(led)
    delivered = sorted((c for c in deal.claims if c.stage == "delivered"), key=lambda c: c.id)
    ordered = sorted((c for c in deal.claims if c.stage == "ordered"), key=lambda c: c.id)
    fixed, dropped = delivered[0], ordered[0]
    aid = fixed.article["id"]
    rv = led.reviews
    rv.review(fixed.id, "correct", "ann", {"quantity": 3, "date": "2023-05-09"})
    rv.review(dropped.id, "reject", "ann")
    kept = delivered[1]
    rv.review(kept.id, "accept", "bob")
    before = led.ledger(recipient="GHA")[0]

    def check():
        c = _find(led, aid, "delivered")
        assert (c.quantity, c.date, c.granularity) == (3, "2023-05-09", "day")
        assert rv.review_of(c.id)["status"] == "corrected"
        # the machine's values of the corrected fields (granularity stayed "day": not a correction)
        assert rv.review_of(c.id)["machine"] == {"quantity": fixed.quantity, "date": fixed.date}
        assert dropped.id not in {x.id for x in led.store.claims(article=dropped.article["id"])}
        assert [x.id for x in rv.rejected(article_id=dropped.article["id"])] == [dropped.id]
        assert rv.review_of(kept.id)["status"] == "accepted"
        row = led.ledger(recipient="GHA")[0]
        # the same summary (designations listed in the order claims were stored: compare as sets)
        assert {**row, "designations": set(row["designations"])} == {**before,
                                                                     "designations": set(before["designations"])}

    check()
    report = led.ingest([arts])  # re-ingest: nothing changes
    assert report.added == 0 and report.skipped == 6
    check()
    out = led.reextract()  # the extractor runs again over every stored article
    assert out["articles"] == 6 and out["reviews_applied"] == 3
    check()

    # a "retrained" extractor: the same claims found in another order, with new ids, and one more claim
    article = led.store.article(aid)
    claims = extract(article)
    for c in claims:
        c.id = ""
    extra = extract(article)[0]
    extra.id = ""
    extra.stage, extra.designation, extra.quantity = "pledged", "Something Else", 1
    extra.evidence = {}
    new = [extra] + list(reversed(claims))
    assert rv.replace_claims(article, new) == 2  # the correction and the rejection of this article
    c = _find(led, aid, "delivered")
    assert (c.quantity, c.date) == (3, "2023-05-09")
    assert [x.stage for x in rv.rejected(article_id=aid)] == ["ordered"]
    assert "ordered" not in {x.stage for x in led.store.claims(article=aid)}
    assert not c.id.endswith("-0") or len(new) == 1  # a new id: the review followed the signature
    # the extractor also changed its mind about the designation: the sentence still finds the review
    claims = extract(article)
    for x in claims:
        x.id = ""
        if x.stage == "delivered":
            x.designation = "A-29 Super Tucano"
    rv.replace_claims(article, claims)
    c = _find(led, aid, "delivered")
    assert (c.quantity, c.date) == (3, "2023-05-09")


def test_signature_ignores_claim_ids(tmp_path, ledger_db):
    arts = build_articles(tmp_path / "a")
    led = Ledger(ledger_db)
    led.ingest([arts])
    c = led.store.claims(limit=1)[0]
    other = type(c).from_dict(c.to_dict())
    other.id = "something-else-7"
    assert signature(c)["key"] == signature(other)["key"]
    other.stage = "denied"
    assert signature(c)["key"] != signature(other)["key"]


def test_merge_holds_for_later_articles(tmp_path, ledger_db):
    arts = build_articles(tmp_path / "articles")
    led = Ledger(ledger_db)
    led.ingest([arts])
    rows = led.ledger(recipient="PHL")
    assert len(rows) == 2
    source, target = rows[0]["id"], rows[1]["id"]
    led.reviews.merge(source, target, "ann")
    assert [r["id"] for r in led.ledger(recipient="PHL")] == [target]
    # a new article reporting what the extractor files under the merged-away deal
    text = (arts / "05-asia-fa50.txt").read_text(encoding="utf-8") + "\n\nThe jets are built by KAI.\n"
    later = tmp_path / "later"
    later.mkdir()
    (later / "07-fa50-again.txt").write_text(text, encoding="utf-8")
    assert led.ingest([later]).added == 1
    assert [r["id"] for r in led.ledger(recipient="PHL")] == [target]
    led.reextract()
    assert [r["id"] for r in led.ledger(recipient="PHL")] == [target]
    assert led.deal(source) is None


def test_exports_of_reviewed_claims(tmp_path, ledger_db):
    arts = build_articles(tmp_path / "articles")
    db = ledger_db
    led = Ledger(db)
    led.ingest([arts])
    deal = _ghana(led)
    delivered = sorted((c for c in deal.claims if c.stage == "delivered"), key=lambda c: c.id)
    led.reviews.review(delivered[0].id, "accept", "ann")
    led.reviews.review(delivered[1].id, "correct", "ann", {"quantity": 4, "stage": "delivered"})
    led.store.close()
    runner = CliRunner()
    r = runner.invoke(app, ["export", "--format", "sipri", "--reviewed-only", "--db", str(db)])
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(r.output)))
    assert len(rows) == 2 and rows[1][0] == "Ghana" and rows[1][1] == "Brazil"
    full = runner.invoke(app, ["export", "--format", "sipri", "--db", str(db)])
    assert len(list(csv.reader(io.StringIO(full.output)))) > len(rows)
    r = runner.invoke(app, ["export", "--format", "training", "--db", str(db)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert len(lines) == 2
    keys = {"article", "supplier", "supplier_country", "recipient", "equipment", "category", "quantity", "stage",
            "date", "evidence"}
    for g in lines:
        assert keys <= set(g)
        assert g["article"] in ("01-northwind-tucano", "02-coastal-tucano")
        assert g["supplier"] == "BRA" and g["recipient"] == "GHA" and g["category"] == "aircraft"
        assert g["stage"] == "delivered" and g["evidence"]
        text = (arts / f"{g['article']}.txt").read_text(encoding="utf-8")
        assert g["evidence"] in " ".join(text.split())
    assert sorted(g["quantity"] for g in lines) in ([4, 5], [4, 4])


def _claim(cid: str, designation: str, stage: str, sent: tuple[int, int] = (0, 80)):
    from armsledger.models import Claim, Evidence
    return Claim(id=cid, article={"id": "a1"}, kind="transfer", designation=designation, stage=stage,
                 evidence={"sentence": Evidence(sent[0], sent[1], "x" * (sent[1] - sent[0]))})


def _review_of(c, key: str):
    return {"key": key, "sig": {k: v for k, v in signature(c).items() if k != "key"}}


def test_reviews_are_matched_from_the_strictest_signature_to_the_loosest():
    jets = _claim("a1-0", "FA-50", "ordered")
    tanks = _claim("a1-1", "K2", "ordered")
    r_jets, r_tanks = _review_of(jets, "r1"), _review_of(tanks, "r2")
    # re-extraction reads the jets as delivered now: the same sentence and designation still find them
    jets2 = _claim("a1-5", "FA-50", "delivered")
    tanks2 = _claim("a1-6", "K2", "ordered")
    out = match_reviews([r_jets, r_tanks], [jets2, tanks2])
    assert out == {"a1-5": r_jets, "a1-6": r_tanks}


def test_a_review_that_fits_two_claims_is_left_unmatched_rather_than_guessed():
    old = _claim("a1-0", "FA-50", "ordered")
    review = _review_of(old, "r1")
    # the new extraction has two other items in that sentence at that stage: which one was reviewed is unknown
    assert match_reviews([review], [_claim("a1-3", "K2", "ordered"), _claim("a1-4", "K9", "ordered")]) == {}
    # in another sentence, nothing matches at all
    assert match_reviews([review], [_claim("a1-3", "FA-50", "ordered", sent=(100, 180))]) == {}
