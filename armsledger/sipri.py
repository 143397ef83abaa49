"""Country names as the SIPRI trade register writes them ("Turkiye", "UAE", "Viet Nam").

One table (data/sipri_countries.json) serves the export, the reconciliation and the catalog
generator, so a spelling fixed once is fixed everywhere.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = json.loads((resources.files("armsledger") / "data" / "sipri_countries.json").read_text(encoding="utf-8"))
    names: dict[str, str] = data["names"]
    code_to_name = {}
    for name, code in names.items():
        code_to_name.setdefault(code, name)
    lookup = {k.lower(): v for k, v in {**names, **data.get("aliases", {})}.items()}
    return names, code_to_name, lookup


def sipri_names() -> dict[str, str]:
    """SIPRI spelling → ISO3."""
    return _table()[0]


def name_of(code: str) -> str | None:
    """The SIPRI spelling of an ISO3 code, if the register uses one."""
    return _table()[1].get(code)


def code_of(name: str | None) -> str | None:
    """ISO3 for a SIPRI spelling or a common alias (case-insensitive), else None."""
    if not name:
        return None
    return _table()[2].get(name.strip().lower())
