"""Human review of claims: accept, reject, correct, move, merge; an append-only audit trail.

Lives beside :mod:`armsledger.store.sqlite` and uses the same connection (its own
tables: created on first use in an SQLite ledger, by the migration
``migrations/postgres/0004_reviews.sql`` in a PostgreSQL one; the few statements that
differ between the two dialects are chosen by ``store.dialect``). The ``claims`` table always holds the *effective*
claims: corrections are written into them, moved claims carry their new deal id,
and rejected claims leave it for ``rejected_claims`` (so every ledger query, export
and summary sees the reviewed ledger without knowing about reviews).

Reviews are keyed by a **stable claim signature**, not by the claim id (which is
``<article id>-<n>`` and changes when the extractor finds one claim more or less):
the article id, the offsets of the claim's evidence sentence, its kind, its
normalised designation and its stage, *as the machine extracted them*. When an
article's claims are replaced (re-extraction with a newer extractor), every review
of that article is matched to the new claims (the full signature first, then the
same sentence and designation, then the same sentence and stage) and applied again,
so a corrected field stays corrected. The signature and the matching are review logic and
live in :mod:`armsledger.resolve.reviews`; this module stores and applies.

Tables:

* ``claim_reviews``: the current review of each signature (status, corrected
  fields, the machine's values of those fields, an explicit deal, reviewer);
* ``deal_merges``: deal → deal it was merged into (applied to later claims too);
* ``rejected_claims``: rejected claims, out of the ledger, with their former deal;
* ``review_audit``: one row per action, never updated or deleted (triggers refuse).
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Any, Iterable

from ..models import STAGES, Article, Claim, Deal
from ..resolve.deals import assign_deals, build_deal
from ..resolve.reviews import match_reviews, signature
from ..resolve.summary import summarise
from .sqlite import Store, _claim_dict, _now

REVIEW_SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_reviews (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    sent_start INTEGER NOT NULL,
    sent_end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    designation TEXT NOT NULL,
    stage TEXT NOT NULL,
    claim_id TEXT,
    status TEXT NOT NULL DEFAULT 'unreviewed',
    fields TEXT NOT NULL DEFAULT '{}',
    machine TEXT NOT NULL DEFAULT '{}',
    deal_id TEXT,
    reviewer TEXT,
    note TEXT,
    updated_at TEXT
);
CREATE INDEX IF NOT EXISTS claim_reviews_claim ON claim_reviews(claim_id);
CREATE INDEX IF NOT EXISTS claim_reviews_article ON claim_reviews(article_id);
CREATE INDEX IF NOT EXISTS claim_reviews_status ON claim_reviews(status);
CREATE TABLE IF NOT EXISTS deal_merges (
    source TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    reviewer TEXT,
    at TEXT
);
CREATE TABLE IF NOT EXISTS rejected_claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    former_deal TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejected_claims_article ON rejected_claims(article_id);
CREATE INDEX IF NOT EXISTS rejected_claims_deal ON rejected_claims(former_deal);
CREATE TABLE IF NOT EXISTS review_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    action TEXT NOT NULL,
    claim_key TEXT,
    claim_id TEXT,
    deal_id TEXT,
    before TEXT,
    after TEXT,
    note TEXT
);
CREATE TRIGGER IF NOT EXISTS review_audit_no_update BEFORE UPDATE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_audit_no_delete BEFORE DELETE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS deal_years_deal ON deal_years(deal_id, year);
CREATE INDEX IF NOT EXISTS claims_deal_article ON claims(deal_id, article_id);
CREATE INDEX IF NOT EXISTS claims_article_deal ON claims(article_id, deal_id);
CREATE INDEX IF NOT EXISTS claims_queue ON claims((1.0 - 0.25 * hedged - 0.15 * uncertain - 0.1 * (date IS NULL) - 0.1 * (stage IS 'denied')), id);
CREATE INDEX IF NOT EXISTS deal_stages_deal ON deal_stages(deal_id, stage);
"""

