-- Pages: templates the owner writes, and the cache of pages rendered from them.
--
-- A template's history lives in _wce_versions (kind 'template'); this row holds the current
-- version. AUTOINCREMENT so a deleted template's id is never reused: sandbox children cache
-- parsed templates by (id, version), and a reused id at version 1 could be served stale.
CREATE TABLE _wce_templates (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Path pattern below /{cenv}/pages/: 'index', 'about', 'posts/:id'. Segments starting
  -- with '_' make a partial: includable, never served.
  path          TEXT NOT NULL UNIQUE,
  syntax        TEXT NOT NULL CHECK (syntax IN ('liquid', 'markdown')),
  source        TEXT NOT NULL,
  -- JSON object: query name -> {"sql": "...", "first": bool, "required": bool}.
  queries       TEXT NOT NULL DEFAULT '{}',
  content_type  TEXT NOT NULL DEFAULT 'text/html',
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  version       INTEGER NOT NULL CHECK (version > 0),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  updated_by    TEXT
) STRICT;

-- One rendered page per concrete path ('posts/42'). html is the last good render (NULL
-- until one succeeded); error is the last failure, cleared by a success. status is 200, or
-- 404 when the template said the page does not exist (that answer is cached too, so a
-- commit that creates the row refreshes it). reads: JSON array of the tables the render
-- read; includes: JSON object template id -> version of the templates it included.
CREATE TABLE _wce_page_cache (
  path              TEXT PRIMARY KEY,
  template_id       INTEGER NOT NULL REFERENCES _wce_templates(id) ON DELETE CASCADE,
  template_version  INTEGER NOT NULL,
  status            INTEGER NOT NULL DEFAULT 200,
  html              TEXT,
  etag              TEXT,
  rendered_at       TEXT,
  reads             TEXT NOT NULL DEFAULT '[]',
  includes          TEXT NOT NULL DEFAULT '{}',
  error             TEXT,
  error_at          TEXT
) STRICT;
CREATE INDEX _wce_page_cache_template ON _wce_page_cache(template_id);

-- The reads of each cached page, one row per (table, page), so a commit finds the pages it
-- makes stale with an index lookup instead of parsing every page's JSON. Table names are
-- lower-case (SQLite's names are case-insensitive).
CREATE TABLE _wce_page_reads (
  table_name  TEXT NOT NULL,
  path        TEXT NOT NULL REFERENCES _wce_page_cache(path) ON DELETE CASCADE,
  PRIMARY KEY (table_name, path)
) STRICT, WITHOUT ROWID;
CREATE INDEX _wce_page_reads_path ON _wce_page_reads(path);
