-- Saved versions of everything an owner edits as source: endpoints, modules, templates.
-- One table for all kinds so listing, viewing, diffing and restoring are written once
-- (src/cenv/versions.ts). The item's own table keeps its current version number and source.
-- `meta` is JSON for fields saved with the source (a template's queries, say).
CREATE TABLE _wce_versions (
  kind        TEXT NOT NULL CHECK (kind IN ('endpoint', 'module', 'template')),
  item_id     TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version > 0),
  source      TEXT NOT NULL,
  meta        TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT,
  PRIMARY KEY (kind, item_id, version)
) STRICT;
