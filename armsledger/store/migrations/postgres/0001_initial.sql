-- armsledger on PostgreSQL: the tables of store/sqlite.py's schema 2, same names and columns.
-- claims.rowid keeps the insertion order that SQLite's implicit rowid gives (deal replays use it).
CREATE TABLE schema_version (
    version INTEGER NOT NULL
);
INSERT INTO schema_version(version) VALUES (2);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,
    path TEXT,
    text TEXT,
    ingested_at TEXT
);
CREATE TABLE claims (
    rowid BIGSERIAL UNIQUE,
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    deal_id TEXT,
    kind TEXT NOT NULL DEFAULT 'transfer',
    supplier TEXT,
    recipient TEXT,
    maker TEXT,
    designation TEXT,
    family TEXT,
    category TEXT,
    cgroup TEXT,
    quantity BIGINT,
    uncertain INTEGER NOT NULL DEFAULT 0,
    stage TEXT,
    date TEXT,
    granularity TEXT,
    year INTEGER,
    attribution TEXT,
    hedged INTEGER NOT NULL DEFAULT 0,
    denies TEXT,
    terms TEXT,
    data TEXT NOT NULL
);
CREATE INDEX claims_deal ON claims(deal_id);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_pair ON claims(supplier, recipient, kind);
CREATE INDEX claims_recipient ON claims(recipient);
CREATE INDEX claims_stage ON claims(stage);
CREATE INDEX claims_year ON claims(year);
CREATE INDEX claims_family ON claims(family);
CREATE INDEX claims_denies ON claims(denies) WHERE denies IS NOT NULL;
CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    supplier TEXT,
    recipient TEXT,
    family TEXT,
    category TEXT,
    cgroup TEXT,
    designations TEXT NOT NULL DEFAULT '[]',
    stages TEXT NOT NULL DEFAULT '[]',
    quantity_ordered BIGINT,
    quantity_delivered BIGINT,
    quantity_uncertain INTEGER NOT NULL DEFAULT 0,
    order_date TEXT,
    first_date TEXT,
    last_date TEXT,
    delivery_years TEXT NOT NULL DEFAULT '[]',
    n_claims INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_contradictions INTEGER NOT NULL DEFAULT 0,
    hedged INTEGER NOT NULL DEFAULT 0,
    terms TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT
);
CREATE INDEX deals_supplier ON deals(supplier);
CREATE INDEX deals_recipient ON deals(recipient);
CREATE INDEX deals_pair ON deals(supplier, recipient);
CREATE INDEX deals_category ON deals(category);
CREATE INDEX deals_cgroup ON deals(cgroup);
CREATE INDEX deals_family ON deals(family);
CREATE INDEX deals_last ON deals(last_date);
CREATE TABLE deal_years (
    year INTEGER NOT NULL,
    deal_id TEXT NOT NULL,
    PRIMARY KEY (year, deal_id)
);
CREATE TABLE deal_stages (
    stage TEXT NOT NULL,
    deal_id TEXT NOT NULL,
    PRIMARY KEY (stage, deal_id)
);
CREATE TABLE deal_dates (
    deal_id TEXT NOT NULL,
    sk TEXT NOT NULL,
    part TEXT NOT NULL,
    date TEXT NOT NULL,
    n INTEGER NOT NULL,
    votes TEXT NOT NULL,
    unc INTEGER NOT NULL,
    norms TEXT NOT NULL,
    PRIMARY KEY (deal_id, sk, part, date)
);
CREATE TABLE deal_parts (
    deal_id TEXT NOT NULL,
    sk TEXT NOT NULL,
    part TEXT NOT NULL,
    n_groups INTEGER NOT NULL,
    sum_q BIGINT NOT NULL,
    any_q INTEGER NOT NULL,
    unc INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    min_key TEXT,
    single TEXT,
    PRIMARY KEY (deal_id, sk, part)
);
CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
