/**
 * Statements tenant SQL may not run, or may run only as owner/admin: pragmas, ATTACH and
 * VACUUM INTO, transaction control, several statements in one string, DDL, temp objects,
 * extension loading and dangerous functions, and views/triggers used to reach hidden data.
 */
import { attacks, type Attack } from './attacks.ts';
import type { Fixture } from './fixture.ts';

const pragmas: Attack[] = [
  { name: 'writable_schema on', sql: 'PRAGMA writable_schema = ON', expect: 403 },
  { name: 'writable_schema as owner', sql: 'PRAGMA writable_schema = 1', as: 'owner', expect: 403 },
  { name: 'foreign_keys off', sql: 'PRAGMA foreign_keys = OFF', as: 'admin', expect: 403 },
  { name: 'recursive_triggers off (would let REPLACE skip delete policies)', sql: 'PRAGMA recursive_triggers = OFF', as: 'admin', expect: 403 },
  { name: 'trusted_schema on', sql: 'PRAGMA trusted_schema = ON', as: 'owner', expect: 403 },
  { name: 'max_page_count raised past the size limit', sql: 'PRAGMA max_page_count = 2147483646', as: 'owner', expect: 403 },
  { name: 'journal_mode change', sql: 'PRAGMA journal_mode = DELETE', as: 'admin', expect: 403 },
  { name: 'schema_version write', sql: 'PRAGMA schema_version = 1', as: 'owner', expect: 403 },
  { name: 'user_version write', sql: 'PRAGMA user_version = 7', expect: 403 },
  { name: 'query_only off', sql: 'PRAGMA query_only = 0', expect: 403 },
  { name: 'database_list', sql: 'PRAGMA database_list', expect: 403 },
  { name: 'integrity_check reads every table', sql: 'PRAGMA integrity_check', as: 'admin', expect: 403 },
  { name: 'wal_checkpoint', sql: 'PRAGMA wal_checkpoint(TRUNCATE)', as: 'admin', expect: 403 },
  { name: 'table_info on a reserved table', sql: 'PRAGMA table_info(_wce_users)', as: 'owner', expect: 400 },
  { name: 'table_info on an ungranted table', sql: 'PRAGMA table_info(notes)', expect: 403 },
  { name: 'pragma on another schema', sql: 'PRAGMA temp.table_info(posts)', expect: 403 },
  { name: 'pragma table function pragma_database_list', sql: 'SELECT * FROM pragma_database_list', expect: 403 },
];

const attach: Attack[] = [
  { name: 'ATTACH a new file', sql: "ATTACH DATABASE '/tmp/wce-attack.db' AS x", as: 'owner', expect: 403 },
  { name: 'ATTACH :memory:', sql: "ATTACH ':memory:' AS m", expect: 403 },
  { name: 'ATTACH with a URI', sql: "ATTACH 'file:/etc/passwd?mode=ro' AS p", as: 'admin', expect: 403 },
  { name: 'DETACH', sql: 'DETACH DATABASE temp', as: 'owner', expect: 403 },
  { name: 'VACUUM INTO copies the file out', sql: "VACUUM INTO '/tmp/wce-attack-copy.db'", as: 'owner', expect: 403 },
  { name: 'plain VACUUM', sql: 'VACUUM', expect: 403 },
];

const multi: Attack[] = [
  { name: 'two statements', sql: 'SELECT 1; DELETE FROM posts', expect: 400 },
  { name: 'no space after the semicolon', sql: 'SELECT 1;DELETE FROM posts', expect: 400 },
  { name: 'second statement after a comment', sql: 'SELECT 1 /* ; */ ; -- x\n DELETE FROM posts', expect: 400 },
  { name: 'a string holding a semicolon, then a real second statement', sql: "SELECT ';' ; DELETE FROM posts", expect: 400 },
  { name: 'NUL byte before a second statement', sql: 'SELECT 1\u0000; DELETE FROM posts', expect: 400 },
  { name: 'NUL byte inside a WHERE', sql: 'DELETE FROM posts WHERE 0\u0000 OR 1', expect: 400 },
  { name: 'empty statement list', sql: ' ; ; ', expect: 400 },
  { name: 'trigger body with statements, as a user', sql: 'CREATE TRIGGER t AFTER INSERT ON posts BEGIN DELETE FROM posts; END', expect: 403 },
];

const transactions: Attack[] = [
  { name: 'BEGIN', sql: 'BEGIN', expect: 403 },
  { name: 'BEGIN IMMEDIATE as owner', sql: 'BEGIN IMMEDIATE', as: 'owner', expect: 403 },
  { name: 'COMMIT', sql: 'COMMIT', expect: 403 },
  { name: 'ROLLBACK', sql: 'ROLLBACK', as: 'admin', expect: 403 },
  { name: 'SAVEPOINT', sql: 'SAVEPOINT s', expect: 403 },
  { name: 'RELEASE', sql: 'RELEASE s', expect: 403 },
];

