"""The analyst's workbench: FastAPI over one ledger file.

Pages (server-rendered, Jinja2 with autoescape): ``/`` ledger, ``/deals/{id}``,
``/articles/{id}``, ``/review``, ``/flows``, ``/audit``. JSON under ``/api/...``;
OpenAPI at ``/openapi.json``. Writes (review, merge, ingest, re-extract) need
``Authorization: Bearer <token>``; without a configured token the server is read-only.

Every handler is ``async`` and so runs on the event loop's one thread: the SQLite
connection is never used by two requests at once.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Header, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field

from ...api import Ledger
from ...models import STAGES, Article, Claim, Deal
from ...store.browse import REVIEW_FILTERS, SORTS, Browse, LedgerQuery
from ...store.reviews import ACTIONS, CORRECTABLE, ReviewError
from .auth import Tokens, load_tokens
from .views import FIELD_CLASSES, flows_chart_data, flows_svg, safe_url, segments, timeline_svg, years_svg

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_TEXT = 2_000_000
MAX_CARDS = 300  # claims drawn on a deal page (the JSON has them all)
ID_PATTERN = r"^[A-Za-z0-9_.:#-]{1,200}$"


# ---------------------------------------------------------------------------- request bodies
class ReviewIn(BaseModel):
    """One review action on a claim."""
    action: str = Field(..., description=f"one of: {', '.join(ACTIONS)}")
    reviewer: Optional[str] = Field(None, max_length=200,
                                    description="who reviews (required unless the token names the reviewer)")
    fields: dict[str, Any] = Field(default_factory=dict,
                                   description=f"for correct: field → value; fields: {', '.join(CORRECTABLE)}")
    deal_id: Optional[str] = Field(None, max_length=200, description="for move: the deal the claim goes to")
    note: Optional[str] = Field(None, max_length=2000)


class MergeIn(BaseModel):
    """Merge this deal into another."""
    into: str = Field(..., max_length=200, description="the deal that remains")
    reviewer: Optional[str] = Field(None, max_length=200)
    note: Optional[str] = Field(None, max_length=2000)


class ArticleIn(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    url: Optional[str] = Field(None, max_length=2000)
    title: Optional[str] = Field(None, max_length=2000)
    outlet: Optional[str] = Field(None, max_length=500)
    published: Optional[str] = Field(None, max_length=100, description="YYYY-MM-DD (other forms are parsed)")
    path: Optional[str] = Field(None, max_length=1000, description="a name for the article (e.g. its file name)")


class IngestIn(BaseModel):
    """Articles to read, extract and store; ``reextract``: extract again those already stored."""
    articles: list[ArticleIn] = Field(default_factory=list, max_length=1000)
    reextract: bool = False


class ReextractIn(BaseModel):
    article_ids: Optional[list[str]] = Field(None, max_length=100000,
                                             description="articles to extract again (all when absent)")


# ---------------------------------------------------------------------------- helpers
def _int(value: Optional[str], lo: int = -9999, hi: int = 9999) -> int | None:
    if value is None:
        return None
    try:
        v = int(str(value).strip())
    except ValueError:
        return None
    return v if lo <= v <= hi else None


def _bool(value: Optional[str]) -> bool | None:
    if value is None:
        return None
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    return None


_CODE_CACHE: dict[str, str] = {}


def country_code(name: Optional[str]) -> Optional[str]:
    """"Mali", "Malian" or "MLI" → "MLI"; other names (companies, groups) as given."""
    if not name or not name.strip():
        return None
    name = name.strip()[:200]
    if len(name) == 3 and name.isalpha():
        return name.upper()
    if name in _CODE_CACHE:
        return _CODE_CACHE[name]
    code = name
    try:
        from ...gazetteer import Gazetteer

        a = Gazetteer.default().lookup(name)
        if a is not None:
            code = a.country if a.kind == "state" and a.country else a.code
    except Exception:
        pass
    _CODE_CACHE[name] = code
    return code


_NAME_CACHE: dict[str, str] = {}


def country_name(code: Any) -> str:
    if code is None:
        return "?"
    code = str(code)
    if code not in _NAME_CACHE:
        try:
            from ..export import country_name as cn

            _NAME_CACHE[code] = cn(code) or code
        except Exception:
            _NAME_CACHE[code] = code
    return _NAME_CACHE[code]


def claim_json(c: Claim, deal_id: str | None = None, review: dict | None = None, rejected: bool = False) -> dict:
    d = c.to_dict()
    d["deal_id"] = deal_id
    d["review"] = _public_review(review, rejected)
    return d


def _public_review(review: dict | None, rejected: bool = False) -> dict:
    if not review:
        return {"status": "rejected" if rejected else "unreviewed"}
    return {"status": review["status"], "fields": review["fields"], "machine": review["machine"],
            "reviewer": review["reviewer"], "note": review["note"], "updated_at": review["updated_at"],
            "deal_id": review["deal_id"], "key": review["key"]}


class App:
    """State shared by the routes: the ledger, its review and browse helpers, the tokens."""

    def __init__(self, db: str | Path, tokens: Tokens):
        self.ledger = Ledger(db)
        self.reviews = self.ledger.reviews
        self.browse = Browse(self.ledger.store, self.reviews)
        self.tokens = tokens
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.filters["country"] = country_name
        self.env.filters["safe_url"] = safe_url
        self.env.globals.update(stages=STAGES, review_filters=REVIEW_FILTERS, sorts=list(SORTS),
                                field_classes=FIELD_CLASSES, correctable=CORRECTABLE)

    def render(self, name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("writable", self.tokens.writable)
        ctx["path"] = request.url.path
        html = self.env.get_template(name).render(**ctx)
        return HTMLResponse(html, status_code=status)

    def query(self, supplier: Optional[str], recipient: Optional[str], category: Optional[str],
              stage: Optional[str], year_from: Optional[str], year_to: Optional[str], outlet: Optional[str],
              contradictions: Optional[str], review: Optional[str], q: Optional[str], sort: Optional[str],
              order: Optional[str], limit: int, offset: int, reviewed_only: Optional[str]) -> LedgerQuery:
        return LedgerQuery(
            supplier=country_code(supplier), recipient=country_code(recipient),
            category=(category or "").strip()[:200] or None,
            stage=stage if stage in STAGES else None, year_from=_int(year_from), year_to=_int(year_to),
            outlet=(outlet or "").strip()[:500] or None, contradictions=_bool(contradictions),
            review=review if review in REVIEW_FILTERS else None, q=(q or "").strip()[:200] or None,
            sort=sort if sort in SORTS else "last_date", order="asc" if order == "asc" else "desc",
            limit=limit, offset=offset, reviewed_only=bool(_bool(reviewed_only)))

    def deal_claims(self, deal: Deal) -> tuple[dict[str, dict], list[Claim]]:
        reviews = self.reviews.reviews_for([c.id for c in deal.claims])
        rejected = self.reviews.rejected(deal_id=deal.id)
        reviews.update(self.reviews.reviews_for([c.id for c in rejected]))
        return reviews, rejected


def create_app(db: str | Path, token: str | None = None, token_file: str | Path | None = None) -> FastAPI:
    """The workbench over the ledger file ``db`` (created if missing)."""
    state = App(db, load_tokens(token, token_file))
    app = FastAPI(title="armsledger", version="0.1.0", docs_url=None, redoc_url=None,
                  description="A sourced, deduplicated ledger of arms transfers: read it, review it, correct it. "
                              "Writes need `Authorization: Bearer <token>`.")
    app.state.armsledger = state
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    async def writer(authorization: Optional[str] = Header(None, description="Bearer <token>")) -> Optional[str]:
        """The write guard: 403 when read-only, 401 without a valid bearer token; returns the
        reviewer the token names, if any."""
        if not state.tokens.writable:
            raise HTTPException(403, "read-only: no token is configured on this server")
        scheme, _, presented = (authorization or "").partition(" ")
        ok, name = state.tokens.check(presented.strip() if scheme.lower() == "bearer" else None)
        if not ok:
            raise HTTPException(401, "a valid 'Authorization: Bearer <token>' header is required",
                                headers={"WWW-Authenticate": "Bearer"})
        return name or ""

    def common(supplier: Optional[str] = Query(None, max_length=200, description="ISO3 code or name"),
               recipient: Optional[str] = Query(None, max_length=200, description="ISO3 code or name"),
               category: Optional[str] = Query(None, max_length=200,
                                               description='SIPRI description or group ("helicopter")'),
               stage: Optional[str] = Query(None, max_length=50, description=", ".join(STAGES)),
               year_from: Optional[str] = Query(None, max_length=10), year_to: Optional[str] = Query(None, max_length=10),
               outlet: Optional[str] = Query(None, max_length=500),
               contradictions: Optional[str] = Query(None, max_length=10, description="true: only deals with "
                                                     "contradictions; false: only without"),
               review: Optional[str] = Query(None, max_length=20, description=", ".join(REVIEW_FILTERS)),
               q: Optional[str] = Query(None, max_length=200, description="search in designations"),
               sort: Optional[str] = Query(None, max_length=30, description=", ".join(SORTS)),
               order: Optional[str] = Query(None, max_length=4, description="asc or desc"),
               reviewed_only: Optional[str] = Query(None, max_length=10,
                                                    description="true: the ledger over reviewed claims only")
               ) -> dict[str, Any]:
        return dict(supplier=supplier, recipient=recipient, category=category, stage=stage, year_from=year_from,
                    year_to=year_to, outlet=outlet, contradictions=contradictions, review=review, q=q, sort=sort,
                    order=order, reviewed_only=reviewed_only)

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse, summary="Ledger page")
    async def ledger_page(request: Request, f: dict = Depends(common), page: int = Query(1, ge=1, le=100000),
                          per_page: int = Query(50, ge=1, le=500)) -> HTMLResponse:
        lq = state.query(**f, limit=per_page, offset=(page - 1) * per_page)
        rows, total = state.browse.ledger(lq)
        facets = state.browse.facets(lq)
        params = {k: v for k, v in f.items() if v not in (None, "")}

        def link(**change: Any) -> str:
            p = {**params, **{k: v for k, v in change.items()}}
            p = {k: v for k, v in p.items() if v not in (None, "")}
            return "/?" + urlencode(p) if p else "/"

        pages = max(1, math.ceil(total / per_page))
        return state.render("ledger.html", request, rows=rows, total=total, facets=facets, f=params, page=page,
                            pages=pages, per_page=per_page, link=link, outlets=state.browse.outlets(),
                            counts=state.reviews.counts(), lq=lq)

    @app.get("/deals/{deal_id}", response_class=HTMLResponse, summary="Deal page")
    async def deal_page(request: Request, deal_id: str = PathParam(..., max_length=200)) -> HTMLResponse:
        deal = state.ledger.deal(deal_id)
        if deal is None:
            target = state.reviews._resolve_merge(deal_id)
            if target and target != deal_id:
                return state.render("moved.html", request, deal_id=deal_id, target=target)
            return state.render("error.html", request, status=404, message=f"No deal {deal_id}.")
        reviews, rejected = state.deal_claims(deal)
        contradicted: dict[str, list[str]] = {}
        for x in list(deal.contradictions) + list(deal.checks or []):
            for side in x.sides:
                for cid in side.get("claims", []):
                    contradicted.setdefault(cid, []).append(x.field)
        numbers = {c.id: i for i, c in enumerate(deal.claims, 1)}
        others = [r for r in state.ledger.store.ledger(supplier=deal.supplier, recipient=deal.recipient)
                  if r["id"] != deal.id][:30]
        return state.render("deal.html", request, deal=deal, reviews=reviews, rejected=rejected,
                            contradicted=contradicted, numbers=numbers, timeline=timeline_svg(deal), others=others,
                            audit=state.reviews.audit(limit=20, deal_id=deal.id), max_cards=MAX_CARDS)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, summary="Article page")
    async def article_page(request: Request, article_id: str = PathParam(..., max_length=200)) -> HTMLResponse:
        art = state.ledger.store.article(article_id)
        if art is None:
            return state.render("error.html", request, status=404, message=f"No article {article_id}.")
        claims = state.browse.article_claims(article_id)
        rejected = state.reviews.rejected(article_id=article_id)
        reviews = state.reviews.reviews_for([c.id for c, _ in claims] + [c.id for c in rejected])
        numbered = [(i, c) for i, (c, _) in enumerate(claims, 1)]
        segs = segments(art.text, numbered)
        used = sorted({s.css for s in segs if s.css})
        return state.render("article.html", request, art=art, claims=claims, numbered=numbered, segments=segs,
                            rejected=rejected, reviews=reviews, used_fields=used)

    @app.get("/review", response_class=HTMLResponse, summary="Review queue page")
    async def review_page(request: Request, page: int = Query(1, ge=1, le=100000),
                          per_page: int = Query(25, ge=1, le=200)) -> HTMLResponse:
        items = state.reviews.queue(limit=per_page, offset=(page - 1) * per_page)
        return state.render("review.html", request, items=items, page=page, per_page=per_page,
                            remaining=state.reviews.n_unreviewed(), counts=state.reviews.counts())

    @app.get("/flows", response_class=HTMLResponse, summary="Flows page")
    async def flows_page(request: Request, f: dict = Depends(common)) -> HTMLResponse:
        lq = state.query(**f, limit=50, offset=0)
        flows = state.browse.flows(lq)
        years = state.browse.by_year(lq)
        params = {k: v for k, v in f.items() if v not in (None, "")}
        return state.render("flows.html", request, flows=flows, years=years, f=params,
                            flows_chart=flows_svg(flows, country_name), years_chart=years_svg(years),
                            chart_data=flows_chart_data(flows, years, country_name),
                            ledger_link="/?" + urlencode(params) if params else "/")

    @app.get("/audit", response_class=HTMLResponse, summary="Audit trail page")
    async def audit_page(request: Request, page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
        rows = state.reviews.audit(limit=100, offset=(page - 1) * 100)
        return state.render("audit.html", request, rows=rows, page=page)

    # ------------------------------------------------------------------ JSON: reading
    @app.get("/api/deals", summary="Deals (the ledger), filtered, sorted and paged")
    async def api_deals(f: dict = Depends(common), limit: int = Query(50, ge=1, le=1000),
                        offset: int = Query(0, ge=0, le=10**9)) -> dict:
        lq = state.query(**f, limit=limit, offset=offset)
        rows, total = state.browse.ledger(lq)
        return {"total": total, "limit": limit, "offset": offset, "deals": rows}

    @app.get("/api/facets", summary="Deal counts per facet value for the filtered ledger")
    async def api_facets(f: dict = Depends(common)) -> dict:
        lq = state.query(**f, limit=1, offset=0)
        return {k: [{"value": v, "deals": n} for v, n in vals] for k, vals in state.browse.facets(lq).items()}

    @app.get("/api/flows", summary="Supplier → recipient flows and deals by year for the filtered ledger")
    async def api_flows(f: dict = Depends(common)) -> dict:
        lq = state.query(**f, limit=1, offset=0)
        return {"flows": state.browse.flows(lq), "years": state.browse.by_year(lq)}

    @app.get("/api/deals/{deal_id}", summary="One deal with its claims (each with its article and review)")
    async def api_deal(deal_id: str = PathParam(..., max_length=200)) -> dict:
        deal = state.ledger.deal(deal_id)
        if deal is None:
            raise HTTPException(404, f"no deal {deal_id!r}")
        reviews, rejected = state.deal_claims(deal)
        d = deal.to_dict()
        d["claims"] = [claim_json(c, deal.id, reviews.get(c.id)) for c in deal.claims]
        d["rejected_claims"] = [claim_json(c, None, reviews.get(c.id), True) for c in rejected]
        return d

    @app.get("/api/claims", summary="Claims, filtered (by article, deal, supplier, recipient, stage ...)")
    async def api_claims(article: Optional[str] = Query(None, max_length=200),
                         deal: Optional[str] = Query(None, max_length=200),
                         supplier: Optional[str] = Query(None, max_length=200),
                         recipient: Optional[str] = Query(None, max_length=200),
                         stage: Optional[str] = Query(None, max_length=50),
                         limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=10**9)) -> dict:
        rows = state.ledger.store.claims(article=article, deal=deal, supplier=country_code(supplier),
                                         recipient=country_code(recipient), stage=stage, limit=limit, offset=offset)
        reviews = state.reviews.reviews_for([c.id for c in rows])
        deals = state.browse.deal_ids([c.id for c in rows])
        return {"limit": limit, "offset": offset,
                "claims": [claim_json(c, deals.get(c.id), reviews.get(c.id)) for c in rows]}

    @app.get("/api/claims/{claim_id}", summary="One claim (also a rejected one) with its review")
    async def api_claim(claim_id: str = PathParam(..., max_length=200)) -> dict:
        found = state.reviews.claim(claim_id)
        if found is None:
            raise HTTPException(404, f"no claim {claim_id!r}")
        c, did, rejected = found
        return claim_json(c, None if rejected else did, state.reviews.review_of(claim_id), rejected)

    @app.get("/api/articles/{article_id}", summary="An article: text, metadata, claims with evidence spans")
    async def api_article(article_id: str = PathParam(..., max_length=200)) -> dict:
        art = state.ledger.store.article(article_id)
        if art is None:
            raise HTTPException(404, f"no article {article_id!r}")
        claims = state.browse.article_claims(article_id)
        rejected = state.reviews.rejected(article_id=article_id)
        reviews = state.reviews.reviews_for([c.id for c, _ in claims] + [c.id for c in rejected])
        spans = [{"claim": c.id, "field": name, "start": ev.start, "end": ev.end, "quote": ev.quote}
                 for c, _ in claims for name, ev in c.evidence.items()]
        return {**art.meta(), "text": art.text, "spans": spans,
                "claims": [claim_json(c, did, reviews.get(c.id)) for c, did in claims],
                "rejected_claims": [claim_json(c, None, reviews.get(c.id), True) for c in rejected]}

    @app.get("/api/review/queue", summary="Unreviewed claims, lowest confidence first")
    async def api_queue(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10**9)) -> dict:
        items = state.reviews.queue(limit=limit, offset=offset)
        return {"remaining": state.reviews.n_unreviewed(), "limit": limit, "offset": offset,
                "claims": [{**claim_json(i["claim"], i["deal_id"]), "confidence": i["confidence"]} for i in items]}

    @app.get("/api/audit", summary="The review audit trail, newest first")
    async def api_audit(limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=10**9),
                        claim: Optional[str] = Query(None, max_length=200),
                        deal: Optional[str] = Query(None, max_length=200)) -> dict:
        return {"audit": state.reviews.audit(limit=limit, offset=offset, claim_id=claim, deal_id=deal)}

    @app.get("/api/stats", summary="Counts: articles, claims, deals, reviews")
    async def api_stats() -> dict:
        return {**state.ledger.stats(), "reviews": state.reviews.counts(), "writable": state.tokens.writable}

    # ------------------------------------------------------------------ JSON: writing
    def reviewer_of(body_reviewer: Optional[str], token_name: str) -> str:
        name = (token_name or body_reviewer or "").strip()
        if not name:
            raise HTTPException(422, "a review names its reviewer: give 'reviewer'")
        return name

    @app.post("/api/claims/{claim_id}/review", summary="Accept, reject, correct, move or reset a claim")
    async def api_review(body: ReviewIn, claim_id: str = PathParam(..., max_length=200),
                         token_name: str = Depends(writer)) -> dict:
        reviewer = reviewer_of(body.reviewer, token_name)
        if state.reviews.claim(claim_id) is None:
            raise HTTPException(404, f"no claim {claim_id!r}")
        try:
            return state.reviews.review(claim_id, body.action, reviewer, body.fields, body.deal_id, body.note)
        except ReviewError as e:
            raise HTTPException(422, str(e)) from None

    @app.post("/api/deals/{deal_id}/merge", summary="Merge this deal into another")
    async def api_merge(body: MergeIn, deal_id: str = PathParam(..., max_length=200),
                        token_name: str = Depends(writer)) -> dict:
        reviewer = reviewer_of(body.reviewer, token_name)
        try:
            return state.reviews.merge(deal_id, body.into, reviewer, body.note)
        except ReviewError as e:
            raise HTTPException(422 if "no deal" not in str(e) else 404, str(e)) from None

    @app.post("/api/ingest", summary="Read, extract and store articles (JSON); optionally extract stored ones again")
    async def api_ingest(body: IngestIn, token_name: str = Depends(writer)) -> dict:
        from ...extract import extract
        from ...ingest import normalise_date

        added = skipped = n_claims = reextracted = 0
        errors: list[dict[str, str]] = []
        for i, a in enumerate(body.articles):
            try:
                art = Article(text=a.text, url=a.url, title=a.title, outlet=a.outlet,
                              published=normalise_date(a.published) if a.published else None, path=a.path)
                if not art.text:
                    raise ValueError("empty text")
                if state.ledger.store.has_article(art.id):
                    if body.reextract:
                        stored = state.ledger.store.article(art.id)
                        state.reviews.replace_claims(stored, extract(stored))
                        reextracted += 1
                    else:
                        skipped += 1
                    continue
                claims = extract(art)
                if state.ledger.store.add(art, claims):
                    added += 1
                    n_claims += len(claims)
                else:
                    skipped += 1
            except Exception as e:  # one article must not stop a batch
                errors.append({"index": str(i), "error": f"{type(e).__name__}: {e}"})
        if added:
            state.reviews.apply_merges()
        return {"added": added, "skipped": skipped, "reextracted": reextracted, "claims": n_claims,
                "errors": errors}

    @app.post("/api/reextract", summary="Extract stored articles again; reviews are applied to the new claims")
    async def api_reextract(body: ReextractIn, token_name: str = Depends(writer)) -> dict:
        return state.ledger.reextract(body.article_ids)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception):
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            detail = getattr(exc, "detail", "not found")
            return JSONResponse({"detail": detail}, status_code=404)
        return state.render("error.html", request, status=404, message="Not found.")

    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token_file: str | Path | None = None) -> None:
    """Run the workbench with uvicorn (blocks)."""
    import uvicorn

    app = create_app(db, token_file=token_file)
    mode = "writable (token configured)" if app.state.armsledger.tokens.writable else "read-only (no token)"
    print(f"armsledger workbench on http://{host}:{port}/ over {app.state.armsledger.ledger.path}: {mode}")
    uvicorn.run(app, host=host, port=port, log_level="info")