ACTIONS = ("accept", "reject", "correct", "move", "reset")
# the review queue's claim-level heuristic (an index on this expression keeps the queue fast)
# (the same arithmetic in both dialects: PostgreSQL's float8 is SQLite's REAL, so scores and
# their order agree; the expression matches the index of migrations/postgres/0004_reviews.sql)
_CLAIM_SCORE = {
    "sqlite": "(1.0 - 0.25 * hedged - 0.15 * uncertain - 0.1 * (date IS NULL) - 0.1 * (stage IS 'denied'))",
    "postgresql": "(1.0::float8 - 0.25::float8 * hedged - 0.15::float8 * uncertain - 0.1::float8 * "
                  "(date IS NULL)::int - 0.1::float8 * (stage IS NOT DISTINCT FROM 'denied')::int)",
}
# the extractor's confidence of a claim, and its order (SQLite sorts NULL first)
_CONFIDENCE = {"sqlite": ("json_extract(c.data, '$.confidence')", "score"),
               "postgresql": ("(c.data::jsonb ->> 'confidence')::float8", "score NULLS FIRST")}
REVIEWED = ("accepted", "corrected")  # statuses whose claims count as reviewed ledger entries

# fields a reviewer may correct, with a validator each
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CORRECTABLE = ("kind", "supplier", "recipient", "maker", "designation", "family", "category", "quantity",
               "uncertain", "stage", "date", "granularity", "date_text", "attribution", "hedged")
_IDENTITY = ("kind", "supplier", "recipient", "family", "category")


class ReviewError(ValueError):
    """A review action that cannot be done (unknown claim, bad field value ...)."""


