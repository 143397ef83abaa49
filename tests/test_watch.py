"""`armsledger watch`: the polite fetcher, feeds with ETags, URL lists, folders, GDELT files,
and state kept in the ledger so a restart fetches and stores nothing twice.

Everything is served by a local HTTP server on 127.0.0.1 (tests/localhttp.py); nothing
reaches the internet.
"""
from __future__ import annotations

import io
import shutil
import threading
import time
import zipfile

import pytest
from typer.testing import CliRunner

from armsledger.api import Ledger
from armsledger.serve.cli import app
from armsledger.watch import Fetcher, Watcher, WatchState
from armsledger.watch import gdelt
from localhttp import EXAMPLES, LocalServer, example_page, rss

runner = CliRunner()
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.close()


def quick_fetcher(**kw) -> Fetcher:
    opts = dict(timeout=5, retries=0, backoff=0.01, host_interval=0)
    opts.update(kw)
    return Fetcher(**opts)


def count_articles(db) -> int:
    return Ledger(db).stats()["articles"]


# -- the fetcher ---------------------------------------------------------------------

def test_fetcher_sends_user_agent_and_conditional_headers(server):
    server.routes["/p"] = (200, "hello", {"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"})
    f = quick_fetcher()
    r = f.get(server.url("/p"))
    assert r.ok and r.body == b"hello" and r.etag == '"v1"'
    assert server.log[-1][1]["user-agent"].startswith("armsledger/")
    r2 = f.get(server.url("/p"), etag=r.etag, last_modified=r.last_modified)
    assert r2.status == 304 and not r2.ok and r2.error is None
    assert server.log[-1][1]["if-none-match"] == '"v1"'
    assert server.log[-1][1]["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_fetcher_retries_with_backoff_then_succeeds(server):
    server.routes["/flaky"] = [(503, "busy", {}), (500, "oops", {}), (200, "fine", {})]
    f = quick_fetcher(retries=3, backoff=0.05)
    t0 = time.monotonic()
    r = f.get(server.url("/flaky"))
    assert r.ok and r.body == b"fine"
    assert server.hits("/flaky") == 3
    assert time.monotonic() - t0 >= 0.05 + 0.1  # back-off doubled


def test_fetcher_permanent_errors_are_not_retried(server):
    f = quick_fetcher(retries=3, backoff=0.01)
    r = f.get(server.url("/nowhere"))
    assert r.status == 404 and r.permanent and r.error == "HTTP 404 Not Found"
    assert server.hits("/nowhere") == 1
    assert f.get("ftp://example.invalid/x").permanent
    assert f.requests == 1  # a non-http URL is never requested


def test_fetcher_size_cap_and_timeout(server):
    server.routes["/big"] = (200, b"x" * 5000, {})
    server.routes["/slow"] = (200, "late", {"X-Test-Delay": "2"})
    f = quick_fetcher(max_bytes=1000, timeout=0.5)
    big = f.get(server.url("/big"))
    assert not big.ok and big.permanent and "size cap" in big.error
    slow = f.get(server.url("/slow"))
    assert not slow.ok and not slow.permanent and "timed out" in slow.error.lower()


def test_fetcher_rate_limits_each_host(server):
    server.routes["/a"] = (200, "a", {})
    f = quick_fetcher(host_interval=0.3)
    t0 = time.monotonic()
    for _ in range(3):
        assert f.get(server.url("/a")).ok
    assert time.monotonic() - t0 >= 0.6


# -- feeds ------------------------------------------------------------------------------

def _feed_site(server, etag='"v1"', extra=()):
    page1, _ = example_page("01-northwind-tucano.txt")
    page3, _ = example_page("03-baltic-nasams.txt")
    server.routes["/a1.html"] = (200, page1, HTML)
    server.routes["/a3.html"] = (200, page3, HTML)
    items = [("Ghana receives Super Tucanos", server.url("/a1.html"), "Fri, 12 May 2023 08:00:00 GMT"),
             ("NASAMS", server.url("/a3.html"), "Mon, 05 Jun 2023 08:00:00 GMT"),
             ("Gone", server.url("/gone.html"), "Mon, 05 Jun 2023 09:00:00 GMT"), *extra]
    server.routes["/feed.rss"] = (200, rss(items), {"Content-Type": "application/rss+xml", "ETag": etag})


def test_watch_feed_once_then_resume_with_etag(server, tmp_path):
    _feed_site(server)
    db = str(tmp_path / "w.db")
    args = ["watch", "--feed", server.url("/feed.rss"), "--db", db, "--once", "--timeout", "0",
            "--host-interval", "0", "--retries", "0"]
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output  # the 404 is a failure, reported by URL with its reason
    assert "gone.html: HTTP 404" in r.output
    assert count_articles(db) == 2
    led = Ledger(db)
    stored = {led.store.article(a).url for (a,) in led.store._conn.execute("SELECT id FROM articles")}
    assert stored == {server.url("/a1.html"), server.url("/a3.html")}
    assert led.ledger(recipient="GHA")  # the claims of the fetched page are in the ledger
    st = WatchState(led.store)
    assert st.failures() == [("url:" + server.url("/gone.html"), "HTTP 404 Not Found", 1, True)]
    assert st.validators(server.url("/feed.rss"))[0] == '"v1"'

    # restart: the feed answers 304 to its ETag, so no page is fetched again
    before = len(server.log)
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert [p for p, _ in server.log[before:]] == ["/feed.rss"]
    assert server.log[-1][1]["if-none-match"] == '"v1"'
    assert count_articles(db) == 2

    # the feed changes: only its new item is fetched; the permanent 404 is not tried again
    page5, _ = example_page("05-asia-fa50.txt")
    server.routes["/a5.html"] = (200, page5, HTML)
    _feed_site(server, etag='"v2"', extra=[("FA-50", server.url("/a5.html"), "Tue, 06 Jun 2023 08:00:00 GMT")])
    before = len(server.log)
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert [p for p, _ in server.log[before:]] == ["/feed.rss", "/a5.html"]
    assert count_articles(db) == 3


def test_transient_failure_is_retried_on_a_later_run(server, tmp_path):
    page, _ = example_page("02-coastal-tucano.txt")
    server.routes["/p.html"] = [(503, "busy", {}), (200, page, HTML)]
    lst = tmp_path / "urls.txt"
    lst.write_text(f"# a list\n{server.url('/p.html')}\n\n")
    led = Ledger(str(tmp_path / "w.db"))
    w = Watcher(led.store, url_lists=[lst], fetcher=quick_fetcher(), timeout=0)
    rep = w.cycle()
    assert rep.added == 0 and rep.failed == 1
    assert w.state.failures()[0][1:] == ("HTTP 503 Service Unavailable", 1, False)
    rep = Watcher(led.store, url_lists=[lst], fetcher=quick_fetcher(), timeout=0).cycle()
    assert rep.added == 1 and rep.failed == 0 and w.state.failures() == []
    assert Watcher(led.store, url_lists=[lst], fetcher=quick_fetcher(), timeout=0).cycle().fetched == 0


def test_failures_stop_after_max_attempts(server, tmp_path):
    server.routes["/down"] = (500, "down", {})
    lst = tmp_path / "urls.txt"
    lst.write_text(server.url("/down") + "\n")
    led = Ledger(str(tmp_path / "w.db"))
    for _ in range(4):
        Watcher(led.store, url_lists=[lst], fetcher=quick_fetcher(), timeout=0, max_attempts=2).cycle()
    assert server.hits("/down") == 2


def test_same_article_at_two_urls_is_stored_once(server, tmp_path):
    page, _ = example_page("01-northwind-tucano.txt")
    server.routes["/x.html"] = (200, page, HTML)
    server.routes["/y.html?utm=1"] = (200, page, HTML)
    lst = tmp_path / "urls.txt"
    lst.write_text(f"{server.url('/x.html')}\n{server.url('/y.html?utm=1')}\n")
    led = Ledger(str(tmp_path / "w.db"))
    rep = Watcher(led.store, url_lists=[lst], fetcher=quick_fetcher(), timeout=0).cycle()
    assert (rep.added, rep.skipped, rep.failed) == (1, 1, 0)
    assert led.stats()["articles"] == 1


# -- folders --------------------------------------------------------------------------------

def test_watch_folder_once_new_and_changed_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "01-northwind-tucano.txt", folder / "a.txt")
    db = str(tmp_path / "w.db")
    args = ["watch", str(folder), "--db", db, "--once", "--timeout", "0"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "1 article(s) added" in r.output
    r = runner.invoke(app, args)
    assert "0 article(s) added, 0 already stored" in r.output  # the unchanged file is not read again
    # a changed file is read again; a new one is read
    (folder / "a.txt").write_text((EXAMPLES / "02-coastal-tucano.txt").read_text())
    shutil.copy(EXAMPLES / "03-baltic-nasams.txt", folder / "b.txt")
    r = runner.invoke(app, args)
    assert "2 article(s) added" in r.output, r.output
    assert count_articles(db) == 3


def test_watch_folder_continuously_picks_up_a_new_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    led = Ledger(str(tmp_path / "w.db"))
    w = Watcher(led.store, folders=[folder], timeout=0)
    stop = threading.Event()
    cycles = []
    t = threading.Thread(target=w.run, kwargs=dict(interval=60, stop=stop, on_cycle=cycles.append))
    t.start()
    try:
        deadline = time.monotonic() + 30
        while not cycles and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the watcher is now waiting on the folder (interval 60 s)
        shutil.copy(EXAMPLES / "05-asia-fa50.txt", folder / "new.txt")
        while led.stats()["articles"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert led.stats()["articles"] == 1  # woken by the change, long before the interval
    finally:
        stop.set()
        t.join(timeout=30)
    assert not t.is_alive()


def test_watch_needs_a_source(tmp_path):
    r = runner.invoke(app, ["watch", "--db", str(tmp_path / "w.db"), "--once"])
    assert r.exit_code == 2
    assert "nothing to watch" in r.output


# -- GDELT ------------------------------------------------------------------------------------

def _zip(name: str, rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "".join("\t".join(r) + "\n" for r in rows))
    return buf.getvalue()


def _event(code: str, url: str) -> list[str]:
    row = [""] * gdelt.EVENT_COLUMNS
    row[0], row[1], row[gdelt.EVENT_CODE_COL], row[gdelt.EVENT_URL_COL] = "1", "20230512", code, url
    return row


def _gkg(url: str, themes: str) -> list[str]:
    row = [""] * 27
    row[0], row[gdelt.GKG_URL_COL], row[gdelt.GKG_THEMES_COL] = "20230512-1", url, themes
    return row


def test_gdelt_index_filters_to_arms_events_and_themes(server, tmp_path):
    for i, name in enumerate(["01-northwind-tucano.txt", "03-baltic-nasams.txt", "05-asia-fa50.txt"]):
        server.routes[f"/news/{i}.html"] = (200, example_page(name)[0], HTML)
    events = _zip("20230512000000.export.CSV", [
        _event("072", server.url("/news/0.html")),  # provide military aid
        _event("010", server.url("/news/unrelated.html")),  # make statement: never fetched
        _event("062", server.url("/news/0.html")),  # the same URL twice: fetched once
    ])
    gkg = _zip("20230512000000.gkg.csv", [
        _gkg(server.url("/news/1.html"), "MILITARY;MILITARY_COOPERATION;TAX_FNCACT"),
        _gkg(server.url("/news/2.html"), "TAX_WEAPONS_FIGHTER_JETS;"),
        _gkg(server.url("/news/sport.html"), "SPORTS;"),
    ])
    server.routes["/gdelt/e.export.CSV.zip"] = (200, events, {"Content-Type": "application/zip"})
    server.routes["/gdelt/g.gkg.csv.zip"] = (200, gkg, {"Content-Type": "application/zip"})
    server.routes["/gdelt/m.mentions.CSV.zip"] = (200, b"", {})
    server.routes["/lastupdate.txt"] = (200, "\n".join([
        f"150 abc {server.url('/gdelt/e.export.CSV.zip')}",
        f"20 def {server.url('/gdelt/m.mentions.CSV.zip')}",
        f"300 ghi {server.url('/gdelt/g.gkg.csv.zip')}"]) + "\n", {"ETag": '"i1"'})
    db = str(tmp_path / "w.db")
    args = ["watch", "--gdelt", server.url("/lastupdate.txt"), "--db", db, "--once", "--timeout", "0",
            "--host-interval", "0"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert count_articles(db) == 3
    fetched = [p for p, _ in server.log]
    assert "/news/unrelated.html" not in fetched and "/news/sport.html" not in fetched
    assert "/gdelt/m.mentions.CSV.zip" not in fetched
    assert fetched.count("/news/0.html") == 1
    before = len(server.log)
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and [p for p, _ in server.log[before:]] == ["/lastupdate.txt"]
    # a new index (another ETag) listing the same files: they are not downloaded again
    server.routes["/lastupdate.txt"] = (200, f"150 abc {server.url('/gdelt/e.export.CSV.zip')}\n",
                                        {"ETag": '"i2"'})
    before = len(server.log)
    runner.invoke(app, args)
    assert [p for p, _ in server.log[before:]] == ["/lastupdate.txt"]


def test_feed_item_that_failed_is_retried_though_the_feed_is_unchanged(server, tmp_path):
    _feed_site(server)
    page2, _ = example_page("02-coastal-tucano.txt")
    server.routes["/a3.html"] = [(503, "busy", {}), (200, page2, HTML)]
    led = Ledger(str(tmp_path / "w.db"))
    feed = server.url("/feed.rss")
    assert Watcher(led.store, feeds=[feed], fetcher=quick_fetcher(), timeout=0).cycle().added == 1
    rep = Watcher(led.store, feeds=[feed], fetcher=quick_fetcher(), timeout=0).cycle()
    assert rep.added == 1 and server.hits("/a3.html") == 2  # the feed was read again, not a 304
    assert server.hits("/a1.html") == 1  # what was stored is not fetched again
    rep = Watcher(led.store, feeds=[feed], fetcher=quick_fetcher(), timeout=0).cycle()
    assert rep.fetched == 0  # nothing left to retry (the 404 is permanent): now the ETag holds
    assert server.log[-1] == ("/feed.rss", server.log[-1][1]) and "if-none-match" in server.log[-1][1]


def test_gdelt_failures_are_retried_after_the_index_moves_on(server, tmp_path):
    page, _ = example_page("03-baltic-nasams.txt")
    server.routes["/news/a.html"] = [(502, "bad gateway", {}), (200, page, HTML)]
    events = _zip("x.export.CSV", [_event("072", server.url("/news/a.html"))])
    server.routes["/g/1.export.CSV.zip"] = [(500, "", {}), (200, events, {})]
    server.routes["/last.txt"] = (200, f"1 x {server.url('/g/1.export.CSV.zip')}\n", {"ETag": '"1"'})
    led = Ledger(str(tmp_path / "w.db"))
    index = server.url("/last.txt")

    def cycle():
        return Watcher(led.store, gdelt_indexes=[index], fetcher=quick_fetcher(), timeout=0).cycle()

    assert cycle().failed == 1  # the data file: 500
    server.routes["/last.txt"] = (200, "", {"ETag": '"2"'})  # the index no longer lists it
    rep = cycle()
    assert rep.failed == 1 and server.hits("/g/1.export.CSV.zip") == 2  # retried from the state; page: 502
    rep = cycle()
    assert rep.added == 1 and server.hits("/news/a.html") == 2
    assert cycle().fetched == 0 and led.stats()["articles"] == 1


def test_watch_process_runs_until_sigterm(tmp_path):
    """The command itself: runs, stores a file dropped in the folder, stops cleanly on SIGTERM."""
    import signal
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    db = str(tmp_path / "w.db")
    exe = shutil.which("armsledger")
    cmd = [exe] if exe else [sys.executable, "-m", "armsledger.serve.cli"]
    proc = subprocess.Popen([*cmd, "watch", str(folder), "--db", db, "--interval", "120", "--timeout", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "w.db").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        shutil.copy(EXAMPLES / "04-gulf-denial.txt", folder / "x.txt")
        while time.monotonic() < deadline:
            try:
                if Ledger(db, create=False).stats()["articles"] == 1:
                    break
            except Exception:
                pass
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "1 article(s) added" in out
    assert count_articles(db) == 1
