"""Continuous ingest: ``armsledger watch`` (folders, RSS/Atom feeds, URL lists, GDELT 2.0)."""
from .core import Watcher, WatchReport, page_article
from .fetch import Fetcher, Response
from .state import WatchState

__all__ = ["Watcher", "WatchReport", "WatchState", "Fetcher", "Response", "page_article"]
