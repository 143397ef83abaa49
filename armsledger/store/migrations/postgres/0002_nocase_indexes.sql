-- SQLite compares supplier, recipient and category without case (COLLATE NOCASE); the
-- PostgreSQL store compares lower(...) = lower(...), which these indexes serve.
CREATE INDEX deals_supplier_lower ON deals(lower(supplier));
CREATE INDEX deals_recipient_lower ON deals(lower(recipient));
CREATE INDEX deals_category_lower ON deals(lower(category));
CREATE INDEX claims_supplier_lower ON claims(lower(supplier));
CREATE INDEX claims_recipient_lower ON claims(lower(recipient));
CREATE INDEX articles_outlet_lower ON articles(lower(outlet));
CREATE INDEX claims_pair_lower ON claims(lower(supplier), lower(recipient), kind);
CREATE INDEX deals_pair_lower ON deals(lower(supplier), lower(recipient));
