"""Article → Claims: the extraction pipeline, a few components over one parsed article.

    sentences.split      the article's sentences
    mentions.Reader      what each names: transfer verbs, equipment, parties, dates
    context.Context      what the article as a whole is about (its parties, its events)
    candidates           one candidate claim per equipment mention near a transfer verb, filled from
                         the sentence, else from its neighbours (discourse.py) and the context;
                         verb and stage choice in stages.py, dates in dating.py
    merge                article-level passes: generic nouns named, one item told twice folded
    events               a second transfer verb of a sentence proposes the item again
    decide               the learned decision on each candidate, with its confidence
    counts               a decided claim takes the count its verb has as an argument, else (if the
                         rules gave none) the one its parse attaches to the item; an order its whole;
                         "the planes" read as a model told before, the count told with it
    dating               a decided claim of what is to come, undated, takes a yearless month read forward;
                         one dated from another clause takes the date its own verb carries; items
                         listed with a date each take each their own
    tranches             a bare count after a counted item, with a date of its own ("12 tanks this year, 20 in
                         2025"), is a tranche: a record of its own

A sentence that can hold no transfer (no trigger, no equipment) is dropped after a couple of
regular-expression checks. What a sentence leaves implicit is filled as a careful reader would:
"the helicopters" → the Mi-35P named just before, "It comprised ..." → the delivery and date of the
sentence before, "the country" → the recipient the article is about.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from armsledger.catalog import Catalog
from armsledger.extract import decide, events, merge, sentences
from armsledger.extract.candidates import Candidates
from armsledger.extract.context import Context
from armsledger.extract.dates import date_in_url
from armsledger.extract.mentions import Reader, Sent, trusted
from armsledger.gazetteer import Gazetteer
from armsledger.models import Article, Claim

# A "sentence" longer than this is not read: the longest in 460 annotated news articles has 453
# characters, so this is a run-on line, a table or padding, and reading it would cost time
# that grows faster than its length (the rules' patterns backtrack over long runs).
MAX_SENTENCE = 2000


class Extractor:
    """Holds the loaded gazetteer and catalog; `extract` is re-entrant."""

    def __init__(self, gazetteer: Gazetteer | None = None, catalog: Catalog | None = None, decide: bool = True):
        self.decide = decide  # False: the rule candidates as proposed (training reads these)
        self.gazetteer = gazetteer or Gazetteer.default()
        self.catalog = catalog or Catalog.default()
        self._reader = Reader(self.catalog, self.gazetteer)
        self._candidates = Candidates(self.gazetteer, self.catalog)

    def extract(self, article: Article) -> list[Claim]:
        claims, sents, ctx = self._read(article, proposals=self.decide)
        if self.decide:
            claims = decide.decide(claims, gazetteer=self.gazetteer,
                                   mentions={st.s.start: st.found for st in sents if st.found is not None})
        return self._finish(article, claims, ctx)

    def candidates(self, article: Article) -> list[Claim]:
        """Every candidate the learned decision weighs: the rules' claims, then the secondary events
        (events.py) proposed next to them. Training reads these."""
        claims, _sents, ctx = self._read(article, proposals=True)
        return self._finish(article, claims, ctx)

    def _read(self, article: Article, proposals: bool) -> tuple[list[Claim], list[Sent], Context]:
        """The article's sentences, context and rule claims; with `proposals`, the secondary events too."""
        text = article.text
        pub = article.published or date_in_url(article.url)
        sents = [Sent(i, s) for i, s in enumerate(x for x in sentences.split(text) if len(x.text) <= MAX_SENTENCE)]
        ctx = Context(article, self.gazetteer, pub)
        for st in sents:
            self._reader.analyse(st, pub)
        lowered = text.lower()
        for st in sents:
            st.actors = trusted(st.actors, lowered, st.s.text)
        ctx.learn(sents)
        claims: list[Claim] = []
        for st in sents:
            if st.equipment or st.triggers:
                new = self._candidates.for_sentence(st, sents, ctx)
                st.claims = new
                claims.extend(new)
        merge.specify_generics(claims, sents)
        merge.suppliers_named_later(claims)
        claims = merge.dedupe(claims)
        merge.date_running_totals(claims)
        if proposals:
            claims = claims + events.secondary_events(claims, pub)
        return claims, sents, ctx

    def _finish(self, article: Article, claims: list[Claim], ctx: Context) -> list[Claim]:
        for c in claims:  # a party taken from context is quoted where the article first names it
            for party in ("supplier", "recipient"):
                code = getattr(c, party)
                if code and party not in c.evidence and code in ctx.first_state:
                    c.evidence[party] = ctx.first_state[code]
        for n, c in enumerate(claims):
            c.id = f"{article.id}-{n}"
        merge.link_denials(claims)
        return claims


# --------------------------------------------------------------- entry points
_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def extract(article: Article) -> list[Claim]:
    """Every transfer claim and running total reported in one article."""
    return default_extractor().extract(article)


def _extract_chunk(articles: list[Article]) -> list[list[Claim]]:
    ex = default_extractor()
    return [ex.extract(a) for a in articles]


def extract_many(articles: Iterable[Article], workers: int = 1, chunk: int = 16) -> Iterator[list[Claim]]:
    """Claims of each article, in input order; workers > 1 spreads chunks over processes."""
    if workers <= 1:
        ex = default_extractor()
        for a in articles:
            yield ex.extract(a)
        return
    import multiprocessing as mp

    def chunks() -> Iterator[list[Article]]:
        buf: list[Article] = []
        for a in articles:
            buf.append(a)
            if len(buf) >= chunk:
                yield buf
                buf = []
        if buf:
            yield buf

    ctx = mp.get_context("fork") if hasattr(mp, "get_context") else mp
    with ctx.Pool(workers) as pool:
        for result in pool.imap(_extract_chunk, chunks()):
            yield from result
