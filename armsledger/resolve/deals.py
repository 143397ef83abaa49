"""Claims → deals: deal identity, tranches, orders and contradictions.

Pure functions, no database. A deal is identified by (supplier, recipient,
equipment family) — or, when no family is known, the coarse category group —
so the same transfer reported by several outlets lands in one deal and
deliveries on different dates become tranches of it. Nothing is averaged or
dropped: every claim stays on the deal and disagreements become
:class:`~armsledger.models.Contradiction` objects with both sides.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date as _date
from typing import Any, Iterable

from ..models import Claim, Contradiction, Deal, Tranche

# ---------------------------------------------------------------------------
# categories
# ---------------------------------------------------------------------------

GROUPS = ("helicopter", "aircraft", "uav", "armoured vehicle", "artillery", "air defence",
          "radar/sensor", "missile", "ship", "engine", "other")

# Ordered: the first rule whose pattern matches wins, so the more specific
# patterns (helicopter before aircraft, UAV before aircraft, SAM before
# missile) come first.
_GROUP_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("helicopter", re.compile(r"helicopter|chopper|rotorcraft|\bgunship")),
    ("uav", re.compile(r"\bu[ac]vs?\b|\bucav|drone|unmanned|loitering|remotely piloted")),
    ("air defence", re.compile(r"\bsam\b|\bsams\b|air[ -]?defen[cs]e|anti[- ]aircraft|\bmanpads|\baa gun|\bspaag|surface[- ]to[- ]air|\bciws")),
    ("radar/sensor", re.compile(r"radar|sensor|sonar|\bsigint|\belint|electro[- ]optic|\bawacs|\baew|targeting pod|reconnaissance system|surveillance system|\bisr\b")),
    ("engine", re.compile(r"engine|turbofan|turbojet|turboshaft|turboprop|\bdiesel|gas turbine|power ?plant")),
    ("ship", re.compile(r"\bship|frigate|corvette|destroyer|submarine|patrol (?:craft|boat|vessel)|\bopv\b|vessel|\bboat|landing craft|\blpd\b|\blhd\b|\bcarrier\b|minehunter|mine ?sweeper|cutter|tanker ship|naval")),
    ("missile", re.compile(r"missile|\bsrbm|\bmrbm|\bicbm|\bsraam|\bbvraam|\batgm|\bsam\b|\bsrm\b|rocket(?! launcher)|torpedo|guided bomb|\bbomb|anti[- ]ship|anti[- ]tank guided|cruise")),
    ("artillery", re.compile(r"artillery|howitzer|self[- ]propelled (?:gun|mortar)|\bspg\b|\bsph\b|\bmrls?\b|\bmlrs\b|rocket launcher|multiple rocket|\bmortar|\bgun\b|\bguns\b|towed")),
    ("armoured vehicle", re.compile(r"armou?red|\bapcs?\b|\bifvs?\b|\bapvs?\b|\bafvs?\b|\bmraps?\b|\btanks?\b|\bmbt\b|infantry fighting|personnel carrier|scout car|reconnaissance vehicle|\bvehicle")),
    ("aircraft", re.compile(r"aircraft|airplane|aeroplane|\bplanes?\b|\bjets?\b|fighter|bomber|\bfga\b|trainer|transport ac|tanker|\bmpa\b|maritime patrol|\bag?w\b|\bairlifter|\bairliner")),
]

try:
    from ..categories import category_group as _shared_group
except ImportError:  # pragma: no cover - categories module absent
    _shared_group = None

_EXACT_GROUP = {g: g for g in GROUPS}
_EXACT_GROUP.update({"radar": "radar/sensor", "sensor": "radar/sensor", "sensors": "radar/sensor",
                     "air defense": "air defence", "armored vehicle": "armoured vehicle",
                     "helicopters": "helicopter", "uavs": "uav", "drone": "uav", "drones": "uav",
                     "ships": "ship", "missiles": "missile", "engines": "engine"})


def category_group(category: str | None) -> str | None:
    """Map a (SIPRI-style or coarse) category to one of :data:`GROUPS`.

    ``None`` for ``None``/empty input; ``"other"`` when nothing matches.
    """
    if not category:
        return None
    c = category.strip().lower()
    if c in _EXACT_GROUP:
        return _EXACT_GROUP[c]
    if _shared_group is not None:  # the project-wide rules, when present
        return _shared_group(c)
    for group, pat in _GROUP_RULES:
        if pat.search(c):
            return group
    return "other"


# ---------------------------------------------------------------------------
# deal identity
# ---------------------------------------------------------------------------

def _norm_key_part(value: str | None) -> str:
    if value is None:
        return "?"
    return " ".join(str(value).lower().split())


def equipment_key(family: str | None, category: str | None) -> str:
    """The equipment part of a deal key: ``f:<family>``, ``g:<group>`` or ``*``."""
    if family:
        return "f:" + _norm_key_part(family)
    group = category_group(category)
    if group:
        return "g:" + group
    return "*"


def make_deal_id(supplier: str | None, recipient: str | None, equipment: str) -> str:
    raw = "|".join((_norm_key_part(supplier), _norm_key_part(recipient), equipment))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def deal_key(claim: Claim) -> str:
    """Deterministic deal id: short hash of (supplier, recipient, family or category group or "*")."""
    return make_deal_id(claim.supplier, claim.recipient, equipment_key(claim.family, claim.category))


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _pair(obj: Any) -> tuple[str, str]:
    return (_norm_key_part(_get(obj, "supplier")), _norm_key_part(_get(obj, "recipient")))


def _claim_article(c: Claim) -> str | None:
    a = c.article or {}
    if isinstance(a, dict):
        return a.get("id")
    return str(a)


def _match_family_deals(category: str | None, candidates: list[tuple[str, str | None]]) -> set[str]:
    """Deal ids among ``candidates`` ((deal_id, category)) matching ``category``:
    exact category first, falling back to the same category group."""
    if not category:
        return set()
    cat = category.strip().lower()
    exact = {d for d, c in candidates if c and c.strip().lower() == cat}
    if exact:
        return exact
    group = category_group(category)
    return {d for d, c in candidates if c and category_group(c) == group}


def assign_deals(claims: list[Claim], existing: Iterable[Any] | None = None) -> dict[str, str | None]:
    """Assign a deal id to every claim of a batch (usually one article's claims).

    ``existing``: already-stored deals (objects or dicts with id, supplier,
    recipient, family, category) for the batch's supplier/recipient pairs.

    Rules, in order:

    * cumulative claims are not transfers: they map to ``None``;
    * a claim with a family goes to the (supplier, recipient, family) deal;
    * a denial whose ``denies`` points at a claim of the batch joins that claim's deal;
    * a family-less claim with a category joins the family deal of the same
      category reported in the same article for the same pair on the same date,
      when exactly one such family deal exists; otherwise the unique family
      deal of that category for the pair (batch + ``existing``) if there is
      exactly one; otherwise its own category-group deal;
    * no family and no category: the pair's ``*`` deal.
    """
    out: dict[str, str | None] = {}
    by_id = {c.id: c for c in claims}
    # family deals per pair: deal_id -> category
    fam_deals: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    for d in existing or ():
        if _get(d, "family"):
            did = _get(d, "id") or make_deal_id(_get(d, "supplier"), _get(d, "recipient"),
                                                 equipment_key(_get(d, "family"), None))
            fam_deals[_pair(d)].setdefault(did, _get(d, "category"))
    for c in claims:
        if c.kind == "cumulative":
            out[c.id] = None
        elif c.family:
            did = deal_key(c)
            out[c.id] = did
            fam_deals[_pair(c)].setdefault(did, c.category)

    # same article + pair + date → family deal candidates
    same_event: dict[tuple, list[tuple[str, str | None]]] = defaultdict(list)
    for c in claims:
        if c.kind != "cumulative" and c.family:
            same_event[(_claim_article(c), _pair(c), c.date)].append((out[c.id], c.category))

    pending = [c for c in claims if c.id not in out]
    for c in pending:
        if not c.category:
            continue
        event = same_event.get((_claim_article(c), _pair(c), c.date), []) if c.date else []
        hit = _match_family_deals(c.category, event)
        if len(hit) != 1:
            hit = _match_family_deals(c.category, list(fam_deals[_pair(c)].items()))
        if len(hit) == 1:
            out[c.id] = next(iter(hit))

    # denials follow their target (possibly through chains), then defaults
    def resolve(c: Claim, seen: set[str]) -> str:
        if c.id in out and out[c.id] is not None:
            return out[c.id]  # type: ignore[return-value]
        if c.stage == "denied" and c.denies and c.denies in by_id and c.denies not in seen:
            target = by_id[c.denies]
            if target.kind != "cumulative":
                seen.add(c.id)
                return resolve(target, seen)
        return deal_key(c)

    for c in claims:
        if c.kind == "cumulative":
            continue
        if c.stage == "denied" and c.denies and c.denies in by_id and not c.family:
            out[c.id] = resolve(c, set())
        elif c.id not in out:
            out[c.id] = deal_key(c)
    return out


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_bounds(value: str | None) -> tuple[str, str] | None:
    """(earliest, latest) ISO day strings covered by a YYYY[-MM[-DD]] date."""
    if not value:
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        return (f"{y}-{mo}-{d}", f"{y}-{mo}-{d}")
    if mo:
        return (f"{y}-{mo}-01", f"{y}-{mo}-31")
    return (f"{y}-01-01", f"{y}-12-31")


def dates_compatible(a: str | None, b: str | None) -> bool:
    """True when two dates agree at the coarser granularity ("2022-04" ~ "2022-04-18")."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _day(value: str) -> _date | None:
    try:
        return _date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _specificity(value: str | None) -> int:
    return len(value or "")


# ---------------------------------------------------------------------------
# designations
# ---------------------------------------------------------------------------

_MAKER_WORDS = {"mil", "kamov", "sukhoi", "mikoyan", "tupolev", "ilyushin", "antonov", "yakovlev",
                "beriev", "boeing", "lockheed", "martin", "northrop", "grumman", "general", "dynamics",
                "raytheon", "airbus", "dassault", "saab", "embraer", "leonardo", "agusta", "westland",
                "agustawestland", "bell", "sikorsky", "eurocopter", "hal", "kai", "norinco", "avic",
                "chengdu", "shenyang", "hongdu", "harbin", "hanwha", "rheinmetall", "kmw", "nexter",
                "thales", "mbda", "almaz", "almaz-antey", "uralvagonzavod", "tai", "baykar", "pzl",
                "mielec", "elbit", "iai", "rafael", "fnss", "otokar", "bae", "systems", "textron",
                "pilatus", "aero", "let", "zlin", "casa", "cessna", "beechcraft", "hawker", "the"}


def normalise_designation(designation: str | None, maker: str | None = None) -> str:
    """Comparable form of a designation: maker words dropped, only [a-z0-9] kept.

    "Mil Mi35P", "Mil Mi-35P" and "Mi-35P" all become "mi35p".
    """
    if not designation:
        return ""
    text = designation.lower()
    words = re.split(r"\s+", text.strip())
    maker_words = set(_MAKER_WORDS)
    if maker:
        maker_words |= set(re.split(r"[\s/]+", maker.lower()))
    while len(words) > 1 and re.sub(r"[^a-z0-9-]", "", words[0]) in maker_words:
        words.pop(0)
    # "Super Tucanos" is "Super Tucano"; "F-16s" is "F-16"
    words = [re.sub(r"(?<=[a-z0-9]{3})s$", "", w) if len(w) > 3 else w for w in words]
    return re.sub(r"[^a-z0-9]", "", "".join(words))


def _variant_sides(claims: list[Claim]) -> list[dict[str, Any]]:
    """Sides of a designation disagreement among ``claims`` (empty if they agree).

    A designation that is a prefix of another ("Mi-24" vs "Mi-24P") is less
    specific, not contradictory.
    """
    norms: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.family and c.designation:
            n = normalise_designation(c.designation, c.maker)
            if n:
                norms[n].append(c)
    keys = list(norms)
    # a designation inside another ("Super Tucano" in "EMB-314 Super Tucano") is less specific
    specific = [k for k in keys if not any(o != k and k in o for o in keys)]
    if len(specific) < 2:
        return []
    return [{"value": norms[k][0].designation, "claims": [c.id for c in norms[k]]}
            for k in sorted(specific, key=lambda k: norms[k][0].id)]


# ---------------------------------------------------------------------------
# tranches and orders
# ---------------------------------------------------------------------------

def _group_by_date(claims: list[Claim]) -> list[list[Claim]]:
    """Cluster claims whose dates agree (equal, or equal at the coarser granularity).

    Most specific dates first; a coarser date joins a cluster only when it is
    compatible with exactly one; undated claims join the only cluster, if
    there is exactly one, else form an undated cluster.
    """
    dated = sorted((c for c in claims if c.date), key=lambda c: (-_specificity(c.date), c.date, c.id))
    undated = [c for c in claims if not c.date]
    clusters: list[tuple[str, list[Claim]]] = []
    # Every cluster key is at least as long as the date being placed (longest first), so "compatible"
    # (equal at the coarser granularity) means "the key starts with the date": an index of key prefixes
    # finds the hits without comparing against every cluster (a deal of a thousand claims).
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for c in dated:
        hits = by_prefix.get(c.date, [])  # type: ignore[arg-type]
        if len(hits) == 1:
            clusters[hits[0]][1].append(c)
        else:
            clusters.append((c.date, [c]))  # type: ignore[arg-type]
            key = c.date or ""
            for n in range(1, len(key) + 1):
                by_prefix[key[:n]].append(len(clusters) - 1)
    return with_undated([members for _, members in sorted(clusters, key=lambda x: x[0])], undated)


def with_undated(groups: list[list[Claim]], undated: list[Claim]) -> list[list[Claim]]:
    """Undated claims join the only date cluster, if there is exactly one, else form a cluster of their own."""
    if undated:
        if len(groups) == 1:
            groups[0].extend(undated)
        else:
            groups.append(undated)
    return groups


def _cluster_date(members: list[Claim]) -> str | None:
    dates = [c.date for c in members if c.date]
    return max(dates, key=_specificity) if dates else None


def _agreed_quantity(members: list[Claim]) -> tuple[int | None, dict[int, list[str]]]:
    qs: dict[int, list[str]] = defaultdict(list)
    for c in members:
        if c.quantity is not None:
            qs[c.quantity].append(c.id)
    if len(qs) == 1:
        return next(iter(qs)), qs
    return None, qs


# a contradiction's description names this many articles per side, then counts the rest: a deal told by
# hundreds of articles would otherwise carry megabytes of names (each side's claims stay listed in full)
NAMED_ARTICLES = 5


def _articles_of(ids: Iterable[str]) -> str:
    """"a1, a2, a3" (the articles of these claims, in order, each once); past NAMED_ARTICLES, "and N more"."""
    arts: dict[str, None] = {}
    for i in ids:
        arts.setdefault(i.rsplit("-", 1)[0] if "-" in i else i, None)
    names = list(arts)
    if len(names) <= NAMED_ARTICLES:
        return ", ".join(names)
    return ", ".join(names[:NAMED_ARTICLES]) + f" and {len(names) - NAMED_ARTICLES} more"


def build_tranches(claims: list[Claim], stage: str = "delivered") -> tuple[list[Tranche], list[list[Claim]]]:
    """Tranches (or order groups, with ``stage="ordered"``) of a deal's claims."""
    members = [c for c in claims if c.stage == stage and c.kind != "cumulative"]
    groups = _group_by_date(members)
    tranches = []
    for g in groups:
        q, _ = _agreed_quantity(g)
        tranches.append(Tranche(date=_cluster_date(g), quantity=q,
                                claims=sorted(c.id for c in g)))
    return tranches, groups


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for i, v in enumerate(values):
        if v:
            counts[v] += 1
            first.setdefault(v, i)
    if not counts:
        return None
    return max(counts, key=lambda v: (counts[v], -first[v]))


def build_deal(deal_id: str, claims: list[Claim]) -> Deal:
    """Build a :class:`Deal` (tranches, orders, contradictions) from its claims."""
    claims = sorted(claims, key=lambda c: c.id)
    transfers = [c for c in claims if c.kind != "cumulative"]
    fam = [c for c in transfers if c.family]
    basis = fam or transfers
    deal = Deal(
        id=deal_id,
        supplier=_most_common(c.supplier for c in basis),
        recipient=_most_common(c.recipient for c in basis),
        family=_most_common(c.family for c in basis),
        category=_most_common(c.category for c in basis),
        claims=list(claims),
    )
    contradictions: list[Contradiction] = []

    tranches, t_groups = build_tranches(transfers, "delivered")
    orders, o_groups = build_tranches(transfers, "ordered")
    deal.tranches = tranches
    deal.orders = orders

    for label, items, groups in (("tranche", tranches, t_groups), ("order", orders, o_groups)):
        for tr, g in zip(items, groups):
            when = tr.date or "undated"
            _, qs = _agreed_quantity(g)
            if len(qs) > 1:
                sides = [{"value": q, "claims": ids} for q, ids in sorted(qs.items())]
                desc = f"quantity of the {when} {label}: " + " vs ".join(
                    f"{s['value']} ({_articles_of(s['claims'])})" for s in sides)
                contradictions.append(Contradiction("quantity", desc, sides))
            sides = _variant_sides(g)
            if sides:
                desc = (f"designation of the {when} {label}: "
                        + " vs ".join(f"{s['value']} ({_articles_of(s['claims'])})" for s in sides)
                        + "; same family, variant disagreement")
                contradictions.append(Contradiction("designation", desc, sides))

    contradictions.extend(_date_contradictions(tranches, t_groups))
    contradictions.extend(_stage_contradictions(transfers))
    deal.contradictions = contradictions
    return deal


def _date_contradictions(tranches: list[Tranche], groups: list[list[Claim]]) -> list[Contradiction]:
    """Same delivery reported on different days (≤ 30 days apart) by different
    articles, where no single article reports both dates (such an article
    shows they are separate deliveries). Only claims naming a family count as
    reporting a date for this equipment."""
    out = []
    day_groups = [(t, g) for t, g in zip(tranches, groups) if t.date and _day(t.date)]
    for i in range(len(day_groups)):
        for j in range(i + 1, len(day_groups)):
            (ta, ga), (tb, gb) = day_groups[i], day_groups[j]
            da, db = _day(ta.date), _day(tb.date)  # type: ignore[arg-type]
            if da == db or abs((da - db).days) > 30:  # type: ignore[operator]
                continue
            fam_a = {_claim_article(c) for c in ga if c.family}
            fam_b = {_claim_article(c) for c in gb if c.family}
            if fam_a or fam_b:
                arts_a, arts_b = fam_a, fam_b
            else:
                arts_a = {_claim_article(c) for c in ga}
                arts_b = {_claim_article(c) for c in gb}
            if not arts_a or not arts_b or arts_a & arts_b:
                continue
            sides = [{"value": ta.date, "claims": list(ta.claims)},
                     {"value": tb.date, "claims": list(tb.claims)}]
            desc = (f"delivery date: {ta.date} ({_articles_of(ta.claims)}) vs "
                    f"{tb.date} ({_articles_of(tb.claims)}); possibly the same delivery")
            out.append(Contradiction("delivery date", desc, sides))
            if ta.quantity is not None and tb.quantity is not None and ta.quantity != tb.quantity:
                # the same arrival counted differently by two outlets
                sides = [{"value": ta.quantity, "claims": list(ta.claims)},
                         {"value": tb.quantity, "claims": list(tb.claims)}]
                desc = (f"quantity of possibly the same delivery: {ta.quantity} on {ta.date} "
                        f"({_articles_of(ta.claims)}) vs {tb.quantity} on {tb.date} ({_articles_of(tb.claims)})")
                out.append(Contradiction("delivery quantity", desc, sides))
    return out


def _stage_contradictions(claims: list[Claim]) -> list[Contradiction]:
    out = []
    by_id = {c.id: c for c in claims}
    by_stage: dict[str, list[str]] = defaultdict(list)  # what every denial that names no claim contradicts
    for c in claims:
        if c.stage in ("ordered", "delivered", "expected", "pledged"):
            by_stage[c.stage].append(c.id)  # type: ignore[index]
    affirmed = " / ".join(f"{s} ({_articles_of(ids)})" for s, ids in by_stage.items())
    for d in claims:
        if d.stage != "denied":
            continue
        if d.denies and d.denies in by_id:
            target = by_id[d.denies]
            field = "order" if target.stage == "ordered" else "stage"
            sides = [{"value": target.stage, "claims": [target.id]},
                     {"value": "denied", "claims": [d.id]}]
            who_t = f", {target.attribution}" if target.attribution else ""
            who_d = f", {d.attribution}" if d.attribution else ""
            when = f" in {target.date}" if target.date else ""
            desc = (f"{field}: {target.stage}{when} ({_articles_of([target.id])}{who_t}) vs denied "
                    f"({_articles_of([d.id])}{who_d})")
            out.append(Contradiction(field, desc, sides))
        elif not d.denies:
            if not by_stage:
                continue
            sides = [{"value": s, "claims": ids} for s, ids in by_stage.items()]  # one list, shared: read only
            sides.append({"value": "denied", "claims": [d.id]})
            desc = f"stage: {affirmed} vs denied ({_articles_of([d.id])})"
            out.append(Contradiction("stage", desc, sides))
    return out
