"""Gazetteer of states and actors: who is named in a piece of text.

The data lives in two JSONL files shipped with the package
(``armsledger/data/countries.jsonl`` and ``armsledger/data/actors.jsonl``);
users can add or override entries with their own files in the same formats
(see ``docs/data-files.md``), passed to :meth:`Gazetteer.load` or named in the
environment variable ``ARMSLEDGER_ALIASES`` (paths separated by ``os.pathsep``).

Matching works on tokens, not on one giant regular expression: the text is
split into words once, and at each word that can begin a name the longest
known phrase starting there is looked up in a dict keyed by normalised
(lower-cased, accent-free) token tuples.  Case rules:

* a name word written with a capital in the data must be capitalised in the
  text ("Chad" matches, "chad" does not; "Russian Helicopters" is the maker,
  "Russian helicopters" is the demonym and a common noun);
* a word with two or more capitals (acronyms such as "US", "UAE", "IDF",
  "FAMa", "MiG") must match exactly, dots ignored ("U.S." = "US");
* lower-case words in the data ("army", "and", "of") match in any case.

Generic armed-forces phrases are derived from every name and demonym at load
time ("Malian army", "Ukraine's armed forces", "Royal Thai Navy",
"Armed Forces of the Philippines", "US Air Force"), so data files only list
specific force names (Bundeswehr, IDF, FAMa).
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from armsledger.datafiles import records

__all__ = ["Actor", "ActorMention", "Gazetteer", "DATA_DIR", "ENV_VAR"]

DATA_DIR = Path(__file__).resolve().parent / "data"
ENV_VAR = "ARMSLEDGER_ALIASES"

STATE_KINDS = ("state",)
ACTOR_KINDS = ("maker", "agency", "group")


@dataclass(frozen=True)
class Actor:
    code: str            # ISO3 for a state; canonical name for a maker/agency/group
    kind: str            # "state" | "maker" | "agency" | "group"
    country: str | None  # ISO3 of the state (for a state: its own code)
    name: str            # display name ("Russia", "Rosoboronexport")


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: Actor
    via: str  # "name" | "demonym" | "capital" | "metonym" | "force" | "maker" | "agency" | "group"


# ---------------------------------------------------------------------------
# Tokenisation

# 1. abbreviations whose dot belongs to the word ("St. Kitts");
# 2. dotted acronyms ("U.S.", "D.R."); 3. words, with inner apostrophes
# ("N'Djamena", "d'Ivoire", "Russia's"); 4. "&" (read as "and").
# Hyphens and spaces separate tokens, so "Russian-made" gives "Russian".
_TOKEN = re.compile(
    r"(?:St|Ste|Mt|Ft)\.(?=\s)"
    r"|(?:[A-Z]\.){2,}"
    r"|[^\W_](?:[^\W_]|['\u2019](?=[^\W_]))*"
    r"|&"
)
# What may stand between two words of one name: spaces and hyphens, after a
# plural possessive apostrophe ("Workers' Party", "the Philippines' navy").
# Long names (4+ words) may also contain commas ("Boeing Defense, Space & Security").
_GAP_OK = re.compile(r"(?:['\u2019](?= ))?[ \-\u2010\u2011]*\Z")
_GAP_OK_LONG = re.compile(r"(?:['\u2019](?= ))?,?[ \-\u2010\u2011]*\Z")
_POSS = "'s"

# Generic force phrases derived for every state.
_FORCE_SUFFIXES = (
    "army", "navy", "air force", "armed forces", "military", "forces", "troops",
    "defence forces", "defense forces", "defence force", "defense force",
    "marine corps", "marines", "coast guard", "ground forces", "land forces",
    "naval forces", "air forces", "aerospace forces", "air and space force",
    "space force", "special forces", "national guard", "border guard",
    "air defence forces", "air defense forces", "armed services",
)
_POSSESSIVE_FORCES = (
    "army", "navy", "air force", "armed forces", "military", "forces", "troops",
    "defence forces", "defense forces", "coast guard", "national guard", "marines",
    "ground forces", "special forces", "aerospace forces",
)
_ROYAL_FORCES = ("army", "navy", "air force", "armed forces", "marines", "land forces",
                 "naval forces")
_OF_FORCES = ("Army", "Navy", "Air Force", "Armed Forces", "National Guard",
              "Defence Forces", "Defense Forces", "Land Forces", "Naval Forces")

# Phrases that contain a known name but name no actor.  They are matched like
# any other entry (so they win by being longer) and then dropped.
_STOPS = (
    # places and regions
    "Indian Ocean", "South China Sea", "East China Sea", "Sea of Japan", "Gulf of Mexico",
    "New Mexico", "New Guinea", "Latin America", "Latin American", "Latin Americans",
    "North America", "North American", "North Americans", "South America",
    "South American", "South Americans", "Central America", "Central American",
    "American Samoa", "Native American", "Native Americans", "American Indian",
    "West Indian", "West Indies", "Washington state", "Washington State",
    "Georgia Tech", "Jordan River", "Jordan Valley", "Guinea pig", "Turkey Point",
    "Irish Sea", "English Channel", "French Guiana", "French Polynesia",
    "Macedonia region", "Korean Peninsula", "Korean War", "Dutch Caribbean",
    # outlets and organisations named after places
    "Washington Post", "Washington Times", "Washington Examiner", "Washington Institute",
    "Washington Free Beacon", "George Washington", "Moscow Times", "Kyiv Independent",
    "Kyiv Post", "Kiev Post", "Jerusalem Post", "Times of Israel", "Israel Hayom",
    "Tehran Times", "South China Morning Post", "China Daily", "Japan Times",
    "Times of India", "India Today", "Indian Express", "Saudi Gazette", "Jordan Times",
    "Bangkok Post", "Jakarta Post", "Pakistan Today", "France 24", "Agence France-Presse",
    "Agence France Presse", "Radio France Internationale", "Voice of America",
    "Radio Free Europe", "Russia Today", "Bank of America", "Captain America",
    "Paris Air Show", "Paris Agreement", "Air France", "Air India", "Turkish Airlines",
    "Qatar Airways", "Saudia", "Kuwait Airways",
)

# Patterns ---------------------------------------------------------------


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_NORM_CACHE: dict[str, str] = {}


def _norm(raw: str) -> str:
    n = _NORM_CACHE.get(raw)
    if n is None:
        n = raw.lower()
        if not n.isascii():
            n = _strip_accents(n.replace("\u2019", "'"))
        if "." in n:
            n = n.replace(".", "")
        if n == "&":
            n = "and"
        if len(_NORM_CACHE) > 200_000:
            _NORM_CACHE.clear()
        _NORM_CACHE[raw] = n
    return n


def _exact_form(raw: str) -> str:
    return raw.replace("\u2019", "'").replace(".", "")


def _tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    """Token starts, ends and surface forms; "'s" split off as its own token."""
    starts: list[int] = []
    ends: list[int] = []
    raws: list[str] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        raw = m.group()
        if len(raw) > 2 and raw[-2] in "'\u2019" and raw[-1] in "sS":
            starts.append(s)
            ends.append(e - 2)
            raws.append(raw[:-2])
            starts.append(e - 2)
            ends.append(e)
            raws.append(_POSS)
        else:
            starts.append(s)
            ends.append(e)
            raws.append(raw)
    return starts, ends, raws


def _constraint(raw: str):
    """None: any case; True: must be capitalised; str: exact (dots ignored)."""
    if raw == _POSS or not raw[0].isalpha():
        return None
    uppers = sum(1 for c in raw if c.isupper())
    if uppers >= 2 or (uppers == 1 and len(_exact_form(raw)) == 1):
        return _exact_form(raw)
    if raw[0].isupper():
        return True
    return None


def _phrase_tokens(phrase: str) -> list[str]:
    """The words of a phrase as looked up: a leading "the" and a final possessive dropped."""
    _, _, raws = _tokens(phrase)
    if raws and raws[0].lower() == "the" and len(raws) > 1:
        raws = raws[1:]
    while raws and raws[-1] == _POSS:
        raws = raws[:-1]
    return raws


def _key_of(phrase: str) -> tuple[tuple[str, ...], tuple] | None:
    """Normalised key and case constraints of a data phrase (leading "the" dropped)."""
    raws = _phrase_tokens(phrase)
    if not raws:
        return None
    key = tuple(_norm(r) for r in raws)
    cons = tuple(_constraint(r) for r in raws)
    return key, cons


# ---------------------------------------------------------------------------


@dataclass
class _Entry:
    cons: tuple
    actor: Actor | None  # None: a stop phrase
    via: str


def _as_list(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]


class Gazetteer:
    """Names of states, makers, agencies and armed groups, and a fast matcher."""

    _default: "Gazetteer | None" = None
    _default_env: str | None = None

    def __init__(self) -> None:
        self._countries: dict[str, dict] = {}   # code -> merged entry
        self._actors: dict[str, dict] = {}      # casefolded canonical name -> merged entry
        self._ignore: list[str] = []
        self._index: dict[tuple[str, ...], list[_Entry]] = {}
        self._first: dict[str, tuple[int, ...]] = {}
        self._by_code: dict[str, Actor] = {}
        self._sources: list[str] = []

    # -- loading -------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[str | Path] | None = None) -> "Gazetteer":
        """Packaged data, then `extra` files, then files named in $ARMSLEDGER_ALIASES.

        Later entries extend earlier ones (same country code or same actor
        name) and, for an identical phrase, take precedence.
        """
        g = cls()
        g._read(DATA_DIR / "countries.jsonl")
        g._read(DATA_DIR / "actors.jsonl")
        for p in extra or ():
            g._read(Path(p))
        env = os.environ.get(ENV_VAR, "")
        for p in env.split(os.pathsep):
            if p.strip():
                g._read(Path(p.strip()))
        g._build()
        return g

    @classmethod
    def default(cls) -> "Gazetteer":
        """A cached instance of :meth:`load` (reloaded if $ARMSLEDGER_ALIASES changes)."""
        env = os.environ.get(ENV_VAR, "")
        if cls._default is None or cls._default_env != env:
            cls._default = cls.load()
            cls._default_env = env
        return cls._default

    def _read(self, path: Path) -> None:
        path = Path(path).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"gazetteer file not found: {path}")
        self._sources.append(str(path))
        for lineno, obj in records(path):
            try:
                self.add_entry(obj)
            except ValueError as e:
                raise ValueError(f"{path}:{lineno}: {e}") from None

    def add_entry(self, obj: dict) -> None:
        """Merge one country, actor or ignore entry (call :meth:`rebuild` after)."""
        if "ignore" in obj:
            self._ignore.extend(_as_list(obj["ignore"]))
            if len(obj) == 1:
                return
        if "code" in obj:
            code = str(obj["code"]).strip().upper()
            if not code:
                raise ValueError("empty country code")
            cur = self._countries.get(code)
            if cur is None:
                cur = {"code": code, "name": obj.get("name") or code, "status": obj.get("status"),
                       "names": [], "demonyms": [], "capitals": [], "metonyms": [], "forces": []}
                self._countries[code] = cur
            else:
                if obj.get("name"):
                    if cur["name"] != obj["name"]:
                        cur["names"].append(cur["name"])
                    cur["name"] = obj["name"]
                if obj.get("status"):
                    cur["status"] = obj["status"]
            for f in ("names", "demonyms", "capitals", "metonyms", "forces"):
                for v in _as_list(obj.get(f)):
                    if v not in cur[f]:
                        cur[f].append(v)
            return
        if "name" in obj and "kind" in obj:
            kind = str(obj["kind"]).strip().lower()
            if kind not in ACTOR_KINDS:
                raise ValueError(f"kind must be one of {ACTOR_KINDS}, not {kind!r}")
            name = str(obj["name"]).strip()
            k = name.casefold()
            country = obj.get("country")
            country = str(country).strip().upper() if country else None
            cur = self._actors.get(k)
            if cur is None:
                cur = {"name": name, "kind": kind, "country": country, "aliases": []}
                self._actors[k] = cur
            else:
                cur["kind"] = kind
                if "country" in obj:
                    cur["country"] = country
            for v in [name] + _as_list(obj.get("aliases")):
                if v not in cur["aliases"]:
                    cur["aliases"].append(v)
            return
        raise ValueError('entry needs "code" (a country), "name" and "kind" (an actor), '
                         'or "ignore"')

    def rebuild(self) -> None:
        self._build()

    def _add(self, phrase: str, actor: Actor | None, via: str) -> None:
        kc = _key_of(phrase)
        if kc is None:
            return
        key, cons = kc
        lst = self._index.get(key)
        entry = _Entry(cons, actor, via)
        if lst is None:
            self._index[key] = [entry]
            return
        # Same phrase again: the later entry wins for the same case pattern.
        for i, e in enumerate(lst):
            if e.cons == cons:
                lst[i] = entry
                return
        lst.append(entry)
        # Stricter (more exact) patterns are tried first.
        lst.sort(key=lambda e: -sum(isinstance(c, str) for c in e.cons))

    def _add_key(self, key: tuple, cons: tuple, actor: Actor, via: str) -> None:
        lst = self._index.get(key)
        if lst is None:
            self._index[key] = [_Entry(cons, actor, via)]
        elif not any(e.cons == cons for e in lst):
            lst.append(_Entry(cons, actor, via))

    def _build(self) -> None:
        self._index = {}
        self._by_code = {}
        # States first, then the derived force phrases (explicit phrases win),
        # then actors, then stops and user ignores.
        derived: list[tuple[list[str], list[str], Actor]] = []
        for code, c in self._countries.items():
            actor = Actor(code=code, kind="state", country=code, name=c["name"])
            self._by_code[code] = actor
            names = [c["name"]] + c["names"]
            for n in names:
                self._add(n, actor, "name")
            demonyms = list(c["demonyms"])
            for d in demonyms:
                self._add(d, actor, "demonym")
            for d in c["capitals"]:
                self._add(d, actor, "capital")
            for d in c["metonyms"]:
                self._add(d, actor, "metonym")
            for d in c["forces"]:
                self._add(d, actor, "force")
            derived.append((names, demonyms, actor))
        self._derive(derived)
        for a in self._actors.values():
            code = a["name"]
            actor = Actor(code=code, kind=a["kind"], country=a["country"], name=a["name"])
            self._by_code.setdefault(code, actor)
            for al in a["aliases"]:
                self._add(al, actor, a["kind"])
        for s in _STOPS:
            self._add(s, None, "stop")
        for s in self._ignore:
            self._add(s, None, "stop")
        first: dict[str, set[int]] = {}
        for key in self._index:
            first.setdefault(key[0], set()).add(len(key))
        self._first = {k: tuple(sorted(v, reverse=True)) for k, v in first.items()}

    def _derive(self, rows) -> None:
        suffix = [_key_of(s) for s in _FORCE_SUFFIXES]
        poss = [_key_of(s) for s in _POSSESSIVE_FORCES]
        royal = [_key_of("Royal " + s) for s in _ROYAL_FORCES]
        of = [_key_of(s + " of") for s in _OF_FORCES]
        pk = ((_POSS,), (None,))
        for names, demonyms, actor in rows:
            bases_n = [kc for kc in map(_key_of, names) if kc]
            bases_d = [kc for kc in map(_key_of, demonyms) if kc]
            # Plural demonyms ("Russians", "South Africans") -> demonym.
            for d in demonyms:
                low = d.lower()
                if low.endswith(("ese", "ss", "sh", "ch", "s", "x", "z")) and not low.endswith("czech"):
                    continue
                kc = _key_of(d + "s")
                if kc:
                    self._add_key(kc[0], kc[1], actor, "demonym")
            for bk, bc in bases_n + bases_d:
                for sk, sc in suffix:
                    self._add_key(bk + sk, bc + sc, actor, "force")
                for (rk, rc) in royal:
                    # "Royal" + base + suffix, e.g. Royal Thai Navy
                    self._add_key(rk[:1] + bk + rk[1:], rc[:1] + bc + rc[1:], actor, "force")
            for bk, bc in bases_n:
                for sk, sc in poss:
                    self._add_key(bk + pk[0] + sk, bc + pk[1] + sc, actor, "force")
                for ok, oc in of:
                    self._add_key(ok + bk, oc + bc, actor, "force")
                    self._add_key(ok + ("the",) + bk, oc + (None,) + bc, actor, "force")

    # -- queries -------------------------------------------------------------

    def country(self, code: str) -> Actor | None:
        """The state with ISO3 `code` (case-insensitive), or None."""
        if not code:
            return None
        a = self._by_code.get(code.strip().upper())
        return a if a is not None and a.kind == "state" else None

    def actor(self, code: str) -> Actor | None:
        """A state by ISO3 code or a maker/agency/group by canonical name."""
        if not code:
            return None
        return self._by_code.get(code.strip().upper()) or self._by_code.get(code.strip())

    def states(self) -> list[Actor]:
        return [a for a in self._by_code.values() if a.kind == "state"]

    def actors(self, kind: str | None = None) -> list[Actor]:
        """All actors (states included), optionally of one kind."""
        return [a for a in self._by_code.values() if kind is None or a.kind == kind]

    def status(self, code: str) -> str | None:
        """"member", "observer", "other" or "historical" for a state code."""
        c = self._countries.get(code.strip().upper())
        return c.get("status") if c else None

    def names(self, code: str) -> list[str]:
        """Every listed phrase for a state code or actor name (not the derived ones)."""
        c = self._countries.get(code.strip().upper())
        if c is not None:
            out = [c["name"]]
            for f in ("names", "demonyms", "capitals", "metonyms", "forces"):
                out.extend(c[f])
            return out
        a = self._actors.get(code.strip().casefold())
        return list(a["aliases"]) if a else []

    def lookup(self, name: str) -> Actor | None:
        """The actor a whole phrase names, or None.

        Case-insensitive ("russia", "the Kremlin", "Russia's") except that
        acronyms must match exactly ("U.S." and "US" work, "us" does not).
        Falls back to an ISO3 code written in capitals ("RUS").
        """
        m = self._lookup_entry(name)
        if m is not None:
            return m.actor
        s = (name or "").strip()
        if len(s) == 3 and s.isupper():
            return self.country(s)
        return None

    def state_of(self, name: str) -> str | None:
        """The state a name stands for: a state's own code, a firm's or an agency's country; None for an armed
        group or an unknown name."""
        a = self.lookup(name)
        return a.country if a is not None else None

    def lookup_via(self, name: str) -> tuple[Actor, str] | None:
        """Like :meth:`lookup`, with how the phrase names it ("demonym", ...)."""
        e = self._lookup_entry(name)
        return (e.actor, e.via) if e is not None else None

    def _lookup_entry(self, name: str) -> _Entry | None:
        if not name or not name.strip():
            return None
        raws = _phrase_tokens(name.strip())
        if not raws:
            return None
        cands = self._index.get(tuple(_norm(r) for r in raws))
        if not cands:
            return None
        for e in cands:
            if e.actor is None:
                continue
            ok = True
            for c, r in zip(e.cons, raws):
                if isinstance(c, str) and _exact_form(r) != c:
                    ok = False
                    break
            if ok:
                return e
        return None

    def codes_in(self, text: str) -> set[str]:
        """The parties a text names, and the states of the companies among them."""
        found = self.find(text)
        return {m.actor.code for m in found} | {m.actor.country for m in found if m.actor.country}

    def find(self, text: str) -> list[ActorMention]:
        """All non-overlapping mentions in `text`, leftmost-longest, in order."""
        if not text:
            return []
        starts, ends, raws = _tokens(text)
        n = len(raws)
        first = self._first
        index = self._index
        out: list[ActorMention] = []
        norms = [None] * n  # lazily normalised
        i = 0
        while i < n:
            raw = raws[i]
            ni = norms[i]
            if ni is None:
                ni = norms[i] = _norm(raw)
            lens = first.get(ni)
            if lens is None:
                i += 1
                continue
            matched = 0
            for L in lens:
                if i + L > n:
                    continue
                if L == 1:
                    key = (ni,)
                else:
                    for j in range(i + 1, i + L):
                        if norms[j] is None:
                            norms[j] = _norm(raws[j])
                    key = tuple(norms[i:i + L])
                cands = index.get(key)
                if cands is None:
                    continue
                if L > 1 and not self._joined(text, starts, ends, i, L):
                    continue
                entry = self._pick(cands, raws, i)
                if entry is None:
                    continue
                s, e = starts[i], ends[i + L - 1]
                if entry.actor is not None:
                    if text[e:e + 1] == "$":  # "US$ 5m" is a currency
                        continue
                    out.append(ActorMention(s, e, text[s:e], entry.actor, entry.via))
                matched = L
                break
            i += matched or 1
        return out

    @staticmethod
    def _joined(text: str, starts: list[int], ends: list[int], i: int, L: int) -> bool:
        for j in range(i + 1, i + L):
            gap_s, gap_e = ends[j - 1], starts[j]
            if gap_e - gap_s == 1 and text[gap_s] == " ":
                continue
            if gap_e == gap_s:
                continue
            if (_GAP_OK_LONG if L >= 4 else _GAP_OK).match(text, gap_s, gap_e) is None:
                return False
        return True

    @staticmethod
    def _pick(cands: list[_Entry], raws: list[str], i: int) -> _Entry | None:
        for e in cands:
            ok = True
            for k, c in enumerate(e.cons):
                if c is None:
                    continue
                r = raws[i + k]
                if c is True:
                    if not r[0].isupper():
                        ok = False
                        break
                elif _exact_form(r) != c:
                    ok = False
                    break
            if ok:
                return e
        return None

    def mentions(self, text: str, kinds: Iterable[str] | None = None) -> Iterator[ActorMention]:
        """`find`, filtered to actors of the given kinds."""
        ks = set(kinds) if kinds else None
        for m in self.find(text):
            if ks is None or m.actor.kind in ks:
                yield m

    def __len__(self) -> int:
        return len(self._by_code)

    def __repr__(self) -> str:
        return (f"Gazetteer({len(self.states())} states, {len(self._actors)} actors, "
                f"{len(self._index)} phrases)")
