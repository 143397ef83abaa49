"""Sentence segmentation: offsets into the stored text, abbreviations, and hard-wrapped lines."""
from __future__ import annotations

from armsledger.extract import Extractor
from armsledger.extract.sentences import split
from armsledger.models import Article


def texts(t: str) -> list[str]:
    out = split(t)
    for s in out:
        assert t[s.start:s.end] == s.text
    return [s.text for s in out]


def test_sentences_end_at_end_punctuation_but_not_at_abbreviations():
    assert texts("The U.S. Army sent two jets. Gen. Smith said so. Next one?") == [
        "The U.S. Army sent two jets.", "Gen. Smith said so.", "Next one?"]


def test_a_line_of_its_own_is_a_sentence():
    # a headline or a list line ends at its line break, even without a full stop
    assert texts("Kenya Buys Jets\nKenya has bought six jets.\n- six jets\n- two radars") == [
        "Kenya Buys Jets", "Kenya has bought six jets.", "- six jets", "- two radars"]


def test_a_hard_wrapped_line_goes_on_in_the_next():
    t = ("Ghana took delivery of the two patrol boats and their\nspare parts on Monday. The Navy\n"
         "ordered four more from\nTurkey in 2022.\n\nA new paragraph.")
    out = split(t)
    assert [s.text.replace("\n", " ") for s in out] == [
        "Ghana took delivery of the two patrol boats and their spare parts on Monday.",
        "The Navy ordered four more from Turkey in 2022.", "A new paragraph."]


def test_a_wrapped_sentence_reads_as_one_transfer():
    # split at each line break, the buyer, the verb and the seller would sit in three sentences
    text = "The Ghana Navy\nhas received two\npatrol boats from\nTurkey, the ministry said."
    cs = [c for c in Extractor(decide=False).extract(Article(text=text, published="2023-05-12"))
          if c.kind == "transfer"]
    assert [(c.supplier, c.recipient, c.stage, c.quantity) for c in cs] == [("TUR", "GHA", "delivered", 2)]


def test_a_paragraph_break_or_a_title_case_headline_still_ends_the_sentence():
    # a paragraph that ends on "as" and a headline that ends on "Plan A" or "Weighs In" are not wrapped lines
    assert texts("Egypt Looks to France for More Jets as\n\nIndia ordered 26 Rafale M jets.") == [
        "Egypt Looks to France for More Jets as", "India ordered 26 Rafale M jets."]
    assert texts("Kenya Buys Rafales in Plan A\nQatar received 12 jets.") == [
        "Kenya Buys Rafales in Plan A", "Qatar received 12 jets."]
    assert texts("Ghana Weighs In\nGhana received two boats.") == ["Ghana Weighs In", "Ghana received two boats."]
