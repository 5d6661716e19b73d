/**
 * Attacks on WCE's own tables (`_wce_*`) and on SQLite's schema tables: every spelling,
 * quoting, qualification and indirection (pragma table functions, schema tables, views named
 * to look like ours). Owner and admin are refused as well.
 */
import { attacks, type Attack } from './attacks.ts';

const reserved: Attack[] = [
  { name: 'plain _wce_users', sql: 'SELECT * FROM _wce_users', expect: 400 },
  { name: 'double-quoted "_wce_users"', sql: 'SELECT * FROM "_wce_users"', expect: 400 },
  { name: 'bracket-quoted [_wce_users]', sql: 'SELECT * FROM [_wce_users]', expect: 400 },
  { name: 'backtick-quoted `_wce_users`', sql: 'SELECT * FROM `_wce_users`', expect: 400 },
  { name: 'upper case _WCE_USERS', sql: 'SELECT * FROM _WCE_USERS', expect: 400 },
  { name: 'mixed case quoted "_Wce_Sessions"', sql: 'SELECT * FROM "_Wce_Sessions"', expect: 400 },
  { name: 'doubled quote inside "_wce_""x"', sql: 'SELECT * FROM "_wce_""x"', expect: 400 },
  { name: 'schema-qualified main._wce_users', sql: 'SELECT * FROM main._wce_users', expect: 400 },
  { name: 'string literal as table name', sql: "SELECT * FROM '_wce_users'", expect: 400 },
  { name: 'subquery on _wce_sessions in WHERE', sql: 'SELECT id FROM posts WHERE id IN (SELECT rowid FROM _wce_sessions)', expect: 400 },
  { name: 'owner reads _wce_users', sql: 'SELECT * FROM _wce_users', as: 'owner', expect: 400 },
  { name: 'admin deletes the audit log', sql: 'DELETE FROM _wce_audit_log', as: 'admin', expect: 400 },
  { name: 'admin grants itself via _wce_table_permissions', sql: "INSERT INTO _wce_table_permissions (table_name, role, can_select, created_at) VALUES ('notes', 'user', 1, 'x')", as: 'admin', expect: 400 },
  { name: 'owner creates a table in the reserved namespace', sql: 'CREATE TABLE _wce_mine (x)', as: 'owner', expect: 400 },
  { name: 'direct read of the policy view temp._wce_rls_posts', sql: 'SELECT * FROM temp._wce_rls_posts', expect: 400 },
  { name: 'CTE named like the policy view to spoof the authorizer context', sql: 'WITH _wce_rls_posts AS (SELECT * FROM main.posts) SELECT * FROM _wce_rls_posts', expect: 400 },
  { name: 'alias named like the policy view', sql: 'SELECT * FROM main.posts AS _wce_rls_posts', expect: 400 },
  { name: 'dropping a policy trigger', sql: 'DROP TRIGGER temp._wce_pol_posts_insert', as: 'admin', expect: 400 },
  { name: 'column alias in the reserved namespace', sql: 'SELECT 1 AS _wce_x', expect: 400 },
];

const schema: Attack[] = [
  { name: 'sqlite_schema lists _wce_ tables', sql: 'SELECT sql FROM sqlite_schema', expect: 403 },
  { name: 'sqlite_master alias', sql: 'SELECT * FROM sqlite_master', expect: 403 },
  { name: 'count(*) over sqlite_schema (no column, no schema reported)', sql: 'SELECT count(*) FROM sqlite_schema', expect: 403 },
  { name: 'constant select over sqlite_schema', sql: 'SELECT 1 FROM sqlite_schema LIMIT 1', expect: 403 },
  { name: 'count(*) over dbstat', sql: 'SELECT count(*) FROM dbstat', expect: 403 },
  { name: 'count(*) over a pragma table', sql: 'SELECT count(*) FROM pragma_table_list', expect: 403 },
  { name: 'CTE named like a schema table', sql: 'WITH sqlite_x AS (SELECT 1) SELECT count(*) FROM sqlite_x', expect: 'no-leak' },
  { name: 'sqlite_temp_master shows the policy SQL', sql: 'SELECT * FROM sqlite_temp_master', expect: 403 },
  { name: 'temp.sqlite_schema', sql: 'SELECT * FROM temp.sqlite_schema', expect: 403 },
  { name: 'pragma_table_info on a _wce_ table (name in a string)', sql: "SELECT * FROM pragma_table_info('_wce_users')", expect: 403 },
  { name: 'pragma_index_list on _wce_sessions', sql: "SELECT * FROM pragma_index_list('_wce_sessions')", expect: 403 },
  { name: 'PRAGMA table_info with a quoted string argument', sql: "PRAGMA table_info('_wce_users')", expect: 403 },
  { name: 'pragma_table_list', sql: 'SELECT * FROM pragma_table_list', expect: 403 },
  { name: 'pragma_function_list', sql: 'SELECT * FROM pragma_function_list', expect: 403 },
  { name: 'dbstat page statistics', sql: 'SELECT * FROM dbstat', expect: 403 },
  { name: 'dbstat as admin', sql: "SELECT * FROM dbstat WHERE name LIKE '%wce%'", as: 'admin', expect: 403 },
  { name: 'pragma_table_info on an ungranted table', sql: "SELECT * FROM pragma_table_info('notes')", expect: 403 },
  { name: 'admin reads SQLite schema (allowed, shows no _wce_ data)', sql: "SELECT name FROM sqlite_schema WHERE name = 'posts'", as: 'admin', expect: 'no-leak' },
  { name: 'FTS5 external content over _wce_users', sql: "CREATE VIRTUAL TABLE leak USING fts5(username, password_hash, content='_wce_users')", as: 'admin', expect: 400 },
];

attacks('reserved names', reserved);
attacks('schema objects', schema);
