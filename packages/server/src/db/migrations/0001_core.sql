-- Core tenancy: organisations, users, memberships, sessions, projects, agents, API keys.
-- Organisation-scoped tables enable row-level security with one policy each, keyed on
-- warden_current_org(); route code runs as warden_app (see src/db/tenancy.ts).

DO $$
BEGIN
  CREATE ROLE warden_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database in this cluster (or a replica racing us) created it
END
$$;

-- The connecting user must be able to SET ROLE warden_app; a superuser already can.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT warden_app TO %I', current_user);
  END IF;
END
$$;

CREATE FUNCTION warden_current_org() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('warden.org_id', true), '')::uuid $$;

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  plan text NOT NULL DEFAULT 'free',
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days IN (30, 90, 180, 365)),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Sessions belong to a user, not an organisation: only the system path (schema owner) reads them.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  slug text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, slug)
);

CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text,
  first_seen_at timestamptz,
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);
CREATE INDEX agents_org_idx ON agents (org_id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_org_idx ON api_keys (org_id, project_id);

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON organizations
  USING (id = warden_current_org()) WITH CHECK (id = warden_current_org());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON memberships
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

-- A user is visible to an organisation while they are a member of it.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_of_current_org ON users
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.org_id = warden_current_org()));

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON projects
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON agents
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON api_keys
  USING (org_id = warden_current_org()) WITH CHECK (org_id = warden_current_org());

GRANT SELECT, UPDATE ON organizations TO warden_app;
GRANT SELECT ON users TO warden_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, projects, agents, api_keys TO warden_app;
