-- Events: append-only, partitioned by month on occurred_at (partitions are created ahead by
-- ensureEventPartitions; a DEFAULT partition catches anything outside them). The primary key
-- carries the partition key, as PostgreSQL requires; (org_id, id, occurred_at) is what makes
-- a retried event a duplicate.
CREATE TABLE events (
  org_id uuid NOT NULL,
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  project_id uuid NOT NULL,
  agent text NOT NULL,
  surface text NOT NULL,
  decision text NOT NULL,
  policy_decision text NOT NULL,
  risk double precision NOT NULL,
  categories text[] NOT NULL,
  rule_ids text[] NOT NULL,
  matched_rule text,
  layers text[] NOT NULL,
  latency_ms double precision NOT NULL,
  policy_name text NOT NULL,
  policy_revision text,
  tool_name text,
  argument_hashes jsonb,
  sdk_version text NOT NULL,
  PRIMARY KEY (org_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE events_default PARTITION OF events DEFAULT;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON events
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
-- Append-only: the application role can add and read events, never change them.
GRANT SELECT, INSERT ON events TO warden_app;

-- Hourly rollups keep stats queries independent of the number of stored events.
-- dimension: 'total' (key ''), 'category', 'rule', 'surface', 'latency' (key '<layer>:<bucket>').
CREATE TABLE event_rollups (
  org_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  project_id uuid NOT NULL,
  dimension text NOT NULL,
  key text NOT NULL,
  decision text NOT NULL,
  events bigint NOT NULL,
  -- dimension before bucket: every stats query reads one dimension over a time range.
  PRIMARY KEY (org_id, dimension, bucket, project_id, key, decision)
);

ALTER TABLE event_rollups ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON event_rollups
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
GRANT SELECT, INSERT, UPDATE ON event_rollups TO warden_app;
