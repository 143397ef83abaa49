"""Shared by the web tests: a ledger built from the example articles plus one hostile article."""
from __future__ import annotations

import shutil
from pathlib import Path

import armsledger
from armsledger.api import Ledger

EXAMPLES = Path(armsledger.__file__).parent / "examples"
TOKEN = "test-token-123"

# an article whose metadata and text carry markup and script: it must show as text and run nothing
HOSTILE = """url: javascript:alert(1)
title: <script>window.__xss=1</script>Niger gets <b>drones</b>
published: 2024-03-01
outlet: <img src=x onerror="window.__xss=2">
---
Niger received four Bayraktar TB2 drones from Turkey on Monday, the defence ministry said <script>window.__xss=3</script> in a statement.

The ministry added <img src=x onerror="window.__xss=4"> that more could follow; see <a href="javascript:alert(1)">the statement</a>.
"""


def build_articles(folder: Path) -> Path:
    """The example articles and the hostile one, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in EXAMPLES.iterdir():
        if p.is_file():
            shutil.copy(p, folder / p.name)
    (folder / "06-hostile.txt").write_text(HOSTILE, encoding="utf-8")
    return folder


def build_ledger(tmp: Path, db: Path | str | None = None) -> tuple[Path | str, Path]:
    """(db, articles folder) of a fresh ledger over the articles: in ``db`` (an SQLite path or a
    PostgreSQL URL of an empty database), by default ``tmp/ledger.db``."""
    arts = build_articles(tmp / "articles")
    db = tmp / "ledger.db" if db is None else db
    led = Ledger(db)
    report = led.ingest([arts])
    assert report.added == 6 and not report.errors, report.summary()
    led.store.close()
    return db, arts


def hostile_article_id(client) -> str:
    for d in client.get("/api/deals", params={"recipient": "NER"}).json()["deals"]:
        deal = client.get(f"/api/deals/{d['id']}").json()
        return deal["claims"][0]["article"]["id"]
    raise AssertionError("the hostile article gave no deal")
