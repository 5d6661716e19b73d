/**
 * Attempts to read or change rows a row policy hides (bob's draft, id 4, for alice; every
 * draft for anonymous callers) through every place SQL can name a table: qualified names,
 * CTEs, subqueries in each clause, joins, compound selects, table-valued function arguments,
 * upsert/REPLACE/RETURNING, and row-dependent error oracles.
 */
import { attacks, type Attack } from './attacks.ts';
import type { Fixture } from './fixture.ts';

const names: Attack[] = [
  { name: 'main-qualified table', sql: 'SELECT * FROM main.posts', expect: 'no-leak' },
  { name: 'quoted and upper-case main."POSTS"', sql: 'SELECT * FROM MAIN."POSTS"', expect: 'no-leak' },
  { name: 'bracket and backtick quoting', sql: 'SELECT * FROM [posts] JOIN `posts` p2 USING (id)', expect: 'no-leak' },
  { name: 'mixed case keywords and names', sql: 'sElEcT * fRoM PoStS', expect: 'no-leak' },
  { name: 'temp.posts does not reach main.posts', sql: 'SELECT * FROM temp.posts', expect: 'fails' },
  { name: 'string literal as table name', sql: "SELECT * FROM 'posts'", expect: 400 },
  { name: 'INDEXED BY / NOT INDEXED', sql: 'SELECT * FROM posts NOT INDEXED WHERE id = 4', expect: 'no-leak' },
  { name: 'rowid of hidden rows', sql: 'SELECT rowid, * FROM posts', expect: 'fails' },
];

const ctes: Attack[] = [
  { name: 'CTE body', sql: 'WITH c AS (SELECT * FROM posts) SELECT * FROM c', expect: 'no-leak' },
  { name: 'MATERIALIZED CTE', sql: 'WITH c AS MATERIALIZED (SELECT body FROM posts) SELECT * FROM c', expect: 'no-leak' },
  { name: 'CTE named like the table, reading main.posts', sql: 'WITH posts AS (SELECT * FROM main.posts) SELECT * FROM posts', expect: 'no-leak' },
  { name: 'recursive CTE walking the table', sql: 'WITH RECURSIVE r(id, body) AS (SELECT id, body FROM posts WHERE id = 1 UNION ALL SELECT p.id, p.body FROM posts p JOIN r ON p.id = r.id + 1) SELECT * FROM r', expect: 'no-leak' },
  { name: 'nested CTE in a subquery', sql: 'SELECT (WITH c AS (SELECT body FROM posts WHERE id = 4) SELECT * FROM c)', expect: 'no-leak' },
  { name: 'CTE feeding an INSERT copies only visible rows', sql: "WITH c AS (SELECT body FROM main.posts) INSERT INTO posts (author, title, body) SELECT wce_user_id(), 'copy', body FROM c", expect: 'no-leak', writes: true },
  { name: 'CTE feeding a DELETE', sql: 'WITH c AS (SELECT id FROM main.posts WHERE id = 4) DELETE FROM posts WHERE id IN c', expect: 'no-leak' },
];

