-- Durable webhook deliveries: one row per alert notification still to send to one webhook.
-- Firing an alert inserts its rows in the alert's own transaction; a dispatcher on every
-- replica claims due rows (SELECT … FOR UPDATE SKIP LOCKED, then next_attempt_at moves past the
-- attempt's timeout, a lease), posts, records the attempt in webhook_deliveries, and deletes the
-- row on success or when it gives up, or moves next_attempt_at to the backoff. A restart or a
-- crash leaves the row for the next dispatcher. `notification` is the alert notification; the
-- body sent is built from it in the webhook's format at each attempt.
CREATE TABLE webhook_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  alert_id uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  notification jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at);
CREATE INDEX webhook_outbox_org_idx ON webhook_outbox (org_id);

ALTER TABLE webhook_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON webhook_outbox
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_outbox TO warden_app;
