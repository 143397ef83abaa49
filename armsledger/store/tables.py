"""The reads that resolution asks of a store (deal assignment, :mod:`armsledger.resolve.assign`;
the incremental summaries, :func:`armsledger.resolve.incremental.refresh`; running-total checks,
:func:`armsledger.resolve.cumulative.deal_checks`) and the write of the summary update
``refresh`` returns.

Storage only. What a summary holds, how claims change it and how running totals are checked
is resolution, in :mod:`armsledger.resolve`; this module knows the tables (``deals``,
``deal_dates``, ``deal_parts``, ``claims``) and their JSON columns. Written in the store's SQL,
so both backends use it (PostgreSQL through the dialect layer of ``store/postgres.py``).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from ..models import Claim
from ..resolve.incremental import Aggregate, DealUpdate, Part


class DealTables:
    """The :class:`~armsledger.resolve.assign.AssignReader`,
    :class:`~armsledger.resolve.incremental.DealReader` and
    :class:`~armsledger.resolve.cumulative.TotalsReader` of a store's connection, and
    :meth:`write`. Runs inside the caller's transaction."""

    def __init__(self, conn: Any):
        self._conn = conn

    def summary_row(self, deal_id: str) -> dict[str, Any] | None:
        r = self._conn.execute(
            "SELECT designations, stages, first_date, last_date, n_claims, n_articles, hedged, terms, state "
            "FROM deals WHERE id=?", (deal_id,)).fetchone()
        if r is None:
            return None
        return {"designations": json.loads(r[0]), "stages": json.loads(r[1]), "first_date": r[2],
                "last_date": r[3], "n_claims": r[4], "n_articles": r[5], "hedged": r[6],
                "terms": json.loads(r[7] or "{}"), "state": json.loads(r[8] or "{}")}

    def count_claims(self, article_id: str | None, deal_id: str) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM claims WHERE article_id IS ? AND deal_id=?",
                                  (article_id, deal_id)).fetchone()[0]

    def claim_in_deal(self, claim_id: str, deal_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM claims WHERE id=? AND deal_id=?",
                                  (claim_id, deal_id)).fetchone() is not None

    def count_denials(self, claim_id: str, deal_id: str) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM claims WHERE denies=? AND deal_id=? AND stage='denied'",
                                  (claim_id, deal_id)).fetchone()[0]

    def date_aggregates(self, deal_id: str, sk: str, part: str) -> dict[str, Aggregate]:
        rows = self._conn.execute("SELECT date, n, votes, unc, norms FROM deal_dates WHERE deal_id=? AND sk=? "
                                  "AND part=?", (deal_id, sk, part)).fetchall()
        return {d: [n, json.loads(v), u, json.loads(nm)] for d, n, v, u, nm in rows}

    def has_date(self, deal_id: str, sk: str, part: str, date: str) -> bool:
        return self._conn.execute("SELECT 1 FROM deal_dates WHERE deal_id=? AND sk=? AND part=? AND date=?",
                                  (deal_id, sk, part, date)).fetchone() is not None

    def delivery_dates(self, deal_id: str, parts: tuple[str, str], lo: str, hi: str) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT date FROM deal_dates WHERE deal_id=? AND sk='t' AND part IN (?, ?) AND date BETWEEN ? AND ?",
            (deal_id, parts[0], parts[1], lo, hi))]

    def parts(self, deal_id: str, sk: str) -> dict[str, Part]:
        rows = self._conn.execute("SELECT part, n_groups, sum_q, any_q, unc, conflicts, min_key, single "
                                  "FROM deal_parts WHERE deal_id=? AND sk=?", (deal_id, sk)).fetchall()
        return {p: (n, s, a, u, c, k, json.loads(single) if single is not None else None)
                for p, n, s, a, u, c, k, single in rows}

    def light_claims(self, deal_id: str) -> list[Claim]:
        """A deal's claims from the columns (no evidence JSON), in insertion order."""
        rows = self._conn.execute(
            "SELECT id, article_id, kind, supplier, recipient, maker, designation, family, category, quantity, "
            "uncertain, stage, date, granularity, attribution, hedged, denies, terms FROM claims WHERE deal_id=? "
            "ORDER BY rowid", (deal_id,)).fetchall()
        return [Claim(id=r[0], article={"id": r[1]}, kind=r[2], supplier=r[3], recipient=r[4], maker=r[5],
                      designation=r[6], family=r[7], category=r[8], quantity=r[9], uncertain=bool(r[10]),
                      stage=r[11], date=r[12], granularity=r[13], attribution=r[14], hedged=bool(r[15]),
                      denies=r[16], terms=json.loads(r[17] or "{}")) for r in rows]

    def pair_totals(self, supplier: str | None, recipient: str | None, limit: int) -> list[Claim]:
        rows = self._conn.execute(
            "SELECT data FROM claims WHERE supplier IS ? AND recipient IS ? AND kind='cumulative' "
            "ORDER BY date DESC, id LIMIT ?", (supplier, recipient, limit)).fetchall()
        return [Claim.from_dict(json.loads(r[0])) for r in rows]

    def pair_deals(self, supplier: str | None, recipient: str | None) -> list[tuple]:
        return self._conn.execute(
            "SELECT id, supplier, recipient, family, category FROM deals WHERE supplier IS ? AND recipient IS ?",
            (supplier, recipient)).fetchall()

    def family_deals(self, pairs: Iterable[tuple[str | None, str | None]]) -> list[dict[str, Any]]:
        out = []
        for s, r in pairs:
            rows = self._conn.execute(
                "SELECT id, supplier, recipient, family, category FROM deals "
                "WHERE supplier IS ? AND recipient IS ? AND family IS NOT NULL", (s, r)).fetchall()
            out.extend({"id": x[0], "supplier": x[1], "recipient": x[2], "family": x[3], "category": x[4]}
                       for x in rows)
        return out

    def deal_exists(self, deal_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM deals WHERE id=?", (deal_id,)).fetchone() is not None

    def familyless_articles(self, supplier: str | None, recipient: str | None, skip_article: str) -> list[str]:
        return [r[0] for r in self._conn.execute(
            "SELECT DISTINCT article_id FROM claims WHERE supplier IS ? AND recipient IS ? AND family IS NULL "
            "AND category IS NOT NULL AND kind != 'cumulative' AND article_id != ?",
            (supplier, recipient, skip_article))]

    def any_familyless(self) -> bool:
        """Whether some stored transfer claim has no family but a category (one whose deal can
        change when other articles arrive: :func:`~armsledger.resolve.assign.depends_on_ledger`)."""
        return self._conn.execute(
            "SELECT 1 FROM claims WHERE family IS NULL AND category IS NOT NULL AND kind != 'cumulative' LIMIT 1"
        ).fetchone() is not None

    def delete_summary(self, deal_id: str) -> None:
        """Remove a deal's summary row and its ``deal_dates`` / ``deal_parts`` rows."""
        self._conn.execute("DELETE FROM deals WHERE id=?", (deal_id,))
        self._conn.execute("DELETE FROM deal_dates WHERE deal_id=?", (deal_id,))
        self._conn.execute("DELETE FROM deal_parts WHERE deal_id=?", (deal_id,))

    def article_claims(self, article_id: str) -> list[tuple[Claim, str | None]]:
        """An article's claims from the columns, with their deal ids, in insertion order."""
        rows = self._conn.execute(
            "SELECT id, article_id, kind, supplier, recipient, maker, designation, family, category, quantity, "
            "uncertain, stage, date, granularity, attribution, hedged, denies, terms, deal_id FROM claims "
            "WHERE article_id=? ORDER BY rowid", (article_id,)).fetchall()
        return [(Claim(id=r[0], article={"id": r[1]}, kind=r[2], supplier=r[3], recipient=r[4], maker=r[5],
                       designation=r[6], family=r[7], category=r[8], quantity=r[9], uncertain=bool(r[10]),
                       stage=r[11], date=r[12], granularity=r[13], attribution=r[14], hedged=bool(r[15]),
                       denies=r[16], terms=json.loads(r[17] or "{}")), r[18]) for r in rows]

    def write(self, deal_id: str, upd: DealUpdate, updated_at: str) -> None:
        """Store one deal's update: its changed per-date aggregates and year clusterings, and
        its summary row (inserted, or the existing one replaced)."""
        conn = self._conn
        for (sk, part, date), a in upd.dates.items():
            conn.execute("INSERT OR REPLACE INTO deal_dates(deal_id, sk, part, date, n, votes, unc, norms) "
                         "VALUES (?,?,?,?,?,?,?,?)",
                         (deal_id, sk, part, date, a[0], json.dumps(a[1]), int(a[2]), json.dumps(a[3])))
        for (sk, part), (n_groups, sum_q, any_q, unc, conflicts, min_key, single) in upd.parts.items():
            conn.execute("INSERT OR REPLACE INTO deal_parts(deal_id, sk, part, n_groups, sum_q, any_q, unc, "
                         "conflicts, min_key, single) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (deal_id, sk, part, n_groups, sum_q, int(any_q), int(unc), conflicts, min_key,
                          json.dumps(single) if single is not None else None))
        s = upd.summary
        row = dict(s, designations=json.dumps(s["designations"], ensure_ascii=False),
                   stages=json.dumps(s["stages"]), delivery_years=json.dumps(s["delivery_years"]),
                   terms=json.dumps(s["terms"], ensure_ascii=False, sort_keys=True),
                   state=json.dumps(s["state"], ensure_ascii=False, sort_keys=True), updated_at=updated_at)
        cols = list(row)
        conn.execute(
            f"INSERT INTO deals(id, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))}) "
            f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{k}=excluded.{k}' for k in cols)}",
            (deal_id, *[row[k] for k in cols]))
