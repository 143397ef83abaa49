"""Filter values as a user writes them → the values stored in the ledger.

The CLI and the Python API resolve filters through these functions, so
``armsledger ledger --recipient Mali`` and ``Ledger.ledger(recipient="Mali")``
select the same deals. A value that names nothing known raises
:class:`~armsledger.errors.UnknownValue` with the closest known values as
suggestions, instead of silently selecting nothing.
"""
from __future__ import annotations

import difflib
from typing import Iterable

from .errors import UnknownValue, UsageError
from .models import STAGES

MIN_YEAR, MAX_YEAR = 1, 9999
MAX_LIMIT = 10 ** 12


def _suggest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest candidates to ``value`` (case-insensitive), as written in ``candidates``."""
    by_lower: dict[str, str] = {}
    for c in candidates:
        if c:
            by_lower.setdefault(c.lower(), c)
    hits = difflib.get_close_matches(value.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[h] for h in hits]


def resolve_actor(value: str | None, known: Iterable[str] = (), kind: str = "country or actor") -> str | None:
    """"Mali", "Malian", "mli" or "MLI" → "MLI"; a company or group → its canonical name.

    ``known`` are the supplier/recipient values stored in the ledger: a value equal
    to one of them (any case) is kept as stored, so non-state actors work too.
    """
    if value is None:
        return None
    name = str(value).strip()
    if not name:
        return None
    known = [k for k in known if k]
    for k in known:
        if k.lower() == name.lower():
            return k
    from .gazetteer import Gazetteer

    gaz = Gazetteer.default()
    actor = gaz.lookup(name)
    if actor is None and len(name) == 3 and name.isalpha():
        actor = gaz.country(name.upper())
    if actor is not None:
        return actor.country if actor.kind == "state" and actor.country else actor.code
    names = [a.name for a in gaz.actors()] + known
    raise UnknownValue(kind, name, _suggest(name, names))


def resolve_stage(value: str | None) -> str | None:
    """"Delivered" → "delivered"; anything that is not a stage raises UnknownValue."""
    if value is None or not str(value).strip():
        return None
    s = str(value).strip().lower()
    if s in STAGES:
        return s
    raise UnknownValue("stage", value, _suggest(s, STAGES), choices=list(STAGES))


def category_choices() -> list[str]:
    """The coarse category groups a ``--category`` filter accepts besides exact categories."""
    from .resolve.deals import GROUPS

    return list(GROUPS)


def resolve_category(value: str | None, known: Iterable[str] = ()) -> str | None:
    """A coarse group ("helicopter", "helicopters") or an exact SIPRI-style category
    ("combat helicopter", any case) as stored; anything else raises UnknownValue.

    ``known`` are the categories stored in the ledger; the equipment catalog's
    categories are accepted too (a valid category the ledger lacks selects nothing).
    """
    if value is None or not str(value).strip():
        return None
    from .resolve.deals import _EXACT_GROUP

    cat = str(value).strip()
    if cat.lower() in _EXACT_GROUP:
        return cat.lower()
    known = [k for k in known if k]
    for k in known:
        if k.lower() == cat.lower():
            return k
    from .catalog import Catalog

    catalog = Catalog.default()
    cats = {c for c in (catalog.category_of(f) for f in catalog.families()) if c}
    for k in cats:
        if k.lower() == cat.lower():
            return k
    raise UnknownValue("category", value, _suggest(cat, [*_EXACT_GROUP, *known, *cats]),
                       choices=category_choices())


def check_int(name: str, value: object, lo: int, hi: int) -> int | None:
    """``value`` as an int within [lo, hi], or UsageError naming the option."""
    if value is None or value == "":
        return None
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise UsageError(f"{name}: {value!r} is not a whole number") from None
    if not lo <= n <= hi:
        raise UsageError(f"{name}: {value} is out of range ({lo} to {hi})")
    return n
