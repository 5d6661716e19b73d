-- Per-cenv settings with their defaults. INSERT OR IGNORE keeps values an owner changed.
-- Limits that also have a server-wide default (sql_timeout_ms, max_rows, max_db_bytes,
-- starlark_timeout_ms) are deliberately absent: a row here would override the server's
-- WCE_* variable for every cenv. An owner adds a row to override one cenv.
INSERT OR IGNORE INTO _wce_config (key, value, updated_at) VALUES
  ('session_timeout_hours', '24', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
