-- Starlark endpoints and the modules they load (src/endpoints). Sources are versioned in
-- _wce_versions (kind 'endpoint' / 'module', item_id = the row id as text); these rows hold
-- the current version, its source, and what routes to it.
--
-- Ids come from AUTOINCREMENT so a deleted endpoint's or module's id is never handed out
-- again: sandbox children cache compiled code by (id, version), and a reused id starting
-- again at version 1 would be served the deleted item's code.

CREATE TABLE _wce_endpoints (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  method      TEXT NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY')),
  -- The pattern as saved ('/posts/:id'), and its shape with parameter names erased
  -- ('/posts/:'), which is what makes two endpoints the same route.
  path        TEXT NOT NULL,
  route_key   TEXT NOT NULL,
  source      TEXT NOT NULL,
  access      TEXT NOT NULL CHECK (access IN ('public', 'user', 'admin')),
  run_as      TEXT NOT NULL CHECK (run_as IN ('caller', 'owner')),
  enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  version     INTEGER NOT NULL CHECK (version > 0),
  created_at  TEXT NOT NULL,
  created_by  TEXT REFERENCES _wce_users(id) ON DELETE SET NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT REFERENCES _wce_users(id) ON DELETE SET NULL,
  UNIQUE (method, route_key)
) STRICT;
CREATE INDEX _wce_endpoints_created_by ON _wce_endpoints(created_by);
CREATE INDEX _wce_endpoints_updated_by ON _wce_endpoints(updated_by);

-- Modules for load("lib/util.star", "f"): addressed by name, versioned like endpoints.
CREATE TABLE _wce_modules (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  source      TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version > 0),
  created_at  TEXT NOT NULL,
  created_by  TEXT REFERENCES _wce_users(id) ON DELETE SET NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT REFERENCES _wce_users(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX _wce_modules_created_by ON _wce_modules(created_by);
CREATE INDEX _wce_modules_updated_by ON _wce_modules(updated_by);
