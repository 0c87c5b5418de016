-- Features on top of the core tenancy: policies (immutable versions, signed publications),
-- alert rules and alerts, webhooks with their delivery log, integration secrets (encrypted,
-- in a table of their own) and the hash-chained audit log. Every table is organisation-scoped
-- with the same row-level security policy as the core tables.

CREATE TABLE policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  -- NULL: the organisation's default policy; otherwise the policy of one project.
  project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);
CREATE UNIQUE INDEX policies_project_key ON policies (org_id, project_id) WHERE project_id IS NOT NULL;
CREATE UNIQUE INDEX policies_default_key ON policies (org_id) WHERE project_id IS NULL;

-- Versions are immutable: the application role may add and read them, never change them.
CREATE TABLE policy_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  policy_id uuid NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  document jsonb NOT NULL,
  content_hash text NOT NULL CHECK (content_hash ~ '^[a-f0-9]{64}$'),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (policy_id, version)
);
CREATE INDEX policy_versions_org_idx ON policy_versions (org_id, policy_id);

-- Each publication signs a version anew; the latest one per policy is what SDKs pull.
CREATE TABLE policy_publications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  policy_id uuid NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  version_id uuid NOT NULL REFERENCES policy_versions (id) ON DELETE CASCADE,
  bundle jsonb NOT NULL,
  etag text NOT NULL,
  published_by uuid REFERENCES users (id) ON DELETE SET NULL,
  published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX policy_publications_latest_idx ON policy_publications (org_id, policy_id, published_at DESC);

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  url text NOT NULL CHECK (length(url) <= 2048),
  format text NOT NULL CHECK (format IN ('warden', 'slack')),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_org_idx ON webhooks (org_id);

-- Secrets live apart from the rows that use them, sealed with AES-256-GCM (src/crypto/secret-box.ts):
-- a dump of the other tables carries no secret, and this one carries only ciphertext.
CREATE TABLE integration_secrets (
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  ciphertext text NOT NULL,
  key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, name)
);

CREATE TABLE alert_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  condition jsonb NOT NULL,
  cooldown_minutes integer NOT NULL CHECK (cooldown_minutes BETWEEN 0 AND 10080),
  webhook_ids uuid[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  last_triggered_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_rules_org_idx ON alert_rules (org_id) WHERE enabled;

CREATE TABLE alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  triggered_at timestamptz NOT NULL DEFAULT now(),
  summary text NOT NULL,
  event_count integer NOT NULL,
  event_ids uuid[] NOT NULL,
  categories text[] NOT NULL,
  agent_ids text[] NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved'))
);
CREATE INDEX alerts_org_time_idx ON alerts (org_id, triggered_at DESC);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  alert_id uuid REFERENCES alerts (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status integer,
  ok boolean NOT NULL,
  error text,
  next_delay_ms integer
);
CREATE INDEX webhook_deliveries_org_idx ON webhook_deliveries (org_id, webhook_id, started_at DESC);

-- The audit log: append-only and hash-chained per organisation (src/crypto/audit-chain.ts).
-- No foreign key to organizations: the trail must outlive what it describes.
CREATE TABLE audit_log (
  org_id uuid NOT NULL,
  sequence bigint NOT NULL CHECK (sequence >= 1),
  id uuid NOT NULL UNIQUE,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id text NOT NULL,
  action text NOT NULL,
  target_type text,
  target_id text,
  details jsonb NOT NULL,
  ip text,
  user_agent text,
  previous_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (org_id, sequence)
);
CREATE INDEX audit_log_time_idx ON audit_log (org_id, occurred_at);

-- Rejects changes for every role, the owner included; only disabling the trigger (a superuser
-- act) gets past it, and the hash chain then shows what changed.
CREATE FUNCTION warden_audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION warden_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION warden_audit_log_append_only();

ALTER TABLE policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON policies
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE policy_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON policy_versions
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE policy_publications ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON policy_publications
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON webhooks
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE integration_secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON integration_secrets
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE alert_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON alert_rules
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON alerts
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON webhook_deliveries
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON audit_log
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

GRANT SELECT, INSERT ON policy_versions, policy_publications, audit_log, webhook_deliveries TO warden_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON policies, webhooks, integration_secrets, alert_rules TO warden_app;
GRANT SELECT, INSERT, UPDATE ON alerts TO warden_app;

-- Leases of scheduled jobs shared by every replica (the retention purge): the replica whose
-- insert or takeover of an expired lease succeeds runs the job; the others skip that round.
-- System table: only the schema owner (the job) touches it, never the application role.
CREATE TABLE job_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL,
  last_started_at timestamptz NOT NULL,
  last_result jsonb
);
