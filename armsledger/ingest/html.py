"""Saved web pages → Article, via trafilatura's main-text extraction."""
from __future__ import annotations

import re

from ..models import Article
from .header import IngestError, clean_value, normalise_date

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_WORD = re.compile(r"\w+")
_LINES = re.compile(r"\n+")
MIN_WORDS_IN_A_LINE = 4  # below this everywhere, the "text" is menus and buttons


def looks_like_html(text: str) -> bool:
    """True when the content starts like an HTML document."""
    return bool(_HTML_START.match(text[:4096].lstrip("\ufeff")))


def _has_article_text(text: str) -> bool:
    return any(len(_WORD.findall(line)) >= MIN_WORDS_IN_A_LINE for line in text.split("\n"))


def read_html(html: str, path: str | None = None, published: str | None = None,
              outlet: str | None = None) -> Article | IngestError:
    """The page's main text and metadata, or an IngestError when it has none.

    The date is only what the page states (meta tags, time elements, the URL);
    a page without one gets ``published=None`` or the caller's ``published``.
    """
    from trafilatura import bare_extraction  # heavy import, only when needed

    try:
        doc = bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml give up on some malformed pages
        return IngestError(path or "<html>", f"HTML page could not be parsed: {exc}")
    text = (doc.text or "") if doc is not None else ""
    if not text.strip() or not _has_article_text(text):
        return IngestError(path or "<html>", "HTML page with no article text")
    return Article(
        text=_LINES.sub("\n\n", text),  # trafilatura puts one paragraph per line
        url=clean_value(doc.url),
        title=clean_value(doc.title),
        outlet=clean_value(doc.sitename) or clean_value(outlet),
        published=normalise_date(doc.date) or normalise_date(published),
        path=path,
    )
