-- The failedOpen filter of the events list (services/analytics.ts, FAILED_OPEN): an index of only
-- the events that failed open, in the list's order (org_id, then occurred_at and id, read
-- backwards for newest first), so a page of them does not scan an organisation's every event.
-- The predicate is FAILED_OPEN word for word: the planner uses a partial index only when the
-- query's condition implies it, so the two must change together. Created on the partitioned
-- parent, it reaches every partition (and DEFAULT) and those created later. The build blocks
-- writes to events while it runs (CONCURRENTLY works neither on a partitioned table nor inside the
-- migration's transaction); it reads each partition once.
CREATE INDEX events_failed_open_idx ON events (org_id, occurred_at, id)
  WHERE (matched_rule IS NOT DISTINCT FROM 'policy.fail-open'
    OR (cardinality(failed_layers) > 0 AND policy_decision <> 'block'));