const subqueries: Attack[] = [
  { name: 'scalar subquery in the select list', sql: 'SELECT (SELECT body FROM posts WHERE id = 4) AS b', expect: 'no-leak' },
  { name: 'subquery in WHERE', sql: "SELECT 1 WHERE EXISTS (SELECT 1 FROM posts WHERE body = 'secret-b')", expect: 'no-leak' },
  { name: 'subquery in GROUP BY', sql: 'SELECT count(*) FROM tags GROUP BY (SELECT body FROM posts WHERE id = 4)', expect: 'no-leak' },
  { name: 'subquery in HAVING', sql: "SELECT count(*) FROM tags HAVING (SELECT count(*) FROM posts WHERE body = 'secret-b') > 0", expect: 'no-leak' },
  { name: 'subquery in ORDER BY', sql: 'SELECT name FROM tags ORDER BY (SELECT body FROM posts WHERE id = 4)', expect: 'no-leak' },
  { name: 'subquery in LIMIT', sql: "SELECT * FROM tags LIMIT (SELECT count(*) FROM posts WHERE body LIKE 'secret%')", expect: 'no-leak' },
  { name: 'subquery in OFFSET', sql: 'SELECT * FROM tags LIMIT 1 OFFSET (SELECT count(*) FROM posts)', expect: 'no-leak' },
  { name: 'subquery in a JOIN ON', sql: 'SELECT * FROM tags JOIN tags t2 ON (SELECT body FROM posts WHERE id = 4) IS NOT NULL', expect: 'no-leak' },
  { name: 'subquery in a window definition', sql: 'SELECT name, row_number() OVER (ORDER BY (SELECT body FROM posts WHERE id = 4)) FROM tags', expect: 'no-leak' },
  { name: 'subquery in CASE and function arguments', sql: "SELECT upper(CASE WHEN 1 THEN (SELECT group_concat(body) FROM posts) END)", expect: 'no-leak' },
  { name: 'derived table', sql: 'SELECT * FROM (SELECT * FROM (SELECT * FROM posts)) AS x', expect: 'no-leak' },
  { name: 'x IN table', sql: 'SELECT 4 IN (SELECT id FROM posts) AS seen, 1 IN posts', expect: 'fails' },
  { name: 'table-valued function argument', sql: 'SELECT * FROM json_each((SELECT json_group_array(body) FROM main.posts))', expect: 'no-leak' },
  { name: 'subquery in RETURNING of an own-row update', sql: "UPDATE posts SET title = title WHERE id = 2 RETURNING (SELECT body FROM posts WHERE id = 4)", expect: 'no-leak', writes: true },
  { name: 'copy hidden rows with INSERT … SELECT', sql: 'INSERT INTO posts (author, title, body) SELECT wce_user_id(), title, body FROM main.posts', expect: 'no-leak', writes: true },
  { name: 'copy a hidden value into an own row with UPDATE … FROM', sql: 'UPDATE posts SET body = p4.body FROM posts AS p4 WHERE posts.id = 2 AND p4.id = 4', expect: 'no-leak', writes: true },
  { name: 'subquery in SET of an own-row update', sql: 'UPDATE posts SET body = (SELECT body FROM main.posts WHERE id = 4) WHERE id = 2', expect: 'no-leak', writes: true },
];

const joins: Attack[] = [
  { name: 'self join', sql: 'SELECT a.body, b.body FROM posts a JOIN posts b ON b.id = 4', expect: 'no-leak' },
  { name: 'LEFT JOIN to a hidden row', sql: 'SELECT t.name, p.body FROM tags t LEFT JOIN posts p ON p.id = 4', expect: 'no-leak' },
  { name: 'NATURAL and CROSS joins', sql: 'SELECT * FROM posts NATURAL JOIN posts CROSS JOIN tags', expect: 'no-leak' },
  { name: 'comma join with parenthesised table', sql: 'SELECT * FROM tags, (posts)', expect: 'no-leak' },
];

const compound: Attack[] = [
  { name: 'UNION ALL', sql: 'SELECT name FROM tags UNION ALL SELECT body FROM posts', expect: 'no-leak' },
  { name: 'INTERSECT probes a hidden value', sql: "SELECT 'secret-b' INTERSECT SELECT body FROM posts", expect: 'no-leak' },
  { name: 'EXCEPT probes a hidden value', sql: "SELECT body FROM posts EXCEPT SELECT 'x'", expect: 'no-leak' },
];

