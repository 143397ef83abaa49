"""A deal told by hundreds of articles: its view stays readable and small (named articles and listed
sources are capped, every claim still listed), and the date clustering gives what the plain
pairwise rule gives."""
from __future__ import annotations

import random

from armsledger.models import Article, Claim
from armsledger.resolve import deals as R
from armsledger.resolve.sources import SOURCES_PER_SIDE
from armsledger.store import Store


def articles_of_one_deal(n: int, seed: int = 5):
    """n articles, one claim each, all about one deal (DEU → UKR Leopard 2): every tenth a denial that
    names no claim, the rest ordered, delivered or expected with clashing counts and dates."""
    rng = random.Random(seed)
    for i in range(n):
        a = Article(text=f"Report {i} on Leopard tanks for Ukraine.", published=f"2024-0{1 + i % 9}-1{i % 9}",
                    outlet=f"Outlet {i % 7}", url=f"https://example.org/{i}")
        stage = "denied" if i % 10 == 0 else rng.choice(["ordered", "delivered", "expected"])
        yield a, [Claim(id=f"{a.id}-1", article=a.meta(), supplier="DEU", recipient="UKR", family="Leopard 2",
                        category="tank", designation="Leopard 2A6", quantity=rng.choice([None, 4, 8, 14]),
                        stage=stage, date=rng.choice([None, "2023", "2023-02", f"2023-0{rng.randint(1, 9)}-1{i % 9}"]))]


def test_a_deal_of_many_articles_names_a_few_and_counts_the_rest(tmp_path):
    s = Store(tmp_path / "l.db")
    s.bulk_add(articles_of_one_deal(120))
    (row,) = s.ledger()
    deal = s.deal(row["id"])
    assert len(deal.claims) == 120
    stage = [x for x in deal.contradictions if x.field == "stage"]
    assert len(stage) == 12  # one per denial naming no claim
    for x in stage:
        affirmed, denied = x.description.split(" vs denied ")
        for part in affirmed.split(" / "):  # "ordered (Outlet 3, 2024-03-12, ... and 23 more)"
            assert part.count("Outlet") == R.NAMED_ARTICLES and part.endswith(" more)"), part
        assert denied.count("Outlet") == 1
        for side in x.sides:
            assert len(side["sources"]) == min(SOURCES_PER_SIDE, len(side["claims"]))
            assert side["n_sources"] == len(side["claims"])
        # every affirming claim is still on a side: the full evidence stays in the deal
        assert sum(len(side["claims"]) for side in x.sides) == 120 - 12 + 1
    s.close()


def _pairwise(claims: list[Claim]) -> list[list[Claim]]:
    """The clustering rule as first written: compare each date with every cluster (the undated claims
    are placed by the same with_undated; what is checked is the clustering of dates)."""
    dated = sorted((c for c in claims if c.date), key=lambda c: (-len(c.date), c.date, c.id))
    clusters: list[tuple[str, list[Claim]]] = []
    for c in dated:
        hits = [i for i, (d, _) in enumerate(clusters) if R.dates_compatible(d, c.date)]
        if len(hits) == 1:
            clusters[hits[0]][1].append(c)
        else:
            clusters.append((c.date, [c]))
    return R.with_undated([m for _, m in sorted(clusters, key=lambda x: x[0])], [c for c in claims if not c.date])


def test_date_clusters_equal_the_pairwise_rule():
    rng = random.Random(11)
    for trial in range(200):
        claims = []
        for j in range(rng.randint(1, 40)):
            y = rng.choice(["2022", "2023"])
            m = f"{y}-0{rng.randint(1, 3)}"
            date = rng.choice([None, y, m, f"{m}-1{rng.randint(0, 2)}"])
            claims.append(Claim(id=f"a{trial}-{j}", article={"id": f"a{trial}"}, stage="delivered", date=date))
        got = [[c.id for c in g] for g in R._group_by_date(claims)]
        assert got == [[c.id for c in g] for g in _pairwise(claims)], trial
