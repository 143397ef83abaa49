"""Ingest: files, folders, web pages, JSON Lines and feeds → Article.

    from armsledger.ingest import read_paths, IngestError
    for item in read_paths(["articles/", "more.jsonl"], published="2022-04-19"):
        if isinstance(item, IngestError):
            print(item)          # "path[:line]: reason"
        else:
            ...                  # an armsledger.models.Article

Nothing here raises for a bad input; each one is yielded as an IngestError.
"""
from .feed import read_feed
from .files import decode_bytes, read_path, read_paths
from .header import IngestError, normalise_date, read_text, split_header
from .html import read_html
from .jsonl import read_jsonl

__all__ = ["IngestError", "read_path", "read_paths", "read_text", "read_html", "read_jsonl",
           "read_feed", "normalise_date", "split_header", "decode_bytes"]
