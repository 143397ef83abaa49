"""The trigger lexicon: each rule's cheap cue must hold for every match of its full pattern,
or the speed-up would silently drop triggers."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from armsledger.extract import triggers
from armsledger.extract.sentences import split
from armsledger.ingest import read_paths

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMSLEDGER_SHARED", REPO.parent / "shared"))


def _sentences() -> list[str]:
    folders = [REPO / "armsledger" / "examples", SHARED / "eval" / "seeds" / "articles", SHARED / "eval" / "dev" / "articles"]
    out = []
    for item in read_paths([f for f in folders if f.exists()]):
        if hasattr(item, "text"):
            out.extend(s.text for s in split(item.text))
    return out


MADE_UP = [
    "Ghana took delivery of four Super Tucanos on Thursday.",
    "The helicopters arrived in Bamako and were unloaded at the airport.",
    "Norway will send two NASAMS batteries; the first is set to arrive in May.",
    "Kenya signed a contract for 12 howitzers, the ministry said.",
    "Serbia denied the report and said it did not supply drones.",
    "The remaining four jets are expected by the end of the year.",
    "The new aid package includes 18 howitzers.",
    "Croatia will lease two Black Hawk helicopters from the United States.",
]


def test_every_rule_has_a_cue_that_holds_on_real_text():
    sents = _sentences() + MADE_UP
    assert len(sents) > 25  # the examples alone when ../shared is absent
    checked = 0
    for rule in triggers.rules():
        assert rule.cue, f"rule without a cue: {rule.regex.pattern[:60]}"
        for s in sents:
            low = s.lower()
            for m in rule.regex.finditer(s):
                checked += 1
                assert any(c in m.group(0).lower() or c in low[max(0, m.start() - 1):m.end() + 1] for c in rule.cue), \
                    (rule.stage, m.group(0), rule.cue)
    assert checked > 20


def test_prefilter_passes_every_sentence_with_a_trigger():
    pf = triggers.prefilter()
    for s in _sentences() + MADE_UP:
        if any(r.regex.search(s) for r in triggers.rules()):
            assert pf.search(s), s


def test_user_rules_are_merged(tmp_path, monkeypatch):
    extra = tmp_path / "mine.jsonl"
    extra.write_text(json.dumps({"stage": "delivered", "voice": "recipient", "pattern": "welcomed aboard"}) + "\n")
    monkeypatch.setenv("ARMSLEDGER_TRIGGERS", str(extra))
    triggers.rules.cache_clear()
    triggers.prefilter.cache_clear()
    try:
        found = triggers.find("The navy welcomed aboard two frigates.")
        assert any(t.text == "welcomed aboard" and t.stage == "delivered" for t in found)
    finally:
        monkeypatch.delenv("ARMSLEDGER_TRIGGERS")
        triggers.rules.cache_clear()
        triggers.prefilter.cache_clear()


@pytest.mark.parametrize("sentence,stage", [
    ("Mali received two helicopters.", "delivered"),
    ("Egypt ordered 24 Rafale jets.", "ordered"),
    ("The jets are expected to arrive next year.", "expected"),
    ("The howitzers will begin to arrive in Latvia next spring.", "expected"),   # an aspect verb before the arrival
    ("More tanks would continue to arrive through 2027.", "expected"),
    ("Germany pledged 14 howitzers.", "pledged"),
    ("The first of the two submarines is due to reach Chile next week.", "expected"),        # "reach" as "arrive"
    ("The Chilean navy leased two patrol aircraft from Spain.", "delivered"),               # words before "from"
    ("A Korean firm has won a $2.1 billion contract to export radars to Peru.", "ordered"),  # money inside
    ("Iran denied the reports.", "denied"),
    ("Nine more are to join the Peruvian navy by the end of May.", "expected"),             # "be to" as a future
    ("The remaining corvette is now to be handed over in 2027.", "expected"),
    ("Handover of the second frigate is scheduled for March 2027.", "expected"),              # "scheduled for" a time
    ("The last two jets are slated for 2026.", "expected"),
    ("The two corvettes joined the Ghanaian navy's fleet in May.", "delivered"),              # entry into service
    ("The frigate entered service with the Hellenic Navy in 2021.", "delivered"),
    ("By March the Latvian army had fielded 18 howitzers.", "delivered"),
    ("Peru introduced two trainer jets into its air force on Monday.", "delivered"),
    ("The jets joined the air force's 101st squadron.", "delivered"),
    ("Twelve more were incorporated into the army's artillery brigade.", "delivered"),
    ("The procurement of 12 trainer jets from Korea was signed in May.", "ordered"),          # a deal noun
    ("Peru took over four patrol boats from the US Coast Guard.", "delivered"),
    ("The howitzers were transported to Latvia by rail.", "delivered"),
    ("Norway lent two NASAMS launchers to Ukraine.", "delivered"),                            # words between
    ("The Navy leased two drones to the Coast Guard in May.", "delivered"),
    ("Denmark has committed 19 F-16 jets to Ukraine.", "pledged"),                            # aid wording
    ("Sweden allocated three radar aircraft to the package for Ukraine.", "pledged"),
    ("Latvia contributed two helicopters to Ukraine.", "pledged"),
    ("Norway donates two patrol boats to Ghana.", "delivered"),                                # a headline's present
    ("Norway dispatches two patrol boats to Ghana.", "delivered"),
    ("Spain is selling 12 trainer jets to Peru.", "ordered"),
])
def test_stage_of_plain_verbs(sentence, stage):
    assert stage in {t.stage for t in triggers.find(sentence)}


@pytest.mark.parametrize("sentence,quote,stage", [
    ("Chile will also receive four frigates next year.", "will also receive", "expected"),
    ("Norway and Sweden would jointly provide Estonia with 12 howitzers.", "would jointly provide", "pledged"),
    ("Ghana is now scheduled to receive the first two patrol vessels in May.", "is now scheduled to receive", "expected"),
    ("Ghana is currently scheduled to receive the first two patrol vessels in May.", "is currently scheduled to receive",
     "expected"),
])
def test_an_adverb_inside_the_verb_group_is_passed_over(sentence, quote, stage):
    """The lexicon's `inner_adverbs` stand inside a verb group without changing what it reports; the trigger
    still quotes the sentence as written, at its own offsets."""
    found = [t for t in triggers.find(sentence) if t.stage == stage]
    assert [t.text for t in found] == [quote]
    assert sentence[found[0].start:found[0].end] == quote


@pytest.mark.parametrize("sentence", [
    "Chile joined the talks on the frigates in May.",           # joining something that is no force
    "Peru introduced a new procurement law in 2021.",
    "The frigate entered the harbour of Callao.",
    "Norway joined the German navy program in May.",                # the force noun only modifies another
    "Poland added 12 more jets to its air force order.",
    "A Chilean destroyer joined the Peruvian navy's drills.",
    "The Chilean frigate was joined by a Peruvian navy destroyer.",  # the passive, and "by"
])
def test_entry_into_service_needs_a_force(sentence):
    assert not any(t.stage == "delivered" for t in triggers.find(sentence))


@pytest.mark.parametrize("sentence", ["The frigate is scheduled for its first flight in 2025.",
                                      "The jets are due for an overhaul in 2026."])
def test_scheduled_for_needs_a_time_or_a_delivery(sentence):
    assert not any(t.stage == "expected" for t in triggers.find(sentence))


def test_committed_to_a_purchase_is_no_pledge():
    assert not any(t.stage == "pledged" for t in triggers.find("Peru committed to buying 12 trainer jets."))


@pytest.mark.parametrize("sentence", ["The new government took over from the army in May."])
def test_taking_over_needs_what_is_taken(sentence):
    assert not any(t.stage == "delivered" for t in triggers.find(sentence))


def test_a_negation_is_never_passed_over():
    assert not any(t.stage == "expected" for t in triggers.find("Chile will not receive the frigates."))


def test_an_infinitive_order():
    assert "ordered" in {t.stage for t in triggers.find("Vietnam was the first buyer to order the new corvette.")}
