-- The audit viewer filters by action, table and username and pages newest first by id
-- (keyset: id < cursor). These indexes serve each filter in that order without a sort;
-- user_id and at already have theirs (001).
CREATE INDEX _wce_audit_log_action ON _wce_audit_log(action, id);
CREATE INDEX _wce_audit_log_table ON _wce_audit_log(table_name, id);
CREATE INDEX _wce_audit_log_username ON _wce_audit_log(username, id);
