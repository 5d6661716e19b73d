/**
 * The blog the pages bench serves, built through WCE's own HTTP API: 20 posts, a grant to
 * anonymous, and a front page template (a full HTML document listing the posts, about 6 KB)
 * — what "serving a cached page" means in practice.
 */
import { bearer, createCenv, login, request } from '../../test/helpers/server.ts';

export const POSTS = 20;

const FRONT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A small blog</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; } article { margin-bottom: 2rem; }</style>
</head>
<body>
<h1>A small blog</h1>
{% for post in posts %}<article>
  <h2><a href="{{ site.pages }}/posts/{{ post.id }}">{{ post.title }}</a></h2>
  <time datetime="{{ post.created | date_to_xmlschema }}">{{ post.created | date: "%B %-d, %Y" }}</time>
  <p>{{ post.body | truncate: 200 }}</p>
</article>
{% endfor %}</body>
</html>
`;

export interface Site {
  name: string;
  token: string;
  /** The front page as WCE serves it. */
  front: { url: string; body: Buffer; etag: string; type: string };
}

/** Creates the blog on the WCE at `url` and fetches its front page once (rendering it). */
export async function createSite(url: string): Promise<Site> {
  const name = 'bench-blog';
  const cenv = await createCenv(url, { name, username: 'owner' });
  const owner = await login(url, cenv.id, cenv.username, cenv.password);
  const call = async (path: string, body: unknown, status = 200) => {
    const response = await request(`${url}/${name}${path}`, { body, headers: bearer(owner.token) });
    if (response.status !== status) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  await call('/sql', { sql: 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, created TEXT NOT NULL)' });
  await call('/sql', { sql: `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${POSTS})
    INSERT INTO posts (title, body, created) SELECT 'Post number ' || i, replace(printf('%.30c', '-'), '-', 'Some words of post ' || i || '. '),
    datetime(1.7e9 + i * 86400, 'unixepoch') FROM c` });
  await call('/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] }, 201);
  await call('/admin/templates', { path: 'index', source: FRONT, queries: { posts: 'SELECT id, title, body, created FROM posts ORDER BY id DESC' } }, 201);
  const frontUrl = `${url}/${name}/pages/`;
  const response = await fetch(frontUrl);
  if (response.status !== 200) throw new Error(`front page: ${response.status} ${await response.text()}`);
  const body = Buffer.from(await response.arrayBuffer());
  return { name, token: owner.token, front: { url: frontUrl, body, etag: response.headers.get('etag')!, type: response.headers.get('content-type')! } };
}