const ddl: Attack[] = [
  { name: 'CREATE TABLE as a user', sql: 'CREATE TABLE mine (x)', expect: 403 },
  { name: 'CREATE TABLE as anonymous', sql: 'CREATE TABLE mine (x)', as: 'anon', expect: 403 },
  { name: 'DROP TABLE as a user', sql: 'DROP TABLE posts', expect: 403 },
  { name: 'ALTER TABLE as a user', sql: 'ALTER TABLE posts ADD COLUMN x', expect: 403 },
  { name: 'rename a protected table', sql: 'ALTER TABLE posts RENAME TO p2', expect: 403 },
  { name: 'CREATE INDEX as a user', sql: 'CREATE INDEX i ON posts (body)', expect: 403 },
  { name: 'CREATE VIEW as a user', sql: 'CREATE VIEW v AS SELECT * FROM main.posts', expect: 403 },
  { name: 'CREATE TEMP VIEW shadowing posts', sql: 'CREATE TEMP VIEW posts AS SELECT 1', expect: 403 },
  { name: 'CREATE TEMP TABLE as admin (would outlive the request on a pooled connection)', sql: 'CREATE TEMP TABLE posts (x)', as: 'admin', expect: 403 },
  { name: 'CREATE TEMP TRIGGER as owner', sql: 'CREATE TEMP TRIGGER t AFTER INSERT ON main.posts BEGIN SELECT 1; END', as: 'owner', expect: 403 },
  { name: 'virtual table with a module outside the allow list', sql: "CREATE VIRTUAL TABLE d USING dbstat", as: 'admin', expect: 403 },
  { name: 'REINDEX as a user', sql: 'REINDEX', expect: 403 },
  { name: 'ANALYZE as a user', sql: 'ANALYZE posts', expect: 403 },
];

const functions: Attack[] = [
  { name: 'load_extension', sql: "SELECT load_extension('/tmp/evil.so')", as: 'owner', expect: 403 },
  { name: 'load_extension in a subquery', sql: "SELECT * FROM posts WHERE (SELECT load_extension('x')) IS NULL", expect: 403 },
  { name: 'fts3_tokenizer pointer function', sql: "SELECT fts3_tokenizer('simple')", as: 'admin', expect: 403 },
];

/** An admin-made view and trigger that read posts without the policy. */
function adminObjects(f: Fixture): void {
  f.admin.exec(`
    CREATE VIEW all_posts AS SELECT * FROM posts;
    CREATE TABLE inbox (id INTEGER PRIMARY KEY, text TEXT);
    CREATE TRIGGER copy_drafts AFTER INSERT ON inbox BEGIN UPDATE inbox SET text = (SELECT group_concat(body) FROM posts) WHERE id = NEW.id; END;
    INSERT INTO _wce_table_permissions (table_name, role, can_select, can_insert, can_update, created_at) VALUES ('inbox', 'user', 1, 1, 1, 'x'), ('all_posts', 'user', 1, 0, 0, 'x');
    UPDATE _wce_access_version SET version = version + 1;
  `);
}

const viewsAndTriggers: Attack[] = [
  { name: 'read a protected table through an admin view', sql: 'SELECT * FROM all_posts', setup: adminObjects, expect: 403 },
  { name: 'read a protected table inside an admin trigger', sql: "INSERT INTO inbox (text) VALUES ('x')", setup: adminObjects, expect: 403 },
];

/** An FTS5 table made by the owner, readable by users. */
function fullText(f: Fixture): void {
  f.guard.runAs(f.owner, () => {
    for (const sql of ['CREATE VIRTUAL TABLE docs USING fts5(body)', "INSERT INTO docs (body) VALUES ('public text'), ('owner note')"]) f.guard.prepare(sql, f.owner).stmt.run();
  });
  f.admin.exec("INSERT INTO _wce_table_permissions (table_name, role, can_select, created_at) VALUES ('docs', 'anonymous', 1, 'x'); UPDATE _wce_access_version SET version = version + 1");
}

const virtualTables: Attack[] = [
  { name: 'FTS5 external content over _wce_users', sql: "CREATE VIRTUAL TABLE leak USING fts5(username, password_hash, content='_wce_users')", as: 'owner', expect: 400 },
  { name: 'FTS5 external content with the reserved name in another case', sql: "CREATE VIRTUAL TABLE leak USING fts5(username, content='_WCE_users')", as: 'owner', expect: 400 },
  { name: 'FTS5 shadow table read directly', sql: 'SELECT * FROM docs_content', setup: fullText, as: 'anon', expect: 403 },
  { name: 'FTS5 shadow table written directly', sql: 'DELETE FROM docs_data', setup: fullText, as: 'anon', expect: 'fails' },
  { name: 'FTS5 insert without a write grant', sql: "INSERT INTO docs (body) VALUES ('spam')", setup: fullText, as: 'anon', expect: 403 },
  { name: 'FTS5 search with a select grant (allowed; module reads its shadow tables)', sql: "SELECT * FROM docs WHERE docs MATCH 'public'", setup: fullText, as: 'anon', expect: 'no-leak' },
];

attacks('pragmas', pragmas);
attacks('virtual tables', virtualTables);
attacks('attach and vacuum', attach);
attacks('multiple statements', multi);
attacks('transaction control', transactions);
attacks('DDL and temp objects', ddl);
attacks('functions', functions);
attacks('views and triggers', viewsAndTriggers);