const writes: Attack[] = [
  { name: 'UPDATE a hidden row', sql: "UPDATE posts SET title = 'owned' WHERE id = 4", expect: 'no-leak' },
  { name: 'DELETE a hidden row with RETURNING', sql: 'DELETE FROM posts WHERE id = 4 RETURNING *', expect: 'no-leak' },
  { name: 'upsert over a hidden row', sql: "INSERT INTO posts (id, author, title) VALUES (4, wce_user_id(), 'x') ON CONFLICT (id) DO UPDATE SET title = 'owned' RETURNING *", expect: 'no-leak' },
  { name: 'upsert reading the hidden row through excluded/RETURNING', sql: "INSERT INTO posts (id, author, title) VALUES (4, 'a', 'x') ON CONFLICT (id) DO UPDATE SET body = body RETURNING body", expect: 'no-leak' },
  { name: 'REPLACE over a hidden row', sql: "REPLACE INTO posts (id, author, title) VALUES (4, 'a', 'mine')", expect: 'fails' },
  { name: 'INSERT OR REPLACE over a hidden row', sql: "INSERT OR REPLACE INTO posts (id, author, title) VALUES (4, 'a', 'mine')", expect: 'fails' },
  { name: 'UPDATE OR REPLACE an own row onto a hidden key', sql: 'UPDATE OR REPLACE posts SET id = 4 WHERE id = 2', expect: 'fails' },
  { name: 'insert a row for another author', sql: "INSERT INTO posts (author, title) VALUES ('someone else', 'x')", expect: 403 },
  { name: 'hand an own row to another author', sql: "UPDATE posts SET author = 'someone else' WHERE id = 2", expect: 403 },
  { name: 'anonymous UPDATE', sql: "UPDATE posts SET title = 'x'", as: 'anon', expect: 403 },
  { name: 'anonymous reads drafts through a subquery', sql: 'SELECT (SELECT group_concat(body) FROM main.posts)', as: 'anon', expect: 'no-leak' },
];

/** An index on a column the policy does not read: SQLite tests index-covered terms first. */
function bodyIndex(f: Fixture): void {
  f.admin.exec('CREATE INDEX posts_body ON posts (body); CREATE INDEX posts_title ON posts (title, published, author); ANALYZE');
}
const BOOM = "CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE 1 END";

const oracles: Attack[] = [
  { name: 'error oracle through an index-ordered scan', sql: `SELECT id FROM posts WHERE ${BOOM} ORDER BY body`, setup: bodyIndex, expect: 'no-leak' },
  { name: 'error oracle with a range on the indexed column', sql: `SELECT count(*) FROM posts WHERE body > '' AND ${BOOM}`, setup: bodyIndex, expect: 'no-leak' },
  { name: 'error oracle in an index-driven DELETE', sql: `DELETE FROM posts WHERE body > 'a' AND ${BOOM}`, setup: bodyIndex, expect: 'no-leak', writes: true },
  { name: 'error oracle in an index-driven UPDATE', sql: `UPDATE posts SET title = title WHERE body > 'a' AND ${BOOM}`, setup: bodyIndex, expect: 'no-leak', writes: true },
  { name: 'error oracle on a column whose index covers the policy', sql: "SELECT id FROM posts WHERE title > '' AND CASE WHEN title = 'bob draft' THEN abs(-9223372036854775808) ELSE 1 END", setup: bodyIndex, expect: 'no-leak' },
  { name: 'row-dependent error in SELECT WHERE', sql: "SELECT id FROM posts WHERE CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE 0 END", expect: 'no-leak' },
  { name: 'row-dependent error in UPDATE WHERE', sql: "UPDATE posts SET title = title WHERE CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE 0 END", expect: 'no-leak' },
  { name: 'row-dependent error in DELETE WHERE', sql: "DELETE FROM posts WHERE CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE 0 END", expect: 'no-leak' },
  { name: 'row-dependent error in UPDATE SET', sql: "UPDATE posts SET title = CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE title END", expect: 'no-leak', writes: true },
  { name: 'row-dependent error in upsert DO UPDATE SET', sql: "INSERT INTO posts (id, author, title) VALUES (4, 'a', 'x') ON CONFLICT (id) DO UPDATE SET title = CASE WHEN body = 'secret-b' THEN abs(-9223372036854775808) ELSE title END", expect: 'no-leak' },
];

attacks('qualified names and quoting', names);
attacks('CTEs', ctes);
attacks('subqueries in every clause', subqueries);
attacks('joins', joins);
attacks('compound selects', compound);
attacks('upsert, replace, returning', writes);
attacks('error oracles', oracles);
