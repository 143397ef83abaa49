"""JSON Lines → Articles: one JSON object per line.

Each object needs ``text`` and may have ``url``, ``title``, ``published`` and
``outlet``; other keys are ignored. Blank lines are skipped. A bad line is an
IngestError naming the file and line; the good lines still come through.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from ..models import Article
from .header import IngestError, article_from


def record_to_article(record: object, path: str, line: int, published: str | None = None,
                      outlet: str | None = None) -> Article | IngestError:
    """One decoded JSON value → Article (path "file:LINE") or IngestError."""
    if not isinstance(record, dict):
        kind = type(record).__name__ if record is not None else "null"
        return IngestError(path, f"line {line}: expected a JSON object, got {kind}", line)
    text = record.get("text")
    if text is None:
        return IngestError(path, f"line {line}: no 'text' field", line)
    if not isinstance(text, str):
        return IngestError(path, f"line {line}: 'text' is not a string", line)
    if not text.strip():
        return IngestError(path, f"line {line}: 'text' is empty", line)
    return article_from(text, record, f"{path}:{line}", published, outlet)


def read_jsonl(text: str, path: str, published: str | None = None,
               outlet: str | None = None) -> Iterator[Article | IngestError]:
    """Articles and per-line errors from the decoded content of a .jsonl file."""
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.strip().lstrip("\ufeff")
        if not raw:
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield IngestError(path, f"line {number}: invalid JSON: {exc.msg} (column {exc.colno})",
                              number)
            continue
        yield record_to_article(record, path, number, published, outlet)
