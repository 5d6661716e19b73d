-- The _wce_* tables of every cenv. Times are ISO-8601 UTC text with milliseconds
-- ('2026-11-26T01:02:03.456Z'), which sort and compare correctly as text.

CREATE TABLE _wce_users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'user')),
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  last_login    TEXT
) STRICT;

CREATE TABLE _wce_sessions (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES _wce_users(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  last_used   TEXT NOT NULL,
  revoked_at  TEXT,
  ip          TEXT,
  user_agent  TEXT
) STRICT;
CREATE INDEX _wce_sessions_user_id ON _wce_sessions(user_id);
CREATE INDEX _wce_sessions_expires_at ON _wce_sessions(expires_at);

-- A grant on one table to a role or to one user (exactly one of the two).
CREATE TABLE _wce_table_permissions (
  id          INTEGER PRIMARY KEY,
  table_name  TEXT NOT NULL,
  role        TEXT CHECK (role IN ('owner', 'admin', 'user', 'anonymous')),
  user_id     TEXT REFERENCES _wce_users(id) ON DELETE CASCADE,
  can_select  INTEGER NOT NULL DEFAULT 0 CHECK (can_select IN (0, 1)),
  can_insert  INTEGER NOT NULL DEFAULT 0 CHECK (can_insert IN (0, 1)),
  can_update  INTEGER NOT NULL DEFAULT 0 CHECK (can_update IN (0, 1)),
  can_delete  INTEGER NOT NULL DEFAULT 0 CHECK (can_delete IN (0, 1)),
  created_at  TEXT NOT NULL,
  CHECK ((role IS NULL) <> (user_id IS NULL))
) STRICT;
CREATE INDEX _wce_table_permissions_user_id ON _wce_table_permissions(user_id);
CREATE INDEX _wce_table_permissions_table ON _wce_table_permissions(table_name);

-- Row policies with PostgreSQL's semantics. commands and roles are JSON arrays of text.
CREATE TABLE _wce_row_policies (
  id          INTEGER PRIMARY KEY,
  table_name  TEXT NOT NULL,
  name        TEXT NOT NULL,
  commands    TEXT NOT NULL,
  roles       TEXT NOT NULL,
  using_expr  TEXT,
  check_expr  TEXT,
  kind        TEXT NOT NULL DEFAULT 'permissive' CHECK (kind IN ('permissive', 'restrictive')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (table_name, name)
) STRICT;

CREATE TABLE _wce_config (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

-- user_id is kept as text without a foreign key on purpose: the audit trail must outlive
-- the user it names.
CREATE TABLE _wce_audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     TEXT,
  username    TEXT,
  action      TEXT NOT NULL,
  table_name  TEXT,
  row_count   INTEGER,
  statement   TEXT,
  detail      TEXT,
  ip          TEXT,
  user_agent  TEXT
) STRICT;
CREATE INDEX _wce_audit_log_user_id ON _wce_audit_log(user_id);
CREATE INDEX _wce_audit_log_at ON _wce_audit_log(at);
