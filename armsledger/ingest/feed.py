"""RSS 2.0 / RSS 1.0 (RDF) / Atom feed files → one Article per item.

Each item's text is its full content (``content:encoded`` or Atom ``content``)
or else its ``description``/``summary``, converted from HTML to plain text with
paragraph breaks. Title, link and date come from the item; the outlet is the
item's ``<source>`` or else the feed's own title. An item's path is
"file:LINE", LINE being where the item starts in the file.
"""
from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator

from ..models import Article
from .header import IngestError, clean_value, normalise_date

_FEED_START = re.compile(
    r"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:[\w.-]+:)?(rss|feed|RDF)[\s>/]",
    re.S | re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HAS_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_WS = re.compile(r"\s+")

_BLOCKS = {"p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl", "dt",
           "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer",
           "figure", "figcaption", "hr", "aside", "main", "body", "address"}
_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg"}
_CONTENT_KEYS = ("encoded", "content", "description", "summary")
_DATE_KEYS = ("pubdate", "published", "date", "issued", "created", "updated", "modified")


def looks_like_feed(text: str) -> bool:
    """True when the content's root element is <rss>, <feed> or <rdf:RDF>."""
    return bool(_FEED_START.match(text[:8192].lstrip("\ufeff")))


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comment or processing instruction
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _walk(el, out: list[str], root: bool = False) -> None:
    tag = _local(el)
    if tag and tag not in _SKIP:
        if tag == "br":
            out.append("\n")
        block = tag in _BLOCKS
        if block:
            out.append("\n\n")
        if el.text:
            out.append(_WS.sub(" ", el.text))
        for child in el:
            _walk(child, out)
        if block:
            out.append("\n\n")
    if el.tail and not root:
        out.append(_WS.sub(" ", el.tail))


def element_text(el) -> str:
    """Plain text of an (X)HTML element tree, one paragraph per block."""
    out: list[str] = []
    _walk(el, out, root=True)
    lines = [ln.strip() for ln in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_fragment_text(fragment: str) -> str:
    """Plain text of a string that may hold HTML markup (as feeds' content does)."""
    if not _HAS_TAG.search(fragment):
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # not parseable as HTML: keep it as it is
        return fragment.strip()
    return element_text(root)


def _children(item, name: str) -> list:
    return [c for c in item if _local(c) == name]


def _first_text(item, names) -> str | None:
    for name in names:
        for child in _children(item, name):
            value = clean_value("".join(child.itertext()))
            if value:
                return value
    return None


def _content_text(item) -> str:
    for name in _CONTENT_KEYS:
        for child in _children(item, name):
            if len(child):  # Atom type="xhtml": markup as child elements
                text = element_text(child)
            else:
                text = html_fragment_text(child.text or "")
            if text.strip():
                return text
    return ""


def _link(item) -> str | None:
    for child in _children(item, "link"):
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return clean_value(href)
        if not href and child.text and child.text.strip():
            return clean_value(child.text)
    for child in _children(item, "guid"):
        if child.get("isPermaLink", "true").lower() == "true" and child.text \
                and child.text.strip().startswith(("http://", "https://")):
            return child.text.strip()
    rdf_about = next((v for k, v in item.attrib.items() if k.endswith("about")), None)
    return clean_value(rdf_about)


def _date(item) -> str | None:
    for name in _DATE_KEYS:
        for child in _children(item, name):
            raw = (child.text or "").strip()
            if not raw:
                continue
            try:  # RFC 822, as RSS 2.0 has it; keep the day as the publisher wrote it
                return email.utils.parsedate_to_datetime(raw).date().isoformat()
            except (TypeError, ValueError, IndexError):
                pass
            day = normalise_date(raw)
            if day:
                return day
    return None


def _parse(text: str):
    from lxml import etree

    body = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    strict = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(body, strict)
    except etree.XMLSyntaxError as exc:
        lenient = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                  recover=True)
        root = etree.fromstring(body, lenient)
        if root is None:
            raise ValueError(f"not well-formed XML: {exc}") from exc
        return root


def read_feed(text: str, path: str, published: str | None = None,
              outlet: str | None = None) -> Iterator[Article | IngestError]:
    """Articles (and per-item errors) from the decoded content of a feed file."""
    try:
        root = _parse(text)
    except Exception as exc:
        yield IngestError(path, f"feed could not be parsed: {exc}")
        return
    items = [el for el in root.iter() if _local(el) in ("item", "entry")]
    if not items:
        yield IngestError(path, "feed with no items")
        return
    channel = next((el for el in root.iter() if _local(el) == "channel"), root)
    feed_title = _first_text(channel, ["title"])
    for item in items:
        line = item.sourceline
        text_ = _content_text(item)
        if not text_.strip():
            if line:
                yield IngestError(path, f"line {line}: feed item with no text", line)
            else:
                yield IngestError(path, "feed item with no text")
            continue
        yield Article(
            text=text_,
            url=_link(item),
            title=_first_text(item, ["title"]),
            outlet=_first_text(item, ["source"]) or feed_title or clean_value(outlet),
            published=_date(item) or normalise_date(published),
            path=f"{path}:{line}" if line else path,
        )
