import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteReads } from './rewrite.ts';

const P = new Set(['posts', 'notes']);
const V = 'temp."_wce_rls_posts__user"';

const cases: Array<[string, string, string]> = [
  ['bare FROM', 'SELECT * FROM posts', `SELECT * FROM ${V} AS "posts"`],
  ['alias kept', 'SELECT p.id FROM posts AS p', `SELECT p.id FROM ${V} AS p`],
  ['main-qualified, any case, quoted', 'SELECT * FROM MAIN."Posts"', `SELECT * FROM ${V} AS "posts"`],
  ['join operands', 'SELECT * FROM tags JOIN posts ON 1 LEFT JOIN notes n USING (id)', `SELECT * FROM tags JOIN ${V} AS "posts" ON 1 LEFT JOIN temp."_wce_rls_notes__user" n USING (id)`],
  ['subquery in WHERE', 'SELECT 1 WHERE EXISTS (SELECT 1 FROM posts)', `SELECT 1 WHERE EXISTS (SELECT 1 FROM ${V} AS "posts")`],
  ['subquery in select list (keeps its column name)', 'SELECT (SELECT max(id) FROM posts)', `SELECT (SELECT max(id) FROM ${V} AS "posts") AS "(SELECT max(id) FROM posts)"`],
  ['subquery in ORDER BY and LIMIT', 'SELECT 1 ORDER BY (SELECT 1 FROM posts) LIMIT (SELECT 1 FROM posts)', `SELECT 1 ORDER BY (SELECT 1 FROM ${V} AS "posts") LIMIT (SELECT 1 FROM ${V} AS "posts")`],
  ['CTE body', 'WITH c AS (SELECT * FROM posts) SELECT * FROM c', `WITH c AS (SELECT * FROM ${V} AS "posts") SELECT * FROM c`],
  ['compound select', 'SELECT id FROM tags UNION ALL SELECT id FROM posts', `SELECT id FROM tags UNION ALL SELECT id FROM ${V} AS "posts"`],
  ['derived table', 'SELECT * FROM (SELECT * FROM posts) x', `SELECT * FROM (SELECT * FROM ${V} AS "posts") x`],
  ['parenthesised table', 'SELECT * FROM (posts)', `SELECT * FROM (${V} AS "posts")`],
  ['INSERT … SELECT source, not the target', 'INSERT INTO posts SELECT * FROM posts', `INSERT INTO posts SELECT * FROM ${V} AS "posts"`],
  ['UPDATE … FROM and subquery in SET', 'UPDATE posts SET title = (SELECT title FROM posts) FROM notes', `UPDATE posts SET title = (SELECT title FROM ${V} AS "posts") FROM temp."_wce_rls_notes__user" AS "notes"`],
  ['x IN table', 'SELECT 1 WHERE 1 IN posts', `SELECT 1 WHERE 1 IN (SELECT * FROM ${V})`],
  ['CTE name shadows the table', 'WITH posts AS (SELECT 1) SELECT * FROM posts', 'WITH posts AS (SELECT 1) SELECT * FROM posts'],
  ['temp.posts is not main.posts (the authorizer decides)', 'SELECT * FROM temp.posts', 'SELECT * FROM temp.posts'],
  ['unprotected table untouched', 'SELECT * FROM tags', 'SELECT * FROM tags'],
];

for (const [label, sql, expected] of cases) {
  test(`rewrite: ${label}`, () => assert.equal(rewriteReads(sql, 'user', P), expected));
}

const predicates = { user: 'F', anonymous: 'G' };
const viaView = new Map([['posts', { viaView: true, predicates }]]);
const inline = new Map([['posts', { viaView: false, predicates }]]);
const D = 'temp."_wce_dml_posts__user"';
const dml: Array<[string, string, string, typeof viaView]> = [
  ['UPDATE with WHERE picks rows through the DML view', 'UPDATE posts SET a = 1 WHERE b IN posts RETURNING a',
    `UPDATE posts SET a = 1 WHERE "posts".rowid IN (SELECT "_wce_rowid" FROM ${D} AS "posts" WHERE (b IN (SELECT * FROM ${V}))) RETURNING a`, viaView],
  ['aliased UPDATE', 'UPDATE posts AS p SET a = 1 WHERE p.id = 2',
    `UPDATE posts AS p SET a = 1 WHERE "p".rowid IN (SELECT "_wce_rowid" FROM ${D} AS "p" WHERE (p.id = 2))`, viaView],
  ['DELETE without WHERE', 'DELETE FROM posts', `DELETE FROM posts WHERE "posts".rowid IN (SELECT "_wce_rowid" FROM ${D} AS "posts")`, viaView],
  ['WITHOUT ROWID table: inline filter', 'UPDATE posts SET a = 1 RETURNING a', 'UPDATE posts SET a = 1 WHERE (F) RETURNING a', inline],
  ['upsert DO UPDATE tests visibility first', 'INSERT INTO posts VALUES (1) ON CONFLICT DO UPDATE SET a = 2',
    `INSERT INTO posts VALUES (1) ON CONFLICT DO UPDATE SET a = 2 WHERE EXISTS (SELECT 1 FROM ${D} AS "_wce_row" WHERE "_wce_row"."_wce_rowid" = "posts".rowid)`, viaView],
  ['every upsert clause (WITHOUT ROWID: inline filter)', 'INSERT INTO posts VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2 WHERE a > 0 ON CONFLICT DO UPDATE SET b = 3',
    'INSERT INTO posts VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2 WHERE (F) AND (a > 0) ON CONFLICT DO UPDATE SET b = 3 WHERE (F)', inline],
  ['other table untouched', 'DELETE FROM tags WHERE 1', 'DELETE FROM tags WHERE 1', viaView],
];
for (const [label, sql, expected, guards] of dml) {
  test(`DML row guard: ${label}`, () => assert.equal(rewriteReads(sql, 'user', P, guards), expected));
}

test('a rewritten expression column keeps the name SQLite would give the original text', () => {
  assert.equal(rewriteReads('UPDATE tags SET a = 1 RETURNING (SELECT max(id) FROM posts)', 'user', P),
    `UPDATE tags SET a = 1 RETURNING (SELECT max(id) FROM ${V} AS "posts") AS "(SELECT max(id) FROM posts)"`);
  assert.equal(rewriteReads('SELECT (SELECT max(id) FROM posts) AS m', 'user', P), `SELECT (SELECT max(id) FROM ${V} AS "posts") AS m`);
});

test('the views and the inline filter are those of the given role', () => {
  assert.equal(rewriteReads('SELECT * FROM posts WHERE id = 1', 'anonymous', P), 'SELECT * FROM temp."_wce_rls_posts__anonymous" AS "posts" WHERE id = 1');
  assert.equal(rewriteReads("SELECT * FROM posts WHERE body LIKE 'x%'", 'anonymous', P), 'SELECT * FROM temp."_wce_rlb_posts__anonymous" AS "posts" WHERE body LIKE \'x%\'');
  assert.equal(rewriteReads('DELETE FROM posts', 'anonymous', P, viaView), 'DELETE FROM posts WHERE "posts".rowid IN (SELECT "_wce_rowid" FROM temp."_wce_dml_posts__anonymous" AS "posts")');
  assert.equal(rewriteReads('DELETE FROM posts WHERE a = 1', 'anonymous', P, inline), 'DELETE FROM posts WHERE (G) AND (a = 1)');
});
