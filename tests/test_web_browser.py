"""A real browser over the workbench: Debian's headless Chromium driven by Playwright.

Opens the ledger, a deal, an article and the review queue of a ledger built from the example
articles (plus one hostile article); checks the evidence highlights, that accepting and
correcting a claim changes the ledger, and that an article holding a script tag shows it as
text and runs nothing. Screenshots go to ``test-artifacts/browser/`` (or
``$ARMSLEDGER_TEST_ARTIFACTS``). Skipped, with the reason, only when no Chromium is installed.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ARMSLEDGER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: install Debian's 'chromium' package "
                                                        "(.ci/run does) to run the browser test")

ARTIFACTS = Path(os.environ.get("ARMSLEDGER_TEST_ARTIFACTS")
                 or Path(__file__).resolve().parents[1] / "test-artifacts" / "browser")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from armsledger.serve.web import create_app

    from _webutil import TOKEN, build_ledger

    db, _ = build_ledger(tmp_path_factory.mktemp("browser"))
    app = create_app(db, token=TOKEN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started:
        if time.time() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", TOKEN
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def ghana_row(page):
    return page.locator("tr.deal-row", has=page.locator("a[title='Ghana']"))


def test_workbench_in_a_real_browser(server, browser):
    base, token = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))

    # the ledger
    page.goto(base + "/")
    assert page.locator("tr.deal-row").count() == 7
    assert page.locator("section.facet[data-facet='supplier'] li").count() >= 4
    assert ghana_row(page).locator("td.reviewed").inner_text() == "0/5"
    delivered_before = ghana_row(page).locator("td.qty-delivered").inner_text()
    shot(page, "01-ledger")

    # a deal: claims side by side, contradictions highlighted, timeline drawn
    ghana_row(page).locator("a.deal-link").click()
    page.wait_for_load_state()
    assert page.locator("article.claim-card").count() == 5
    assert page.locator("article.claim-card.contradicted").count() >= 2
    assert page.locator("svg.timeline circle").count() >= 3
    assert page.locator(".contradiction").count() >= 1
    shot(page, "02-deal")
    deal_url = page.url

    # an article with its evidence highlighted and labelled by field
    page.locator("article.claim-card a", has_text="evidence in the text").first.click()
    page.wait_for_load_state()
    marks = page.locator("#article-text mark.ev")
    assert marks.count() >= 10
    qty = page.locator("#article-text mark.f-quantity").first
    assert qty.inner_text() in ("four", "five", "six", "two")
    assert "quantity" in qty.get_attribute("title")
    bg = qty.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded under the CSP
    assert page.locator(".legend .ev").count() >= 5
    shot(page, "03-article")

    # reviews need a reviewer and a token: saved once in the page header
    page.fill("#reviewer-name", "Browser Tester")
    page.fill("#reviewer-token", token)
    page.click("#reviewer-form button")

    # accept a claim on the deal page: the ledger counts it as reviewed
    page.goto(deal_url)
    card = page.locator("article.claim-card").first
    with page.expect_navigation():
        card.locator("button.btn-accept").click()
    assert "accepted" in page.locator("article.claim-card").first.locator(".status").inner_text()
    page.goto(base + "/")
    assert ghana_row(page).locator("td.reviewed").inner_text() == "1/5"

    # correct the quantity of a delivery: the ledger's delivered total changes
    page.goto(deal_url)
    delivered = page.locator("article.claim-card", has=page.locator(".badge.stage-delivered")).nth(1)
    delivered.locator("details.correct summary").click()
    delivered.locator("select[name=field]").select_option("quantity")
    delivered.locator("input[name=value]").fill("1")
    with page.expect_navigation():
        delivered.locator("button.btn-correct").click()
    assert page.locator("ul.corrections").count() == 1
    assert page.locator("article.claim-card .status-corrected").count() == 1
    shot(page, "04-deal-after-review")
    page.goto(base + "/")
    assert ghana_row(page).locator("td.reviewed").inner_text() == "2/5"
    assert ghana_row(page).locator("td.qty-delivered").inner_text() != delivered_before

    # the review queue: accepting the first claim takes it off the queue
    page.goto(base + "/review")
    items = page.locator("li.queue-item")
    n = items.count()
    assert n >= 1
    first = items.first.get_attribute("data-claim")
    shot(page, "05-review-queue")
    with page.expect_navigation():
        items.first.locator("button.btn-accept").click()
    assert first not in [e.get_attribute("data-claim") for e in page.locator("li.queue-item").all()]

    # the flows page draws its charts
    page.goto(base + "/flows")
    assert page.locator("svg.flows path.band").count() >= 4  # server-drawn, for pages without JavaScript
    assert page.locator("svg.years rect").count() >= 4
    # the bundled Chart.js draws the Sankey and the year bars (scripts from this site only, under the CSP)
    page.wait_for_function("document.body.dataset.charts === 'drawn'", timeout=10_000)
    assert page.locator("canvas#flows-sankey").is_visible() and page.locator("canvas#flows-years").is_visible()
    assert not page.locator(".chart-fallback").first.is_visible()
    shot(page, "06-flows")

    # an article holding <script>, <img onerror> and javascript: links shows them as text
    page.goto(base + "/?recipient=NER")
    page.locator("a.deal-link").first.click()
    page.wait_for_load_state()
    assert "<img src=x" in page.locator("dd.outlet").first.inner_text()
    page.locator("article.claim-card a", has_text="evidence in the text").first.click()
    page.wait_for_load_state()
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__xss=3</script>" in text and 'onerror="window.__xss=4"' in text
    assert "<script>" in page.locator("h1").inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script").count() == 1  # only /static/app.js
    assert page.locator("main img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    shot(page, "07-hostile-article")

    assert not dialogs, dialogs
    assert not errors, errors
    page.close()
