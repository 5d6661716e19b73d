-- Per-cenv settings with their defaults. INSERT OR IGNORE keeps values an owner changed.
INSERT OR IGNORE INTO _wce_config (key, value, updated_at) VALUES
  ('session_timeout_hours', '24', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('sql_timeout_ms', '30000', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('max_rows', '1000', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('max_db_bytes', '104857600', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('starlark_timeout_ms', '5000', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
