"""Ingest: header text, plain text, HTML, JSONL, feeds, folders and bad files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from armsledger.ingest import IngestError, normalise_date, read_path, read_paths, read_text
from armsledger.models import Article, normalise_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEED = Path("/work/shared/eval/seeds/articles/000.txt")


def articles(items):
    return [x for x in items if isinstance(x, Article)]


def errors(items):
    return [x for x in items if isinstance(x, IngestError)]


def one(path, **kw):
    items = list(read_path(path, **kw))
    assert len(items) == 1, items
    return items[0]


# --- header format and plain text -------------------------------------------------------

@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_seed_article_header():
    art = one(SEED)
    assert isinstance(art, Article)
    assert art.path == str(SEED)
    assert art.url is None  # "url: unknown"
    assert art.published == "2022-04-19"
    assert art.title and art.title.startswith("Mali")
    assert art.outlet == "The Africa Report"
    raw = SEED.read_text(encoding="utf-8")
    body = raw.split("\n---\n", 1)[1]
    assert art.text == normalise_text(body)
    assert "outlet:" not in art.text


def test_header_fixture():
    art = one(FIXTURES / "header.txt")
    assert art.url == "https://news.example.org/2021/03/freedonia-patrol-boats"
    assert art.title == "Freedonia orders four patrol boats"
    assert art.published == "2021-03-09"  # "March 9, 2021" normalised
    assert art.outlet == "Example Maritime Review"
    assert art.text.startswith("Freedonia has ordered four coastal patrol boats")
    assert "\n\nThe first vessel" in art.text
    assert "editor" not in art.text


def test_partial_date_and_unknown_values_are_none():
    art = one(FIXTURES / "partial_date.txt")
    assert art.published is None
    assert art.outlet is None
    assert art.title == "A story dated only by month"


def test_plain_text_is_the_whole_body():
    art = one(FIXTURES / "plain.txt")
    assert art.url is art.title is art.published is art.outlet is None
    assert art.text.startswith("Sylvania said it had delivered")
    assert art.text.endswith("No price was disclosed.")


def test_read_text_in_memory():
    art = read_text("title: T\npublished: 19 April 2022\n---\nBody here.", path="<stdin>")
    assert (art.title, art.published, art.text, art.path) == ("T", "2022-04-19", "Body here.", "<stdin>")
    plain = read_text("url: this is just a sentence with a colon\nand more text")
    assert plain.url is None and plain.text.startswith("url: this is")
    with pytest.raises(ValueError):
        read_text("title: only a header\n---\n   \n")


@pytest.mark.parametrize("value, expected", [
    ("2022-04-19", "2022-04-19"),
    ("April 19, 2022", "2022-04-19"),
    ("19 April 2022", "2022-04-19"),
    ("2022-04-19T23:30:00-05:00", "2022-04-19"),
    ("2022-04", None),
    ("April 2022", None),
    ("2022", None),
    ("unknown", None),
    ("", None),
    ("yesterday", None),
    ("2022-02-30", None),
    ("not a date", None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


# --- HTML -------------------------------------------------------------------------------

def test_html_with_meta_date():
    art = one(FIXTURES / "dated.html")
    assert isinstance(art, Article)
    assert art.published == "2020-11-24"
    assert art.title == "Sylvania delivers trainer aircraft"
    assert art.url == "https://defence.example.com/news/trainers"
    assert art.outlet == "Example Defence Daily"
    assert "three jet trainer aircraft" in art.text
    assert "Home" not in art.text  # navigation is not article text


def test_html_without_date_gets_none():
    art = one(FIXTURES / "undated.htm")
    assert isinstance(art, Article)
    assert art.published is None
    assert "air defence radars" in art.text


def test_html_without_date_takes_callers_date():
    art = one(FIXTURES / "undated.htm", published="2020-01-02", outlet="Given Outlet")
    assert art.published == "2020-01-02"
    assert art.outlet == "Given Outlet"


def test_html_without_text_is_an_error():
    err = one(FIXTURES / "notext.html")
    assert isinstance(err, IngestError)
    assert err.reason == "HTML page with no article text"
    assert str(err) == f"{FIXTURES / 'notext.html'}: HTML page with no article text"


def test_html_detected_by_content(tmp_path):
    page = tmp_path / "saved_page.txt"
    shutil.copy(FIXTURES / "dated.html", page)
    art = one(page)
    assert art.published == "2020-11-24" and "<p>" not in art.text


# --- JSONL ------------------------------------------------------------------------------

def test_jsonl_bad_lines_named_good_lines_kept():
    path = FIXTURES / "articles.jsonl"
    items = list(read_path(path))
    good, bad = articles(items), errors(items)
    assert [a.path for a in good] == [f"{path}:1", f"{path}:5"]
    assert good[0].url == "https://example.net/a"
    assert good[0].published == "2019-07-01" and good[0].outlet == "Example Wire"
    assert good[1].published is None
    assert [(e.line, e.path) for e in bad] == [(2, str(path)), (3, str(path))]
    assert bad[0].reason.startswith("line 2: invalid JSON")
    assert bad[1].reason == "line 3: no 'text' field"
    assert str(bad[1]) == f"{path}:3: no 'text' field"


def test_jsonl_non_object_and_empty_text(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('[1, 2]\n{"text": "   "}\n{"text": 5}\n', encoding="utf-8")
    bad = list(read_path(p))
    assert [e.line for e in bad] == [1, 2, 3]
    assert all(isinstance(e, IngestError) for e in bad)


# --- feeds ------------------------------------------------------------------------------

def test_rss_feed():
    path = FIXTURES / "feed.rss"
    items = list(read_path(path))
    good, bad = articles(items), errors(items)
    assert len(good) == 2 and len(bad) == 1
    first, second = good
    assert first.title == "Freedonia receives drones"
    assert first.url == "https://digest.example.org/items/drones"
    assert first.published == "2022-02-02"
    assert first.outlet == "Example Security Digest"
    assert first.text == ("Freedonia received four reconnaissance drones from Sylvania, the army said."
                          "\n\nTwo more are expected in the spring.")  # full content, not the teaser
    assert first.path.startswith(f"{path}:")
    assert second.text == "Sylvania agreed to sell 2,000 rifles to Freedonia."  # escaped HTML
    assert second.outlet == "Example Wire"  # the item's <source>
    assert second.published is None
    assert "no text" in bad[0].reason and bad[0].line


def test_atom_feed():
    art = one(FIXTURES / "feed.atom")
    assert art.title == "Helicopters handed over"
    assert art.url == "https://atom.example.org/helicopters"
    assert art.published == "2018-05-14"  # published, not updated
    assert art.outlet == "Example Atom Desk"
    assert art.text == "Two transport helicopters were handed over to Freedonia.\n\nCrews were trained in Sylvania."


def test_xml_that_is_not_a_feed(tmp_path):
    p = tmp_path / "data.xml"
    p.write_text('<?xml version="1.0"?><config><a>1</a></config>', encoding="utf-8")
    err = one(p)
    assert isinstance(err, IngestError) and "not an RSS or Atom feed" in err.reason


# --- folders and bad files ----------------------------------------------------------------

def test_folder_with_bad_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a_good.txt").write_text("Freedonia bought ten trucks.\n", encoding="utf-8")
    (tmp_path / "b" / "c_good.txt").write_text("title: T\n---\nSylvania sold two boats.", encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfFreedonia leased a tanker aircraft.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 story".encode("latin-1"))
    (tmp_path / ".hidden.txt").write_text("hidden file", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden folder", encoding="utf-8")

    items = list(read_path(tmp_path))
    good = articles(items)
    assert [Path(a.path).name for a in good] == ["a_good.txt", "c_good.txt", "bom.txt"]  # b/ sorts before bom.txt
    assert good[2].text == "Freedonia leased a tanker aircraft."  # BOM dropped
    reasons = {Path(e.path).name: e.reason for e in errors(items)}
    assert reasons == {
        "blank.txt": "empty file",
        "empty.txt": "empty file",
        "image.png": "binary file",
        "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
    }
    # paths come out sorted, recursing into sub-folders
    assert [x.path for x in items] == sorted(x.path for x in items)


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    items = list(read_paths([tmp_path / "nope.txt", FIXTURES / "plain.txt"]))
    assert isinstance(items[0], IngestError) and "no such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_same_content_same_id(tmp_path):
    (tmp_path / "one.txt").write_text("Freedonia ordered six jets.\n\nDelivery in 2025.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("url: https://x.example/\n---\r\n  Freedonia ordered six jets.\r\n"
                                      "Delivery in 2025.  \r\n", encoding="utf-8")
    a, b = read_path(tmp_path)
    assert a.id == b.id and a.path != b.path


def test_callers_metadata_only_when_file_has_none():
    given = dict(published="2001-02-03", outlet="Caller Outlet")
    own = one(FIXTURES / "header.txt", **given)
    assert (own.published, own.outlet) == ("2021-03-09", "Example Maritime Review")
    plain = one(FIXTURES / "plain.txt", **given)
    assert (plain.published, plain.outlet) == ("2001-02-03", "Caller Outlet")
    jl = articles(read_path(FIXTURES / "articles.jsonl", **given))
    assert [(a.published, a.outlet) for a in jl] == [("2019-07-01", "Example Wire"),
                                                     ("2001-02-03", "Caller Outlet")]


def test_front_matter_header_and_declared_html_charset(tmp_path):
    art = read_text("---\ntitle: FM\npublished: 2020-01-05\n---\nBody text.")
    assert (art.title, art.published, art.text) == ("FM", "2020-01-05", "Body text.")
    page = tmp_path / "legacy.html"
    page.write_bytes(('<html><head><meta charset="windows-1252"><title>t</title></head><body><article>'
                      '<p>Caf\u00e9 owners in Freedonia said the army received new trucks last week.</p>'
                      '</article></body></html>').encode("cp1252"))
    assert one(page).text.startswith("Caf\u00e9 owners")  # the page's own charset is honoured


def test_utf16_and_random_bytes(tmp_path):
    (tmp_path / "u16.txt").write_bytes("hello there".encode("utf-16"))
    (tmp_path / "noise.dat").write_bytes(bytes(0x80 + (i * 37) % 127 for i in range(3000)))
    reasons = {Path(e.path).name: e.reason for e in read_path(tmp_path)}
    assert reasons["noise.dat"] == "binary file"
    assert "UTF-16" in reasons["u16.txt"]
