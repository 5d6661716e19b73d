-- Every tenant write inserts an audit row, and each index on the log is one more page that
-- the write's commit puts in the WAL (measured: the two cost a create ~10 µs of its ~40 in the
-- sandbox child). Neither is needed:
-- - user_id: no query ever used it (the viewer's user filter is `user_id = ? OR username = ?`,
--   checked on a bounded stretch of ids; see src/db/audit-query.ts);
-- - at: entries are written in time order, so a time becomes an id by binary search over the
--   rowid (src/db/audit-ids.ts), for the viewer's time filters and for retention.
DROP INDEX IF EXISTS _wce_audit_log_user_id;
DROP INDEX IF EXISTS _wce_audit_log_at;
