-- The review workbench (store/reviews.py, which creates the same tables in an SQLite ledger on
-- first use): here in a migration, so two reviewers opening a new ledger at once never race.
CREATE TABLE claim_reviews (
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
CREATE INDEX claim_reviews_claim ON claim_reviews(claim_id);
CREATE INDEX claim_reviews_article ON claim_reviews(article_id);
CREATE INDEX claim_reviews_status ON claim_reviews(status);
CREATE TABLE deal_merges (
    source TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    reviewer TEXT,
    at TEXT
);
CREATE TABLE rejected_claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    former_deal TEXT,
    data TEXT NOT NULL
);
CREATE INDEX rejected_claims_article ON rejected_claims(article_id);
CREATE INDEX rejected_claims_deal ON rejected_claims(former_deal);
CREATE TABLE review_audit (
    id BIGSERIAL PRIMARY KEY,
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
-- append-only: any UPDATE, DELETE or TRUNCATE of the audit fails (as SQLite's triggers make it)
CREATE FUNCTION review_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_audit is append-only';
END;
$$;
CREATE TRIGGER review_audit_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON review_audit
    FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only();
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX deal_years_deal ON deal_years(deal_id, year);
CREATE INDEX claims_deal_article ON claims(deal_id, article_id);
CREATE INDEX claims_article_deal ON claims(article_id, deal_id);
-- the review queue's claim score (reviews._CLAIM_SCORE["postgresql"], the same expression)
CREATE INDEX claims_queue ON claims((1.0::float8 - 0.25::float8 * hedged - 0.15::float8 * uncertain
    - 0.1::float8 * (date IS NULL)::int - 0.1::float8 * (stage IS NOT DISTINCT FROM 'denied')::int), id);
CREATE INDEX deal_stages_deal ON deal_stages(deal_id, stage);
-- insertion order of articles (SQLite's implicit rowid): re-extraction goes through them in it
ALTER TABLE articles ADD COLUMN rowid BIGSERIAL;
