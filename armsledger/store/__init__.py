"""Storage backends. :class:`Store` is the SQLite one (the default)."""
from .sqlite import SCHEMA_VERSION, Store

__all__ = ["Store", "SCHEMA_VERSION"]
