"""Find date expressions in a sentence and resolve them against a publication date.

Everything is rule based (compiled regular expressions + ``datetime`` arithmetic).
dateparser is deliberately not used: it costs ~700 µs a call and
its relative-date behaviour has quirks (bare months go to the future, a weekday
equal to the base weekday jumps back a week, missing fields are filled from the
base date).  The rules here cover what news text uses in practice.

Public API::

    find_dates(text, published) -> list[DateMention]
    resolve(expr, published)    -> (value, granularity) | None

``published`` is ``"YYYY-MM-DD"`` (a longer ISO string is cut to its first 10
characters) or ``None``.  Values are ``"YYYY-MM-DD"`` (granularity ``"day"``),
``"YYYY-MM"`` (``"month"``) or ``"YYYY"`` (``"year"``).

Conventions (publication date ``pub``):

* weekday ("Monday", "on Monday", "last Monday"): the most recent such day on or
  before ``pub`` ("last <weekday>" strictly before); "next Monday" is after.
* month + day without year: the most recent such date not after ``pub + 7 days``.
* month alone (needs a preposition/modifier: "in May", "since December",
  "late March"): the most recent such month starting on or before ``pub + 7 days``;
  "since/from/after" take the most recent month not after ``pub``'s month;
  "by/until" take the next such month on or after ``pub``'s month.
* "last week" / "this week" / "next week": month of ``pub - 7d`` / ``pub`` / ``pub + 7d``.
* "(over|in|within) the next N months", "within N months": month of ``pub + N months``
  (days/weeks also give a month, years give a year); "in the coming weeks/days":
  ``pub``'s month.
* "the weekend" / "last weekend": the Saturday before ``pub``.
* quarters, halves and early/mid/late of a year resolve to the year.

``relative`` is True when the value depends on ``pub``; without ``pub`` such
mentions have ``value`` and ``granularity`` None.  ``future`` is True when the
period starts after ``pub``, or when the expression looks forward (next, coming,
by, until, later, end of, late ...) and the period ends after ``pub``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "find_dates", "resolve"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str | None
    granularity: str | None
    relative: bool
    future: bool


# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------

_MONTH_NUM = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAY_NUM = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "eighteen": 18, "twenty": 20, "thirty": 30,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "several": 3,
}

# Month names are case sensitive (capitalised): "march"/"may" are not months.
# Abbreviations ("Sept.", "Nov") only count with a day or a year.
_FULL_MONTH = (r"(?:January|February|March|April|May|June|July|August|September"
               r"|October|November|December)\b")
_ANY_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September"
              r"|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep"
              r"|Oct|Nov|Dec)\b\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20[0-3]\d)"
_NUM = (r"(?:\d{1,3}|(?i:a couple of|couple of|a few|few|several|an|a|one|two|three"
        r"|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty))")
_UNIT = r"(?i:days?|weeks?|months?|years?)"

# Quantity words after a 4-digit number make it a count rather than a year.
_YEAR_FOLLOW_BAD = (r"\s?(?:bn|mn|m|million|billion|km|kg|lb|lbs|tons|tonnes|troops"
                    r"|soldiers|people|personnel|units|rounds|shells|missiles|men"
                    r"|metres|meters|miles|feet|ft|hours|kilometres|kilometers"
                    r"|vehicles|tanks|pieces|items)\b")
# ... and so do these words just before it ("some 2000", "more than 2019").
_YEAR_PREV_BAD = frozenset({
    "about", "around", "some", "nearly", "almost", "roughly", "approximately", "than",
    "least", "only", "just", "over", "under", "total", "number", "no", "nos", "model",
    "type", "circa", "to", "up",
})
# A capitalised word right before a bare 4-digit number is usually a model name
# ("PzH 2000", "Mirage 2000", "Vision 2030"), except for these.
_CAP_OK_BEFORE_YEAR = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
    "those", "between", "and", "or", "of", "until", "before", "after", "from",
    "through", "since", "during", "by", "in", "on", "at", "for", "to", "with",
    "fiscal", "year", "both", "also", "but", "then", "as", "not", "while", "when",
    "unlike", "like", "against", "around", "about",
})

_F = re.compile

# Core patterns: each starts with a literal-ish token (month name, digit,
# weekday, keyword) so the regex engine can skip quickly.  Leading prepositions
# and modifiers ("in", "since", "late", "the end of", "Q1", "last") are found
# afterwards by _PREFIX on the text just before the match.
_P_ISO = _F(r"(?P<y>" + _YEAR + r")-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?![\dA-SU-Za-z_\-])")
_P_MDY = _F(r"(?P<mon>" + _ANY_MONTH + r")\s*(?P<d>" + _DAY + r")(?!\d),?\s+(?P<y>"
            + _YEAR + r")(?![\w%])")
_P_DMY = _F(r"(?P<d>" + _DAY + r")\s+(?:of\s+)?(?P<mon>" + _ANY_MONTH + r"),?\s+(?P<y>"
            + _YEAR + r")(?![\w%])")
_P_MD = _F(r"(?P<mon>" + _ANY_MONTH + r")\s*(?P<d>" + _DAY
           + r")(?![\d:]|\s*(?:%|per\s*cent))")
_P_DM = _F(r"(?P<d>" + _DAY + r")\s+(?:of\s+)?(?P<mon>" + _ANY_MONTH + r")")
_P_MY = _F(r"(?P<mon>" + _ANY_MONTH + r"),?\s+(?:of\s+)?(?P<y>" + _YEAR + r")(?![\w%])")
_P_MRY = _F(r"(?P<mon>" + _FULL_MONTH + r")\s+(?:of\s+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)"
            r"\s+year\b")
_P_MON = _F(r"(?P<mon>" + _FULL_MONTH + r")")
_P_YEAR = _F(r"(?P<y>" + _YEAR + r")(?![\w%$€£]|[.,:]\d|[\-–][A-Za-z]|['’]s\b|"
             + _YEAR_FOLLOW_BAD + r")")
# "last month", "this year"; "the end of the month" is this month
_P_REL = _F(r"(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)|(?:(?<=end of )|(?<=start of )|(?<=rest of )|(?<=close of )|(?<=middle of )|(?<=beginning of )"
            r"|(?<=course of ))(?P<the>the))\s+(?P<unit>[Ww]eek|[Mm]onth|[Yy]ear)\b"
            r"(?![\-–])")
_P_AGO = _F(r"\b(?P<n>" + _NUM + r")\s+(?P<unit>" + _UNIT + r")\s+(?i:ago)\b")
_P_NEXT = _F(r"\b(?:(?i:over|in|within|during|for)\s+the\s+(?P<rel>(?i:next|coming"
             r"|following))\s+(?:(?P<n>" + _NUM + r")\s+)?|(?i:within)\s+(?P<n2>" + _NUM
             + r")\s+)(?P<unit>" + _UNIT + r")\b")
_P_WD = _F(r"(?P<wd>" + _WEEKDAY + r")")
_P_WE = _F(r"\b(?:(?i:over|at|during|on)\s+)?(?P<rel>(?i:the|last|this|next))\s+"
           r"(?i:weekend)\b")
_P_WORD = _F(r"\b(?P<w>(?i:yesterday|today|tonight|tomorrow))\b")

# What may stand before a core match, read backwards from its start.
_PREFIX = _F(
    r"(?i)(?:\b(?P<prep>in|on|since|by|until|till|from|through|throughout|during"
    r"|before|after|as of|as early as|as late as|starting|beginning)\s+)?"
    r"(?:\b(?P<mod>early|late|mid|end|earlier|later)(?:\s+|-)"
    r"|\b(?P<mod2>(?:the\s+)?(?:end|beginning|start|middle|close|first half|second half"
    r"|(?:first|second|third|fourth|last|final) quarter|spring|summer|autumn|fall"
    r"|winter)\s+of\s+|(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+)"
    r"|\b(?P<q>[QH][1-4])\s*)?"
    r"(?:\b(?P<the>the)\s+)?"
    r"(?:\b(?P<rel>last|this|next|past)\s+)?$")
_PREFIX_WINDOW = 48

_DIGIT = _F(r"\d")
_MONTH_HINT = _F(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_FOURDIGITS_DASH = _F(r"\d{4}[\-–]$")

_FORWARD_PREPS = frozenset({"by", "until", "till", "before"})
_FORWARD_MODS = ("end", "late", "later", "close", "second half", "fourth quarter",
                 "last quarter", "final quarter")


class _Prefix:
    """Preposition / modifier / 'the' / last-this-next found before a core match."""
    __slots__ = ("start", "prep", "mod", "the", "rel")

    def __init__(self, text: str, pos: int):
        lo = max(0, pos - _PREFIX_WINDOW)
        m = _PREFIX.search(text, lo, pos)
        prep = mod = the = rel = None
        start = pos
        if m is not None and m.start() < pos:
            g = m.groupdict()
            prep = " ".join(g["prep"].lower().split()) if g["prep"] else None
            mod = g["mod"] or g["mod2"] or g["q"]
            mod = " ".join(mod.lower().split()) if mod else None
            the = g["the"] is not None
            rel = g["rel"].lower() if g["rel"] else None
            start = m.start()
            if not (prep or mod or rel):  # a lone "the" is not part of the expression
                start = pos
        self.start, self.prep, self.mod, self.the, self.rel = start, prep, mod, the, rel

    @property
    def forward(self) -> bool:
        if self.prep in _FORWARD_PREPS:
            return True
        m = self.mod
        if not m:
            return False
        if m.startswith("the "):
            m = m[4:]
        return m.startswith(_FORWARD_MODS) or m in ("q4", "h2")


# --------------------------------------------------------------------------
# date helpers
# --------------------------------------------------------------------------

def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _period(value: tuple, gran: str) -> tuple[date, date]:
    if gran == "day":
        d = date(*value)
        return d, d
    if gran == "month":
        y, m = value
        return date(y, m, 1), _month_end(y, m)
    (y,) = value
    return date(y, 1, 1), date(y, 12, 31)


def _fmt(value: tuple, gran: str) -> str:
    if gran == "day":
        return "%04d-%02d-%02d" % value
    if gran == "month":
        return "%04d-%02d" % value
    return "%04d" % value


def _num(s: str) -> int | None:
    s = " ".join(s.lower().split())
    if s.isdigit():
        return int(s)
    return _NUM_WORDS.get(s)


def _month_day_recent(mon: int, day: int, pub: date, strict: bool = False) -> tuple | None:
    """Most recent <mon>/<day> not after pub + 7 days (strictly before pub if strict)."""
    limit = pub - timedelta(days=1) if strict else pub + timedelta(days=7)
    for y in range(limit.year, limit.year - 9, -1):
        try:
            d = date(y, mon, day)
        except ValueError:
            continue
        if d <= limit:
            return (y, mon, day)
    return None


def _valid_day(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


# --------------------------------------------------------------------------
# handlers: (match, text, pub, prefix) -> (value|None, gran|None, relative, forward)
# or None to drop the match.  ``prefix`` is a _Prefix or None for families that
# take no prefix.
# --------------------------------------------------------------------------

def _month(m) -> int:
    return _MONTH_NUM[m["mon"].rstrip(".").lower()]


def _day(m) -> int:
    return int(m["d"].rstrip("stndrh"))


def _day_ok_before(text: str, i: int) -> bool:
    """A day number must not be glued to a number, code or amount."""
    return i == 0 or text[i - 1] not in "0123456789$€£.,:/-–" and not text[i - 1].isalpha()


def _h_iso(m, text, pub, pre):
    i = m.start()
    if i and (text[i - 1].isalnum() or text[i - 1] in "-–"):
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid_day(y, mo, d):
        return None
    return (y, mo, d), "day", False, pre.forward


def _h_mdy(m, text, pub, pre):
    if m.start() == m.start("d") and not _day_ok_before(text, m.start()):
        return None
    y, mo, d = int(m["y"]), _month(m), _day(m)
    if not _valid_day(y, mo, d):
        return None
    return (y, mo, d), "day", False, pre.forward


def _h_md(m, text, pub, pre):
    if m.start() == m.start("d") and not _day_ok_before(text, m.start()):
        return None
    mo, d = _month(m), _day(m)
    if not _valid_day(2000, mo, d):  # 2000 is a leap year: Feb 29 allowed
        return None
    if pub is None:
        return None, None, True, False
    if pre.rel == "next":
        for y in range(pub.year, pub.year + 9):
            if _valid_day(y, mo, d) and date(y, mo, d) > pub:
                return (y, mo, d), "day", True, True
        return None
    v = _month_day_recent(mo, d, pub, strict=pre.rel in ("last", "past"))
    if v is None:
        return None
    return v, "day", True, pre.forward


def _h_my(m, text, pub, pre):
    return (int(m["y"]), _month(m)), "month", False, pre.forward


def _h_mry(m, text, pub, pre):
    if pub is None:
        return None, None, True, False
    y = pub.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return (y, _month(m)), "month", True, pre.forward or m["rel"].lower() == "next"


def _h_mon(m, text, pub, pre):
    """A month name alone: needs a preposition, a modifier or last/this/next."""
    if not (pre.prep or pre.mod or pre.rel):
        return None
    if pre.prep in ("on", "as of") and not (pre.mod or pre.rel):
        return None  # "on May" is not a date expression in news prose
    if pub is None:
        return None, None, True, False
    mo = _month(m)
    rel, prep = pre.rel, pre.prep
    if rel in ("last", "past"):
        y = pub.year if mo < pub.month else pub.year - 1
    elif rel == "next":
        y = pub.year if mo > pub.month else pub.year + 1
    elif rel == "this":
        y = pub.year
    elif prep in ("since", "from", "after", "starting", "beginning"):
        y = pub.year if mo <= pub.month else pub.year - 1
    elif prep in ("by", "until", "till"):
        y = pub.year if mo >= pub.month else pub.year + 1
    else:
        limit = pub + timedelta(days=7)
        y = limit.year if mo <= limit.month else limit.year - 1
    return (y, mo), "month", True, pre.forward or rel == "next"


def _prev_word(text: str, i: int) -> str:
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    k = j
    while k >= 0 and text[k].isalpha():
        k -= 1
    return text[k + 1:j + 1]


def _h_year(m, text, pub, pre):
    i = m.start()
    if i:
        c = text[i - 1]
        if c.isalnum() or c in "$€£¥#.,:/_":
            return None
        if c in "-–" and not (pre.mod and pre.mod in ("mid", "end", "early", "late",
                                                       "earlier", "later")):
            if not _FOURDIGITS_DASH.search(text, max(0, i - 5), i):
                return None
    if not pre.prep and not pre.mod:
        w = _prev_word(text, i)
        if w and w.lower() in _YEAR_PREV_BAD:
            return None
        if w and (w[0].isupper() or any(ch.isupper() for ch in w[1:])) \
                and w.lower() not in _CAP_OK_BEFORE_YEAR and w.lower() not in _MONTH_NUM:
            return None  # model name: "PzH 2000", "Mirage 2000"
    return (int(m["y"]),), "year", False, pre.forward


def _h_rel(m, text, pub, pre):
    rel = (m["rel"] or "this").lower()
    if pub is None:
        return None, None, True, rel == "next"
    unit = m["unit"].lower()
    off = {"last": -1, "this": 0, "next": 1}[rel]
    fwd = rel == "next" or pre.forward
    if unit == "year":
        return (pub.year + off,), "year", True, fwd
    if unit == "month":
        return _add_months(pub.year, pub.month, off), "month", True, fwd
    d = pub + timedelta(days=7 * off)  # week
    return (d.year, d.month), "month", True, fwd


def _h_ago(m, text, pub, pre):
    n = _num(m["n"])
    if n is None:
        return None
    if pub is None:
        return None, None, True, False
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        d = pub - timedelta(days=n)
        return (d.year, d.month, d.day), "day", True, False
    if unit == "week":
        d = pub - timedelta(weeks=n)
        return (d.year, d.month, d.day), "day", True, False
    if unit == "month":
        return _add_months(pub.year, pub.month, -n), "month", True, False
    return (pub.year - n,), "year", True, False


def _h_next(m, text, pub, pre):
    raw = m["n"] or m["n2"]
    unit = m["unit"].lower().rstrip("s")
    vague = raw is None or raw.strip().lower() in ("few", "a few", "several")
    n = _num(raw) if raw else 3
    if n is None:
        return None
    if pub is None:
        return None, None, True, True
    if unit in ("day", "week"):
        if vague:
            return (pub.year, pub.month), "month", True, True
        d = pub + timedelta(days=n * (7 if unit == "week" else 1))
        return (d.year, d.month), "month", True, True
    if unit == "month":
        return _add_months(pub.year, pub.month, n), "month", True, True
    return (pub.year + n,), "year", True, True


def _h_wd(m, text, pub, pre):
    if pub is None:
        return None, None, True, pre.rel == "next"
    wd = _WEEKDAY_NUM[m["wd"].lower()]
    rel = pre.rel
    back = (pub.weekday() - wd) % 7
    if rel in ("last", "past"):
        d = pub - timedelta(days=back or 7)
    elif rel == "next":
        d = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
    else:
        d = pub - timedelta(days=back)
    return (d.year, d.month, d.day), "day", True, rel == "next"


def _h_we(m, text, pub, pre):
    rel = m["rel"].lower()
    if pub is None:
        return None, None, True, rel == "next"
    wd = pub.weekday()
    if rel == "next":
        d = pub + timedelta(days=(5 - wd) % 7 or 7)
    elif rel == "this":
        if wd == 5:
            d = pub
        elif wd == 6:
            d = pub - timedelta(days=1)
        else:
            d = pub + timedelta(days=5 - wd)
    else:  # the / last: the Saturday before pub
        d = pub - timedelta(days=(wd - 5) % 7 or 7)
    return (d.year, d.month, d.day), "day", True, rel in ("next", "this")


def _h_word(m, text, pub, pre):
    w = m["w"]
    if w[0] == "T" and w.lower() == "today":
        # "Russia Today", "USA Today": capitalised mid-sentence is a name
        j = m.start() - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j >= 0 and text[j] not in ".!?:;\"'“”‘’(—–-":
            return None
    if pub is None:
        return None, None, True, w.lower() == "tomorrow"
    off = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w.lower()]
    d = pub + timedelta(days=off)
    return (d.year, d.month, d.day), "day", True, off > 0


# (pattern, handler, takes_prefix)
_FAM_DIGIT = [(_P_ISO, _h_iso, True), (_P_YEAR, _h_year, True)]
_FAM_DIGIT_MONTH = [(_P_MDY, _h_mdy, True), (_P_DMY, _h_mdy, True), (_P_MD, _h_md, True),
                    (_P_DM, _h_md, True), (_P_MY, _h_my, True)]
_FAM_MONTH = [(_P_MRY, _h_mry, True), (_P_MON, _h_mon, True)]
_FAM_WD = (_P_WD, _h_wd, True)
_FAM_WORD = (_P_WORD, _h_word, False)
_FAM_REL = (_P_REL, _h_rel, True)
_FAM_AGO = (_P_AGO, _h_ago, False)
_FAM_NEXT = (_P_NEXT, _h_next, False)
_FAM_WE = (_P_WE, _h_we, False)


def _parse_pub(published) -> date | None:
    if not published:
        return None
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def _families(text: str) -> list:
    """Which pattern families can match; [] means: surely no date here."""
    fams: list = []
    has_month = _MONTH_HINT.search(text) is not None
    if _DIGIT.search(text) is not None:
        fams += _FAM_DIGIT
        if has_month:
            fams += _FAM_DIGIT_MONTH
    if has_month:
        fams += _FAM_MONTH
    low = text.lower()
    has_day = "day" in low
    if has_day:
        fams.append(_FAM_WD)
        fams.append(_FAM_WORD)
    elif "tomorrow" in low or "tonight" in low:
        fams.append(_FAM_WORD)
    has_week = "week" in low
    has_unit = has_week or "month" in low or "year" in low
    if has_unit and ("last" in low or "this" in low or "next" in low or "of the" in low):
        fams.append(_FAM_REL)
    if (has_unit or has_day) and " ago" in low:
        fams.append(_FAM_AGO)
    if (has_unit or has_day) and ("next" in low or "coming" in low or "following" in low
                                  or "within" in low):
        fams.append(_FAM_NEXT)
    if has_week and "weekend" in low:
        fams.append(_FAM_WE)
    return fams


class _NullPrefix:
    start = None
    prep = mod = the = rel = None
    forward = False


_NULL = _NullPrefix()


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """All non-overlapping date expressions in ``text``, in text order.

    Overlaps are resolved by keeping the longest expression (then the leftmost):
    "in December 2020" wins over "2020", "October last year" over "last year".
    """
    if not text:
        return []
    fams = _families(text)
    if not fams:
        return []
    pub = _parse_pub(published)
    cands = []
    for pat, handler, takes_prefix in fams:
        for m in pat.finditer(text):
            pre = _Prefix(text, m.start()) if takes_prefix else _NULL
            r = handler(m, text, pub, pre)
            if r is None:
                continue
            s = pre.start if takes_prefix else m.start()
            cands.append((s, m.end(), r))
    if not cands:
        return []
    if len(cands) > 1:
        cands.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken: list = []
        for c in cands:
            s, e = c[0], c[1]
            for t in taken:
                if s < t[1] and e > t[0]:
                    break
            else:
                taken.append(c)
        taken.sort(key=lambda c: c[0])
    else:
        taken = cands
    out = []
    for s, e, (value, gran, relative, fwd) in taken:
        if value is not None and pub is not None:
            p0, p1 = _period(value, gran)
            future = p0 > pub or (fwd and p1 > pub)
        else:
            future = bool(fwd) and value is None and relative
        out.append(DateMention(
            start=s, end=e, text=text[s:e],
            value=_fmt(value, gran) if value is not None else None,
            granularity=gran if value is not None else None,
            relative=relative, future=future,
        ))
    return out


def resolve(expr: str, published: str | None) -> tuple[str, str] | None:
    """(value, granularity) for a single date expression, or None.

    The longest date found in ``expr`` is used, so surrounding words are fine:
    ``resolve("signed on Monday", "2022-04-19") == ("2022-04-18", "day")``.
    """
    best = None
    for m in find_dates(expr, published):
        if m.value is not None and (best is None or m.end - m.start > best.end - best.start):
            best = m
    return (best.value, best.granularity) if best is not None else None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=[/-]|\.html?|$)")


def date_in_url(url: str | None) -> str | None:
    """The publication date many outlets write into their links (``/2022/01/`` or
    ``/2022/01/15/``): ``"YYYY-MM-DD"`` or ``"YYYY-MM"``, or ``None``.

    Used only where an article carries no publication date: a report with no date at
    all cannot place "the first six arrived" in time, but its link usually can."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m is None:
        return None
    y, mo, d = m.groups()
    if d is None:
        return f"{y}-{mo}"
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return f"{y}-{mo}"
