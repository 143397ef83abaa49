"""The header text format, date normalisation and the shared error type.

A header file looks like::

    url: https://example.org/news/1
    title: Something happened
    published: 2022-04-19
    outlet: Example News
    ---
    The body of the article...

Keys are case-insensitive; unknown keys are ignored; "unknown" or an empty
value means None. A file whose first non-blank lines are not ``key: value``
lines followed by a ``---`` line (an opening ``---`` as in front matter is
allowed) is plain text: the whole of it is the body.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from ..models import Article
from ..validate import year_ok

KNOWN_KEYS = ("url", "title", "published", "outlet")
MAX_HEADER_LINES = 40
UNKNOWN_VALUES = {"", "unknown", "none", "null", "n/a", "na", "-"}

_KEY_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_ -]{0,40}):(.*)$")
_SEPARATOR = re.compile(r"^-{3,}\s*$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_PARTIAL_ONLY = re.compile(r"^\d{4}(?:-\d{1,2})?$")  # "2022" or "2022-04": no day


@dataclass
class IngestError:
    """One input that could not be read, with the reason in plain words."""
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.reason}"
        # the reason may already say "line N: ..." (it is also shown alone)
        reason = re.sub(rf"^line {self.line}:\s*", "", self.reason)
        return f"{self.path}:{self.line}: {reason}"


# Fixed settings: no relative dates ("yesterday" has no meaning in an archive),
# no dependence on today's date, and only a full day counts.
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
    "RELATIVE_BASE": _dt.datetime(2000, 1, 1),
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


def normalise_date(value: object) -> str | None:
    """A published value as ISO "YYYY-MM-DD", or None when unknown or partial.

    "2022-04-19", "2022-04-19T10:00:00Z", "April 19, 2022" and "19 April 2022"
    all give "2022-04-19"; "2022-04", "April 2022", "2022", "unknown" and
    anything unparseable give None (a partial date is not a day). A year outside
    MIN_YEAR..MAX_YEAR of armsledger.validate (1900-2100: "0001-01-01",
    "9999-12-31") gives None too: the article is kept, undated.
    """
    iso = _normalise_date(value)
    if iso is not None and not year_ok(iso):
        return None
    return iso


def _normalise_date(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.lower() in UNKNOWN_VALUES or _PARTIAL_ONLY.match(text):
        return None
    m = _ISO_DAY.match(text)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    import dateparser  # slow import, only when a non-ISO date turns up

    for languages in (["en"], None):
        try:
            parsed = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
        except Exception:  # dateparser raises assorted errors on odd input
            parsed = None
        if parsed is not None:
            return parsed.date().isoformat()
    return None


def clean_value(value: object) -> str | None:
    """A metadata value as a stripped string, or None for unknown/empty."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return None if text.lower() in UNKNOWN_VALUES else text


def split_header(text: str) -> tuple[dict[str, str], str] | None:
    """Split ``text`` into (header fields, body), or None if it has no header.

    Header keys are lower-cased with spaces/dashes turned into underscores.
    """
    lines = text.lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and _SEPARATOR.match(lines[i]):  # YAML-style front matter "---"
        i += 1
    fields: dict[str, str] = {}
    start = i
    while i < len(lines) and i - start <= MAX_HEADER_LINES:
        line = lines[i].rstrip("\r")
        if _SEPARATOR.match(line):
            if not fields or not any(k in fields for k in KNOWN_KEYS):
                return None
            return fields, "\n".join(lines[i + 1:])
        m = _KEY_LINE.match(line)
        if not m:
            return None
        key = re.sub(r"[ -]+", "_", m[1].strip().lower())
        fields.setdefault(key, m[2].strip())
        i += 1
    return None


def read_text(text: str, path: str | None = None, published: str | None = None,
              outlet: str | None = None) -> Article:
    """An Article from an in-memory string in the header format or plain text.

    ``published`` and ``outlet`` fill in what the text's own header lacks.
    Raises ValueError when there is no article text.
    """
    split = split_header(text)
    fields, body = split if split is not None else ({}, text)
    if not body.strip():
        raise ValueError("no article text after the header" if split else "empty text")
    return article_from(body, fields, path, published, outlet)


def article_from(body: str, fields: dict, path: str | None, published: str | None = None,
                 outlet: str | None = None) -> Article:
    """An Article from its text and metadata fields; the caller's published/outlet fill gaps only."""
    return Article(
        text=body,
        url=clean_value(fields.get("url")),
        title=clean_value(fields.get("title")),
        outlet=clean_value(fields.get("outlet")) or clean_value(outlet),
        published=normalise_date(fields.get("published")) or normalise_date(published),
        path=path,
    )
