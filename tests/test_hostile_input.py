"""Hostile input: generated files that used to hang, exhaust memory or lose articles.

Each case asserts the reason reported for the bad file, a bound on time (and memory
where it applies), and that every good article beside it is stored.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsledger
from armsledger import Ledger
from armsledger.extract.decide import default_model
from armsledger.extract.parse import parser
from armsledger.ingest import read_path
from armsledger.models import Article, Claim
from armsledger.serve.cli import app
from armsledger.validate import MAX_QUANTITY, validate_claim

EXAMPLES = Path(armsledger.__file__).parent / "examples"
runner = CliRunner()

# invented sentences, one distinct body per good article
GOOD = {
    "g1.txt": "published: 2024-03-01\noutlet: Wire One\n---\nChad received two Mi-24 helicopters from Russia on Monday.\n",
    "g2.txt": "published: 2024-03-02\noutlet: Wire Two\n---\nPeru ordered four KT-1 trainer aircraft from South Korea "
              "on Tuesday.\n",
    "g3.txt": "published: 2024-03-03\n---\nKenya received six Nora B-52 howitzers from Serbia on Wednesday.\n",
}


def write_good(folder: Path) -> set[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return set(GOOD)


def stored_paths(led: Ledger) -> set[str]:
    return {Path(r[0]).name for r in led.store._conn.execute("SELECT path FROM articles")}


def reasons(report) -> dict[str, str]:
    return {Path(str(e.path)).name: e.reason for e in report.errors}


def test_folder_of_hostile_files_is_bounded_and_keeps_every_good_article(tmp_path):
    folder = tmp_path / "in"
    good = write_good(folder)
    os.mkfifo(folder / "pipe.txt")                      # would block a plain open() forever
    os.symlink("/dev/zero", folder / "zero.txt")        # would be read without end
    (folder / "big.txt").write_text("Poland ordered tanks. " * 150_000)  # 3.3 MB: over the 2 MB cap
    with open(folder / "huge.txt", "w") as fh:          # 50 MB: never read into memory
        for _ in range(50):
            fh.write("x" * 1_000_000)
    # 60,000 sentences under the size cap: many seconds of CPU even at linear cost; the time budget stops it
    (folder / "slow.txt").write_text("published: 2024-01-02\n---\n" + "Poland ordered tanks. " * 60_000)
    (folder / "u32.txt").write_bytes("A note in UTF-32.".encode("utf-32"))

    led = Ledger(tmp_path / "h.db")
    parser(), default_model()  # the parser and the model are loaded once per process, before any file
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    report = led.ingest([folder], timeout=2)
    elapsed = time.monotonic() - t0
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    assert elapsed < 30, elapsed
    assert rss_growth_mb < 40, rss_growth_mb  # the 50 MB file was not read
    why = reasons(report)
    assert set(why) == {"pipe.txt", "zero.txt", "big.txt", "huge.txt", "slow.txt", "u32.txt"}, why
    assert "named pipe" in why["pipe.txt"]
    assert "device" in why["zero.txt"]
    assert "over the 2.0 MB limit" in why["big.txt"] and "--max-bytes" in why["big.txt"]
    assert "50.0 MB" in why["huge.txt"]
    assert "longer than 2 s" in why["slow.txt"]
    assert "UTF-32" in why["u32.txt"]
    assert stored_paths(led) == good
    assert report.added == len(good)


def test_cli_reports_each_bad_file_and_exits_1(tmp_path):
    folder = tmp_path / "in"
    write_good(folder)
    os.mkfifo(folder / "fifo")
    res = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "c.db"), "--timeout", "5"])
    assert res.exit_code == 1
    assert "fifo: a named pipe, not a regular file" in res.stderr
    assert "3 article(s) added" in res.stdout and "1 error(s)" in res.stdout
    assert "1 file(s) or article(s) could not be read" in res.stderr


def test_size_cap_is_configurable(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_good(folder)
    sizes = {f.name: f.stat().st_size for f in folder.iterdir()}
    cap = sorted(sizes.values())[1]  # the two smallest files fit
    over = {n for n, size in sizes.items() if size > cap}
    assert len(over) == 1
    report = Ledger(tmp_path / "a.db").ingest([folder], max_bytes=cap)
    assert set(reasons(report)) == over
    assert all("limit" in r for r in reasons(report).values())
    monkeypatch.setenv("ARMSLEDGER_MAX_BYTES", str(cap))
    assert set(reasons(Ledger(tmp_path / "b.db").ingest([folder]))) == over


def test_jsonl_bad_lines_are_named_and_later_lines_kept(tmp_path):
    lines = [
        json.dumps({"text": "Chad received two Mi-24 helicopters from Russia on Monday.", "published": "2024-03-01"}),
        '{"text": "Bad \\ud800 escape, but Peru ordered four KT-1 aircraft from South Korea.", '
        '"published": "2024-03-02"}',                       # a lone surrogate: kept, as U+FFFD
        "[" * 100_000 + "]" * 100_000,                     # nesting 100k deep
        "{not json",
        "\udcff".encode("utf-8", "surrogateescape").decode("latin-1"),  # written below as a raw 0xff byte
        json.dumps({"text": "Kenya received six Nora B-52 howitzers from Serbia on Wednesday.",
                    "published": "2024-03-03"}),
        json.dumps({"text": "A late article about a parade.", "published": "0001-01-01"}),  # absurd date: kept
    ]
    path = tmp_path / "feed.jsonl"
    with open(path, "wb") as fh:
        for i, line in enumerate(lines):
            fh.write(b"\xff" if i == 4 else line.encode("utf-8"))
            fh.write(b"\n")
    items = list(read_path(path))
    errors = {e.line: e.reason for e in items if not isinstance(e, Article)}
    articles = [a for a in items if isinstance(a, Article)]
    assert set(errors) == {3, 4, 5}, errors
    assert "nested too deeply" in errors[3]
    assert "invalid JSON" in errors[4]
    assert "UTF-8" in errors[5]
    assert [a.path for a in articles] == [f"{path}:{n}" for n in (1, 2, 6, 7)]
    assert "\ufffd" in articles[1].text
    assert articles[3].published is None  # the year 0001 is dropped, not the article
    led = Ledger(tmp_path / "j.db")
    report = led.ingest([path])
    assert report.added == 4 and len(report.errors) == 3
    assert all(str(e).startswith(f"{path}:{e.line}: ") for e in report.errors)


def test_jsonl_line_over_the_cap_is_skipped_alone(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "word " * 500_000}) + "\n"
                    + json.dumps({"text": "Chad received two Mi-24 helicopters from Russia.", "published": "2024-01-01"})
                    + "\n")
    items = list(read_path(path))
    assert [type(i).__name__ for i in items] == ["IngestError", "Article"]
    assert items[0].line == 1 and "limit" in items[0].reason


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_good(folder)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "hidden-away.txt").write_text(GOOD["g1.txt"])
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read_path(folder))
    errs = [i for i in items if not isinstance(i, Article)]
    assert len(errs) == 1 and errs[0].path == str(locked) and "Permission denied" in errs[0].reason
    assert sorted(Path(a.path).name for a in items if isinstance(a, Article)) == sorted(GOOD)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_unreadable_folder_by_mode(tmp_path):
    folder = tmp_path / "in"
    write_good(folder)
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        errs = [i for i in read_path(folder) if not isinstance(i, Article)]
        assert [Path(e.path).name for e in errs] == ["locked"]
    finally:
        locked.chmod(0o755)


def test_edge_publication_dates_keep_the_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "y1.txt").write_text("published: 0001-01-01\n---\nChad received two Mi-24 helicopters from Russia "
                                   "on Monday.\n")
    (folder / "y9.txt").write_text("published: 9999-12-31\n---\nPeru ordered four KT-1 trainer aircraft from "
                                   "South Korea next month.\n")
    led = Ledger(tmp_path / "d.db")
    report = led.ingest([folder])
    assert report.errors == [] and report.added == 2
    rows = led.store._conn.execute("SELECT path, published FROM articles ORDER BY path").fetchall()
    assert [(Path(p).name, pub) for p, pub in rows] == [("y1.txt", None), ("y9.txt", None)]


def test_absurd_values_are_dropped_from_the_claim_with_a_note(tmp_path):
    art = Article(text="Chad received many helicopters from Russia.", published="2024-01-01")
    huge = Claim(article=art.meta(), supplier="RUS", recipient="TCD", quantity=10 ** 20, stage="delivered",
                 date="9999-12-27", granularity="day", designation="Mi-24")
    zero = Claim(article=art.meta(), supplier="RUS", recipient="TCD", quantity=0, stage="delivered",
                 date="2024-01-01", granularity="day", designation="Mi-24")
    validate_claim(huge)
    validate_claim(zero)
    assert huge.quantity is None and str(10 ** 20) in huge.notes["quantity_dropped"]
    assert huge.date is None and huge.granularity is None and "9999-12-27" in huge.notes["date_dropped"]
    assert zero.quantity is None and zero.date == "2024-01-01" and "quantity_dropped" in zero.notes
    ok = Claim(article=art.meta(), quantity=MAX_QUANTITY, date="2024-01-01")
    assert validate_claim(ok).quantity == MAX_QUANTITY and not ok.notes
    from armsledger.store import Store

    s = Store(tmp_path / "v.db")
    assert s.add(art, [huge, zero])  # stores without overflow
    assert s.stats()["claims"] == 2


def test_cr_only_line_ends_nul_and_odd_names(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cr.txt").write_bytes(b"url: https://example.org/cr\rtitle: CR\routlet: Old Mac Weekly\r"
                                    b"published: 2024-03-01\r---\rChad received two Mi-24 helicopters from Russia.\r")
    pad = b"The weather was fine in the capital. " * 300  # past the 8 kB sniffed for binary content
    (folder / "nul.txt").write_bytes(b"published: 2024-03-01\n---\n" + pad + b"\x00Peru ordered four KT-1 aircraft.")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:  # not UTF-8 in the name
        fh.write(b"published: 2024-03-05\n---\nKenya received six Nora B-52 howitzers from Serbia.")
    led = Ledger(tmp_path / "o.db")
    report = led.ingest([folder])
    assert report.errors == [] and report.added == 3
    rows = {Path(p).name: (o, u, t) for p, o, u, t in
            led.store._conn.execute("SELECT path, outlet, url, text FROM articles")}
    assert rows["cr.txt"][:2] == ("Old Mac Weekly", "https://example.org/cr")
    assert "\x00" not in rows["nul.txt"][2] and "Peru ordered" in rows["nul.txt"][2]
    assert "caf\ufffd.txt" in rows


def test_errors_are_reported_as_they_happen(tmp_path):
    folder = tmp_path / "in"
    write_good(folder)
    (folder / "a-first.txt").write_bytes(b"")  # sorted first
    (folder / "zz-last.txt").write_bytes(b"")  # sorted last
    led = Ledger(tmp_path / "e.db")
    seen: list[tuple[str, int]] = []
    led.ingest([folder], on_error=lambda e: seen.append((Path(e.path).name, led.stats()["articles"])))
    assert [name for name, _ in seen] == ["a-first.txt", "zz-last.txt"]
    assert seen[0][1] == 0  # printed before any article was stored, not at the end of the batch


def test_parallel_ingest_stores_the_same_ledger(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    write_good(folder)
    one, two = Ledger(tmp_path / "one.db"), Ledger(tmp_path / "two.db")
    r1, r2 = one.ingest([folder], workers=1), one and two.ingest([folder], workers=3)
    assert (r1.added, r1.claims) == (r2.added, r2.claims) == (8, r1.claims)
    assert one.ledger() == two.ledger()
    res = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "cli.db"), "-j", "2"])
    assert res.exit_code == 0 and "8 article(s) added" in res.stdout


def test_pathological_runs_are_bounded_in_parallel(tmp_path):
    """Runs that are slow for the extractor (a sentence repeated thousands of times, thousands of
    spaces inside a sentence, tens of thousands of periods, thousands of equipment names in a row):
    each finishes or is stopped by the time budget, with three workers, and good files are stored."""
    folder = tmp_path / "in"
    good = write_good(folder)
    head = "published: 2024-01-02\n---\n"
    cases = {
        "repeat.txt": head + "Poland ordered tanks from Korea. " * 6000,
        "spaces.txt": head + "Poland ordered" + " " * 8000 + "tanks from Korea." + (" filler" + " " * 8000) * 20,
        "periods.txt": head + "Poland ordered tanks" + "." * 40_000 + " from Korea.",
        "names.txt": head + "Poland ordered " + ", ".join(["K2 tanks", "K9 howitzers", "FA-50 jets"] * 7000) + ".",
    }
    for name, text in cases.items():
        (folder / name).write_text(text)
    led = Ledger(folder / "p.db")  # the ledger inside the folder it reads: its own files are passed over
    t0 = time.monotonic()
    report = led.ingest([folder], timeout=2, workers=3)
    elapsed = time.monotonic() - t0
    assert elapsed < 40, elapsed
    why = reasons(report)
    stored = stored_paths(led)
    assert good <= stored
    for name in cases:  # each one stored, or named with the reason it was stopped
        assert (name in stored) != (name in why), (name, why.get(name))
        if name in why:
            assert "longer than 2 s" in why[name]
    assert set(why) <= set(cases)


def test_extraction_cost_grows_linearly_with_the_article():
    """Four times the sentences costs about four times the work (a ratio in one process, not a timing):
    the article context is indexed, not re-sorted for every sentence. Quadratic cost would give ~16x."""
    from armsledger.extract.pipeline import Extractor

    ex = Extractor(decide=False)

    def cost(n: int) -> float:
        art = Article(text=" ".join(["Poland ordered K2 tanks from South Korea."] * n), published="2024-01-01")
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            ex.extract(art)
            best = min(best, time.process_time() - t0)
        return best

    small, large = cost(1000), cost(4000)
    assert large / small < 8, (small, large)


@pytest.mark.parametrize("text", [
    "Poland ordered" + " " * 8000 + "K2 tanks from South Korea.",       # a run of padding inside a sentence
    "Poland ordered K2 tanks from South Korea and " * 45000,            # 2 MB on one line, no full stop
    "Poland ordered tanks" + "." * 40000 + " More text.",                # a run of 40,000 full stops
    "Poland ordered " + "K2, " * 20000 + "tanks.",                       # 20,000 equipment names in a row
], ids=["spaces", "one-line", "periods", "names"])
def test_pathological_sentences_cost_no_more_than_a_normal_article(text):
    """A "sentence" no news article has (over MAX_SENTENCE characters) is not read, so its cost is bounded
    by that of an ordinary article of a few sentences (a ratio in one process, not a timing)."""
    from armsledger.extract import extract

    normal = Article(text="Poland ordered 24 K2 tanks from South Korea on Monday, the ministry said. " * 20,
                     published="2024-01-01")
    extract(normal)  # load the parser and the model first

    def cost(article: Article) -> float:
        best = float("inf")
        for _ in range(2):  # the better of two: the first read of a 2 MB text also pays for its memory
            t0 = time.process_time()
            extract(article)
            best = min(best, time.process_time() - t0)
        return best

    base = cost(normal)
    assert cost(Article(text=text, published="2024-01-01")) < 5 * base + 0.05
