-- Text compares byte by byte, as in SQLite: ids, dates and names sort the same on both backends
-- whatever the server's default collation (an en_US server would put "a-10" before "A-2" and ignore
-- the dashes), so pages, exports and replays come out in one order. Tables added by later
-- migrations declare COLLATE "C" on their text columns themselves.
-- The views depend on the columns; the store recreates them after the migrations.
DROP VIEW IF EXISTS claims_flat;
DROP VIEW IF EXISTS deals_summary;
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT c.table_name, c.column_name
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.data_type = 'text'
          AND c.table_name IN ('articles', 'claims', 'deals', 'deal_years', 'deal_stages', 'deal_dates',
                               'deal_parts', 'countries', 'watch_items', 'watch_sources', 'claim_reviews',
                               'deal_merges', 'rejected_claims', 'review_audit')
          AND c.collation_name IS DISTINCT FROM 'C'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"', col.table_name, col.column_name);
    END LOOP;
END
$$;
