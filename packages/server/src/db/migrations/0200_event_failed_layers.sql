-- The layers that failed on a scan (ScanEvent.failedLayers): with a policy decision other than
-- block, the scan failed open. Added on the partitioned parent, the column reaches every
-- existing partition (and DEFAULT) and those created later; a constant default is stored in the
-- catalogue, so existing rows are not rewritten (PostgreSQL 11+, PGlite alike). Events stored
-- before this migration read as '{}' (no layer known to have failed).
ALTER TABLE events ADD COLUMN failed_layers text[] NOT NULL DEFAULT '{}';
