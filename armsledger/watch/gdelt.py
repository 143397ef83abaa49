"""GDELT 2.0: the ``lastupdate.txt`` index, its zipped CSVs, and the article URLs worth fetching.

GDELT lists every news article it sees, hundreds of thousands a day; almost none
are about arms transfers. The events file codes each event with CAMEO, and the
GKG file tags each article with themes, so both can be cut down to the few
source URLs that may report a transfer before anything is fetched.

* events (``*.export.CSV.zip``): 61 tab-separated columns; EventCode is
  column 26 (0-based) and SOURCEURL column 60.
* GKG 2.1 (``*.gkg.csv.zip``): DocumentIdentifier is column 4, V1Themes
  column 7 and V2EnhancedThemes column 8 (``THEME,offset;...``).
* ``lastupdate.txt``: lines of ``size md5 url``.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator

# CAMEO codes of military cooperation and military aid (what an arms transfer is coded as):
# 0312 intend military cooperation, 0332 intend military aid, 062 cooperate militarily,
# 072 provide military aid, 0212/0232 appeal for military cooperation/aid
ARMS_EVENT_CODES = frozenset({"0312", "0332", "062", "072", "0212", "0232"})
# GKG themes (a theme matches when it starts with one of these). Both names occur in real GKG 2.1 theme
# fields ("MILITARY_COOPERATION"; "TAX_WEAPONS", "TAX_WEAPONS_FIREARMS", ...), checked 2026-12-02 against
# public code and data that quote GKG rows; GDELT's own themes lookup file could not be read here. Two
# names listed before ("ARMSTRADE", "WB_2433_CONFLICT_AND_VIOLENCE_ARMS") occur in none of them and were
# dropped. TAX_WEAPONS is broad (firearms, bombs): a pre-filter, extraction decides what is a transfer.
ARMS_THEMES = ("MILITARY_COOPERATION", "TAX_WEAPONS")

EVENT_CODE_COL, EVENT_URL_COL, EVENT_COLUMNS = 26, 60, 61
GKG_URL_COL, GKG_THEMES_COL, GKG_V2THEMES_COL = 4, 7, 8

csv.field_size_limit(16 * 1024 * 1024)  # GKG rows carry long fields


def index_urls(text: str) -> list[str]:
    """The data-file URLs of a ``lastupdate.txt`` (or ``masterfilelist.txt``), events and GKG only."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        url = parts[-1]
        if url.lower().endswith((".export.csv.zip", ".gkg.csv.zip")):
            out.append(url)
    return out


def _rows(data: bytes) -> Iterator[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            with z.open(name) as fh:
                text = io.TextIOWrapper(fh, encoding="utf-8", errors="replace", newline="")
                yield from csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)


def _themed(field: str, themes: tuple[str, ...]) -> bool:
    for item in field.split(";"):
        name = item.split(",", 1)[0].strip()
        if name and name.startswith(themes):
            return True
    return False


def source_urls(name: str, data: bytes, codes: Iterable[str] = ARMS_EVENT_CODES,
                themes: tuple[str, ...] = ARMS_THEMES) -> list[str]:
    """The distinct article URLs of a zipped GDELT file that match the arms codes or themes,
    in file order. ``name`` (the file's URL) says which kind of file it is."""
    codes = frozenset(codes)
    gkg = name.lower().endswith(".gkg.csv.zip")
    seen: dict[str, None] = {}
    for row in _rows(data):
        if gkg:
            if len(row) <= GKG_THEMES_COL:
                continue
            url = row[GKG_URL_COL].strip()
            fields = row[GKG_THEMES_COL] + ";" + (row[GKG_V2THEMES_COL] if len(row) > GKG_V2THEMES_COL else "")
            hit = _themed(fields, themes)
        else:
            if len(row) < EVENT_COLUMNS:
                continue
            url = row[EVENT_URL_COL].strip()
            hit = row[EVENT_CODE_COL].strip() in codes
        if hit and url.startswith(("http://", "https://")):
            seen.setdefault(url, None)
    return list(seen)