def validate_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Corrections checked and normalised; raises ReviewError on an unknown field or bad value."""
    out: dict[str, Any] = {}
    for k, v in (fields or {}).items():
        if k not in CORRECTABLE:
            raise ReviewError(f"field {k!r} cannot be corrected (one of: {', '.join(CORRECTABLE)})")
        if isinstance(v, str):
            v = v.strip()
            if v == "":
                v = None
        if k == "quantity" and v is not None:
            try:
                v = int(v)
            except (TypeError, ValueError):
                raise ReviewError(f"quantity must be a whole number, not {v!r}") from None
            if v < 0 or v > 10**9:
                raise ReviewError("quantity out of range")
        elif k in ("uncertain", "hedged"):
            if isinstance(v, str):
                v = v.lower() in ("1", "true", "yes", "on")
            v = bool(v)
        elif k == "stage":
            if v not in STAGES:
                raise ReviewError(f"stage must be one of {', '.join(STAGES)}")
        elif k == "kind":
            if v not in ("transfer", "cumulative"):
                raise ReviewError("kind must be transfer or cumulative")
        elif k == "date" and v is not None:
            if not isinstance(v, str) or not _DATE_RE.match(v):
                raise ReviewError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
        elif k == "granularity" and v is not None and v not in ("day", "month", "year"):
            raise ReviewError("granularity must be day, month or year")
        elif k in ("supplier", "recipient") and isinstance(v, str) and len(v) == 3 and v.isalpha():
            v = v.upper()
        if isinstance(v, str) and len(v) > 500:
            raise ReviewError(f"{k} is too long")
        out[k] = v
    if "date" in out and "granularity" not in out:
        d = out["date"]
        out["granularity"] = None if d is None else {4: "year", 7: "month", 10: "day"}[len(d)]
    return out


class Reviews:
    """Review actions and queries over a :class:`Store` (same connection, same lock)."""

    def __init__(self, store: Store):
        self.store = store
        self._conn = store._conn
        self._dialect = store.dialect
        if store.dialect != "sqlite":
            return  # PostgreSQL: the tables come with the ledger (migrations/postgres/0004_reviews.sql)
        with store._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _statements(REVIEW_SCHEMA):
                    self._conn.execute(stmt)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # -- reading -----------------------------------------------------------------
    def claim(self, claim_id: str) -> tuple[Claim, str | None, bool] | None:
        """(claim, deal id, rejected) for a stored or rejected claim id."""
        r = self._conn.execute("SELECT data, deal_id FROM claims WHERE id=?", (claim_id,)).fetchone()
        if r is not None:
            return Claim.from_dict(json.loads(r[0])), r[1], False
        r = self._conn.execute("SELECT data, former_deal FROM rejected_claims WHERE id=?", (claim_id,)).fetchone()
        if r is not None:
            return Claim.from_dict(json.loads(r[0])), r[1], True
        return None

    def review_of(self, claim_id: str) -> dict[str, Any] | None:
        r = self._conn.execute(
            "SELECT key, status, fields, machine, deal_id, reviewer, note, updated_at FROM claim_reviews "
            "WHERE claim_id=?", (claim_id,)).fetchone()
        return _review_row(r) if r else None

    def reviews_for(self, claim_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{claim id: review} for the claims that have one."""
        ids = list(claim_ids)
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self._conn.execute(
                "SELECT claim_id, key, status, fields, machine, deal_id, reviewer, note, updated_at "
                f"FROM claim_reviews WHERE claim_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            for r in rows:
                out[r[0]] = _review_row(r[1:])
        return out

    def rejected(self, article_id: str | None = None, deal_id: str | None = None) -> list[Claim]:
        """Rejected claims of an article or of a (former) deal."""
        if article_id is not None:
            rows = self._conn.execute("SELECT data FROM rejected_claims WHERE article_id=? ORDER BY id",
                                      (article_id,)).fetchall()
        else:
            rows = self._conn.execute("SELECT data FROM rejected_claims WHERE former_deal=? ORDER BY id",
                                      (deal_id,)).fetchall()
        return [Claim.from_dict(json.loads(r[0])) for r in rows]

    def audit(self, limit: int = 100, offset: int = 0, claim_id: str | None = None,
              deal_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, newest first."""
        where, args = [], []
        if claim_id:
            where.append("claim_id = ?")
            args.append(claim_id)
        if deal_id:
            where.append("deal_id = ?")
            args.append(deal_id)
        rows = self._conn.execute(
            "SELECT id, at, reviewer, action, claim_key, claim_id, deal_id, before, after, note FROM review_audit"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ? OFFSET ?",
            (*args, int(limit), int(offset))).fetchall()
        keys = ("id", "at", "reviewer", "action", "claim_key", "claim_id", "deal_id", "before", "after", "note")
        out = []
        for r in rows:
            d = dict(zip(keys, r))
            d["before"] = json.loads(d["before"]) if d["before"] else None
            d["after"] = json.loads(d["after"]) if d["after"] else None
            out.append(d)
        return out

    def counts(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT status, COUNT(*) FROM claim_reviews WHERE claim_id IS NOT NULL "
                                  "GROUP BY status").fetchall()
        return {s: n for s, n in rows}

    def queue(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Unreviewed claims, least trustworthy first.

        With a ``confidence`` in the claims (the extractor's), lowest first. Otherwise a
        heuristic: the claim's own cues (hedged, uncertain quantity, no date, a denial) read
        in order from an index, then the best candidates re-ranked with their deal's
        (a single source, contradictions), so the page costs the same on any ledger size."""
        if self._has_confidence():
            score, order = _CONFIDENCE[self._dialect]
            sql = (f"SELECT c.id, c.data, c.deal_id, {score} AS score FROM claims c "
                   "WHERE NOT EXISTS (SELECT 1 FROM claim_reviews r WHERE r.claim_id = c.id AND r.status != 'unreviewed') "
                   f"ORDER BY {order}, c.id LIMIT ? OFFSET ?")
            rows = self._conn.execute(sql, (int(limit), int(offset))).fetchall()
            return [{"claim": Claim.from_dict(json.loads(d)), "deal_id": did, "confidence": round(float(sc or 0), 3)}
                    for _cid, d, did, sc in rows]
        want = int(offset) + int(limit)
        claim_score = _CLAIM_SCORE[self._dialect]
        cands = self._conn.execute(
            f"SELECT c.id, c.deal_id, {claim_score} AS score FROM claims c "
            "WHERE NOT EXISTS (SELECT 1 FROM claim_reviews r WHERE r.claim_id = c.id AND r.status != 'unreviewed') "
            f"ORDER BY {claim_score}, c.id LIMIT ?", (want + 2000,)).fetchall()
        deals = {did for _c, did, _s in cands if did}
        info: dict[str, tuple[int, int]] = {}
        ids = list(deals)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for did, n_art, n_con in self._conn.execute(
                    f"SELECT id, n_articles, n_contradictions FROM deals WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                info[did] = (n_art, n_con)
        scored = []
        for cid, did, score in cands:
            n_art, n_con = info.get(did, (1, 0))
            scored.append((round(score - 0.3 * (n_art <= 1) - 0.1 * (n_con > 0), 3), cid, did))
        scored.sort()
        out = []
        for score, cid, did in scored[offset:want]:
            data = self._conn.execute("SELECT data FROM claims WHERE id=?", (cid,)).fetchone()[0]
            out.append({"claim": Claim.from_dict(json.loads(data)), "deal_id": did, "confidence": score})
        return out

    def _has_confidence(self) -> bool:
        r = self._conn.execute("SELECT data FROM claims LIMIT 1").fetchone()
        return bool(r) and '"confidence"' in r[0] and json.loads(r[0]).get("confidence") is not None

    def n_unreviewed(self) -> int:
        n = self._conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        done = self._conn.execute(
            "SELECT COUNT(*) FROM claim_reviews r JOIN claims c ON c.id = r.claim_id "
            "WHERE r.status != 'unreviewed'").fetchone()[0]
        return n - done

    def reviewed_claims(self, deal_id: str | None = None) -> list[tuple[str | None, Claim]]:
        """(deal id, claim) of every accepted or corrected claim still in the ledger."""
        sql = ("SELECT c.deal_id, c.data FROM claim_reviews r JOIN claims c ON c.id = r.claim_id "
               "WHERE r.status IN ('accepted', 'corrected')")
        args: tuple = ()
        if deal_id is not None:
            sql += " AND c.deal_id = ?"
            args = (deal_id,)
        return [(d, Claim.from_dict(json.loads(data))) for d, data in self._conn.execute(sql + " ORDER BY c.id", args)]

    def reviewed_deals(self, **filters: Any) -> list[Deal]:
        """Deals built from reviewed claims only (the ledger restricted to reviewed claims)."""
        groups: dict[str, list[Claim]] = {}
        for did, c in self.reviewed_claims():
            if did is not None:
                groups.setdefault(did, []).append(c)
        allowed = None
        if any(v not in (None, "") for v in filters.values()):
            allowed = {r["id"] for r in self.store.ledger(**filters)}
        out = []
        for did in sorted(groups):
            if allowed is not None and did not in allowed:
                continue
            out.append(build_deal(did, groups[did]))
        return out

    def reviewed_ledger(self, **filters: Any) -> list[dict[str, Any]]:
        """Ledger rows (as ``Store.ledger``) computed over reviewed claims only."""
        rows = [summarise(d.id, d.claims) for d in self.reviewed_deals(**filters)]
        rows.sort(key=lambda r: (r["last_date"] is None, _neg(r["last_date"]), r["id"]))
        return rows

    def training_lines(self) -> list[dict[str, Any]]:
        """Accepted and corrected transfer claims as gold lines (shared/eval/GUIDELINES.md)."""
        from ..categories import category_group
        from ..gazetteer import Gazetteer

        gaz = None
        try:
            gaz = Gazetteer.default()
        except Exception:  # pragma: no cover - the gazetteer ships with the package
            pass
        arts: dict[str, tuple[str | None, str | None]] = {}
        out = []
        for _did, c in self.reviewed_claims():
            if c.kind != "transfer":
                continue
            aid = c.article.get("id")
            if aid not in arts:
                r = self._conn.execute("SELECT path, text FROM articles WHERE id=?", (aid,)).fetchone()
                arts[aid] = (r[0], r[1]) if r else (None, None)
            path, text = arts[aid]
            stem = _stem(path) or aid
            sent = c.evidence.get("sentence")
            evidence = (text[sent.start:sent.end] if text and sent else (sent.quote if sent else None))
            supplier_country = c.supplier
            if gaz is not None and c.supplier and not (len(c.supplier) == 3 and c.supplier.isupper()):
                try:
                    a = gaz.lookup(c.supplier)
                    if a is not None and getattr(a, "country", None):
                        supplier_country = a.country
                except Exception:
                    pass
            out.append({"article": stem, "supplier": c.supplier, "supplier_country": supplier_country,
                        "recipient": c.recipient, "equipment": c.designation or c.category,
                        "category": category_group(c.category) or "other", "quantity": c.quantity,
                        "stage": c.stage, "date": c.date,
                        "evidence": " ".join(evidence.split()) if evidence else None,
                        "note": f"reviewed by {self._reviewer_of(c.id)}"})
        return out

    def _reviewer_of(self, claim_id: str) -> str:
        r = self._conn.execute("SELECT reviewer, status FROM claim_reviews WHERE claim_id=?", (claim_id,)).fetchone()
        return f"{r[0]} ({r[1]})" if r else "?"

    # -- actions -------------------------------------------------------------------
    def review(self, claim_id: str, action: str, reviewer: str, fields: dict[str, Any] | None = None,
               deal_id: str | None = None, note: str | None = None) -> dict[str, Any]:
        """Apply one review action to a claim; returns the claim's review afterwards.

        ``accept``: the claim is right (corrections made before stay). ``reject``: it is
        wrong; it leaves the ledger. ``correct``: set ``fields`` (any of ``CORRECTABLE``);
        the claim is then reviewed and, when its supplier, recipient, family or category
        change, it joins the deal they name. ``move``: put the claim into deal ``deal_id``.
        ``reset``: back to the machine's claim, unreviewed. Every action is audited.
        """
        if action not in ACTIONS:
            raise ReviewError(f"action must be one of {', '.join(ACTIONS)}")
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise ReviewError("a review names its reviewer")
        fields = validate_fields(fields or {}) if action == "correct" else {}
        if action == "correct" and not fields:
            raise ReviewError("correct needs at least one field")
        if action == "move" and not deal_id:
            raise ReviewError("move needs a deal_id")
        with self.store._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = self._review(claim_id, action, reviewer, fields, deal_id, note)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        return result

    def _review(self, claim_id: str, action: str, reviewer: str, fields: dict[str, Any], deal_id: str | None,
                note: str | None) -> dict[str, Any]:
        found = self.claim(claim_id)
        if found is None:
            raise ReviewError(f"no claim {claim_id!r}")
        current, cur_deal, rejected = found
        rev = self._review_by_claim(claim_id)
        if rev is None:  # first review: the stored claim is the machine's
            sig = signature(current)
            base, n = sig["key"], 1
            while True:  # two live claims with one signature (rare): the second gets a suffix
                other = self._conn.execute("SELECT claim_id FROM claim_reviews WHERE key=?", (sig["key"],)).fetchone()
                if other is None or other[0] is None or other[0] == claim_id or self.claim(other[0]) is None:
                    break
                n += 1
                sig["key"] = f"{base}#{n}"
            rev = {"key": sig["key"], "sig": sig, "status": "unreviewed", "fields": {}, "machine": {},
                   "deal_id": None, "reviewer": None, "note": None}
            self._conn.execute(
                "INSERT INTO claim_reviews(key, article_id, sent_start, sent_end, kind, designation, stage, "
                "claim_id, status) VALUES (?,?,?,?,?,?,?,?, 'unreviewed') ON CONFLICT(key) DO UPDATE SET "
                "claim_id=excluded.claim_id",
                (sig["key"], sig["article_id"], sig["sent_start"], sig["sent_end"], sig["kind"],
                 sig["designation"], sig["stage"], claim_id))
        before = {"status": rev["status"], "fields": dict(rev["fields"]), "deal_id": cur_deal,
                  "rejected": rejected}
        machine = self._machine_claim(current, rev)
        status, corr, explicit = rev["status"], dict(rev["fields"]), rev["deal_id"]
        if action == "accept":
            status = "corrected" if corr else "accepted"
        elif action == "reject":
            status = "rejected"
        elif action == "correct":
            for k, v in fields.items():
                if getattr(machine, k) == v:
                    corr.pop(k, None)  # back to what the machine said
                else:
                    corr[k] = v
            status = "corrected" if corr else "accepted"
            if any(k in _IDENTITY for k in fields):
                explicit = None  # the corrected identity names the deal
        elif action == "move":
            target = self._resolve_merge(deal_id)
            if not self._deal_exists(target):
                raise ReviewError(f"no deal {deal_id!r}")
            explicit = target
            if status == "rejected":
                status = "corrected" if corr else "accepted"
        elif action == "reset":
            status, corr, explicit = "unreviewed", {}, None
        recompute = bool(rev["deal_id"]) or any(k in _IDENTITY for k in set(rev["fields"]) | set(corr))
        machine_vals = {k: getattr(machine, k) for k in corr}
        self._conn.execute(
            "UPDATE claim_reviews SET status=?, fields=?, machine=?, deal_id=?, reviewer=?, note=?, updated_at=? "
            "WHERE key=?",
            (status, json.dumps(corr, ensure_ascii=False, sort_keys=True),
             json.dumps(machine_vals, ensure_ascii=False, sort_keys=True), explicit, reviewer,
             note if note is not None else rev.get("note"), _now(), rev["key"]))
        new_deal = self._place(claim_id, machine, status, corr, explicit, cur_deal, recompute)
        after = {"status": status, "fields": corr, "deal_id": new_deal, "rejected": status == "rejected"}
        self._audit(reviewer, action, rev["key"], claim_id, new_deal or cur_deal, before,
                    {**after, **({"set": fields} if fields else {})}, note)
        out = self.review_of(claim_id) or {}
        out["claim_id"] = claim_id
        out["deal"] = new_deal
        return out

    def merge(self, source: str, target: str, reviewer: str, note: str | None = None) -> dict[str, Any]:
        """Merge deal ``source`` into ``target``: its claims (and later claims the extractor
        puts in ``source``) belong to ``target``."""
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise ReviewError("a review names its reviewer")
        with self.store._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                target = self._resolve_merge(target)
                source = self._resolve_merge(source)
                if source == target:
                    raise ReviewError("a deal cannot be merged into itself")
                for did in (source, target):
                    if not self._deal_exists(did):
                        raise ReviewError(f"no deal {did!r}")
                n = self._conn.execute("SELECT COUNT(*) FROM claims WHERE deal_id=?", (source,)).fetchone()[0]
                self._conn.execute("INSERT OR REPLACE INTO deal_merges(source, target, reviewer, at) VALUES (?,?,?,?)",
                                   (source, target, reviewer, _now()))
                # earlier merges into the source now lead to the target
                self._conn.execute("UPDATE deal_merges SET target=? WHERE target=?", (target, source))
                self._conn.execute("UPDATE claim_reviews SET deal_id=? WHERE deal_id=?", (target, source))
                self._conn.execute("UPDATE rejected_claims SET former_deal=? WHERE former_deal=?", (target, source))
                self._conn.execute("UPDATE claims SET deal_id=? WHERE deal_id=?", (target, source))
                self._rebuild({source, target})
                self._audit(reviewer, "merge", None, None, target, {"deal_id": source, "claims": n},
                            {"deal_id": target}, note)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        return {"source": source, "target": target, "moved_claims": n}

    def replace_claims(self, article: Article, claims: list[Claim], reviewer: str = "re-extraction") -> int:
        """Replace a stored article's claims with ``claims`` (a new extraction), then apply
        the article's reviews and the deal merges again. Returns the number of reviews
        that found their claim. One transaction."""
        store = self.store
        with store._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                old = {r[0] for r in conn.execute("SELECT DISTINCT deal_id FROM claims WHERE article_id=? "
                                                  "AND deal_id IS NOT NULL", (article.id,))}
                old |= {r[0] for r in conn.execute("SELECT DISTINCT former_deal FROM rejected_claims "
                                                   "WHERE article_id=? AND former_deal IS NOT NULL", (article.id,))}
                conn.execute("DELETE FROM claims WHERE article_id=?", (article.id,))
                conn.execute("DELETE FROM rejected_claims WHERE article_id=?", (article.id,))
                conn.execute("UPDATE claim_reviews SET claim_id=NULL WHERE article_id=?", (article.id,))
                claims = store._prepare_claims(article, claims)
                pairs = {(c.supplier, c.recipient) for c in claims if c.kind != "cumulative" and not c.family}
                mapping = assign_deals(claims, store._family_deals(pairs))
                matched = self._match_reviews(article.id, claims)
                touched = set(old)
                for c in claims:
                    rev = matched.get(c.id)
                    did = self._resolve_merge(mapping.get(c.id)) if mapping.get(c.id) else None
                    if rev is None:
                        store._insert_claim(c, did)
                        touched.add(did)
                        continue
                    conn.execute("UPDATE claim_reviews SET claim_id=? WHERE key=?", (c.id, rev["key"]))
                    eff = _apply(c, rev["fields"])
                    if rev["deal_id"]:
                        did = self._resolve_merge(rev["deal_id"])
                    elif rev["fields"] and any(k in _IDENTITY for k in rev["fields"]):
                        did = self._deal_for(eff)
                    if rev["status"] == "rejected":
                        self._reject_row(eff, did)
                    else:
                        store._insert_claim(eff, did if eff.kind != "cumulative" else None)
                        touched.add(did)
                self._rebuild(touched)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return len(matched)

    def apply_merges(self) -> int:
        """Move claims that the extractor put into merged-away deals (new articles) into the
        deals they were merged into. Returns the number of deals touched."""
        with self.store._lock:
            rows = self._conn.execute("SELECT DISTINCT c.deal_id, m.target FROM claims c JOIN deal_merges m "
                                      "ON m.source = c.deal_id").fetchall()
            if not rows:
                return 0
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                touched: set[str | None] = set()
                for source, target in rows:
                    self._conn.execute("UPDATE claims SET deal_id=? WHERE deal_id=?", (target, source))
                    touched |= {source, target}
                self._rebuild(touched)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        return len(rows)

    # -- internals -------------------------------------------------------------------
    def _review_by_claim(self, claim_id: str) -> dict[str, Any] | None:
        r = self._conn.execute("SELECT key, status, fields, machine, deal_id, reviewer, note, updated_at "
                               "FROM claim_reviews WHERE claim_id=?", (claim_id,)).fetchone()
        return _review_row(r) if r else None

    def _machine_claim(self, current: Claim, rev: dict[str, Any]) -> Claim:
        """The claim as the machine extracted it: the stored claim with corrected fields
        set back to the machine's values."""
        m = Claim.from_dict(_claim_dict(current))
        for k, v in rev.get("machine", {}).items():
            if k in rev.get("fields", {}):
                setattr(m, k, v)
        return m

    def _place(self, claim_id: str, machine: Claim, status: str, corr: dict[str, Any], explicit: str | None,
               cur_deal: str | None, recompute: bool) -> str | None:
        """Write the effective claim where it belongs (claims or rejected_claims) and
        rebuild the deals it leaves and joins; returns its deal id."""
        eff = _apply(machine, corr)
        if explicit:
            did = self._resolve_merge(explicit)
        elif recompute:  # identity corrected, or corrected / moved before: the rules place it again
            did = self._deal_for(eff)
        elif cur_deal is not None:
            did = cur_deal
        else:
            did = self._deal_for(eff)
        if eff.kind == "cumulative":
            did = None
        self._conn.execute("DELETE FROM claims WHERE id=?", (claim_id,))
        self._conn.execute("DELETE FROM rejected_claims WHERE id=?", (claim_id,))
        if status == "rejected":
            self._reject_row(eff, did)
            self._rebuild({cur_deal})
            return did
        self.store._insert_claim(eff, did)
        self._rebuild({cur_deal, did})
        return did

    def _reject_row(self, c: Claim, former_deal: str | None) -> None:
        art = c.article.get("id") if isinstance(c.article, dict) else None
        self._conn.execute("INSERT OR REPLACE INTO rejected_claims(id, article_id, former_deal, data) VALUES (?,?,?,?)",
                           (c.id, art, former_deal, json.dumps(_claim_dict(c), ensure_ascii=False, sort_keys=True)))

    def _deal_for(self, c: Claim) -> str | None:
        """The deal the extractor's rules put a claim with these values in (merges followed)."""
        if c.kind == "cumulative":
            return None
        existing = self.store._family_deals({(c.supplier, c.recipient)})
        did = assign_deals([c], existing).get(c.id)
        return self._resolve_merge(did) if did else None

    def _resolve_merge(self, deal_id: str | None) -> str | None:
        seen: set[str] = set()
        while deal_id and deal_id not in seen:
            seen.add(deal_id)
            r = self._conn.execute("SELECT target FROM deal_merges WHERE source=?", (deal_id,)).fetchone()
            if r is None:
                return deal_id
            deal_id = r[0]
        return deal_id

    def _deal_exists(self, deal_id: str | None) -> bool:
        return bool(deal_id) and self._conn.execute("SELECT 1 FROM deals WHERE id=?", (deal_id,)).fetchone() is not None

    def _match_reviews(self, article_id: str, claims: list[Claim]) -> dict[str, dict[str, Any]]:
        """{new claim id: review} for the article's stored reviews (resolve.reviews.match_reviews decides)."""
        rows = self._conn.execute(
            "SELECT key, status, fields, machine, deal_id, reviewer, note, updated_at, sent_start, sent_end, "
            "kind, designation, stage FROM claim_reviews WHERE article_id=?", (article_id,)).fetchall()
        if not rows:
            return {}
        reviews = []
        for r in rows:
            rev = _review_row(r[:8])
            rev["sig"] = {"sent_start": r[8], "sent_end": r[9], "kind": r[10], "designation": r[11], "stage": r[12]}
            reviews.append(rev)
        return match_reviews(reviews, claims)

    def _rebuild(self, deal_ids: Iterable[str | None]) -> None:
        """Recompute the stored summaries of these deals from their claims (inside the
        caller's transaction), through the store's own incremental routine, article by
        article in insertion order, as if their claims had just been ingested."""
        store, conn = self.store, self._conn
        for did in sorted({d for d in deal_ids if d}):
            rows = conn.execute("SELECT article_id, data FROM claims WHERE deal_id=? ORDER BY rowid",
                                (did,)).fetchall()
            conn.execute("DELETE FROM deals WHERE id=?", (did,))
            for table in ("deal_dates", "deal_parts", "deal_years", "deal_stages"):
                conn.execute(f"DELETE FROM {table} WHERE deal_id=?", (did,))
            conn.execute("DELETE FROM claims WHERE deal_id=?", (did,))
            for _art, group in itertools.groupby(rows, key=lambda r: r[0]):
                batch = [Claim.from_dict(json.loads(data)) for _a, data in group]
                for c in batch:
                    store._insert_claim(c, did)
                store._refresh_deal(did, batch)

    def _audit(self, reviewer: str, action: str, key: str | None, claim_id: str | None, deal_id: str | None,
               before: Any, after: Any, note: str | None) -> None:
        self._conn.execute(
            "INSERT INTO review_audit(at, reviewer, action, claim_key, claim_id, deal_id, before, after, note) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (_now(), reviewer, action, key, claim_id, deal_id, json.dumps(before, ensure_ascii=False, sort_keys=True),
             json.dumps(after, ensure_ascii=False, sort_keys=True), note))


def _apply(c: Claim, fields: dict[str, Any]) -> Claim:
    out = Claim.from_dict(_claim_dict(c))
    for k, v in fields.items():
        setattr(out, k, v)
    return out


def _review_row(r: tuple) -> dict[str, Any]:
    return {"key": r[0], "status": r[1], "fields": json.loads(r[2] or "{}"), "machine": json.loads(r[3] or "{}"),
            "deal_id": r[4], "reviewer": r[5], "note": r[6], "updated_at": r[7]}


def _statements(sql: str) -> list[str]:
    """Split a schema on ';' but keep trigger bodies (BEGIN ... END;) whole."""
    out, buf = [], []
    for part in sql.split(";"):
        buf.append(part)
        text = ";".join(buf)
        if "BEGIN" in text.upper().split("TRIGGER", 1)[-1] and not text.rstrip().upper().endswith("END"):
            continue
        if text.strip():
            out.append(text.strip())
        buf = []
    return out


def _stem(path: str | None) -> str | None:
    if not path:
        return None
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _neg(date: str | None) -> str:
    """A key that sorts ISO dates newest first."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in (date or ""))
