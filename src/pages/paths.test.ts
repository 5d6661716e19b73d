/**
 * Page paths: which patterns are accepted, how visitor paths are normalised (anything odd is
 * "no such page"), and which template serves a path when several match.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concretePath, parsePattern, RouteTable } from './paths.ts';

describe('patterns', () => {
  for (const ok of ['index', 'about', 'posts/:id', 'a/b/c', 'tags/:tag/page/:n', '_header', 'parts/_nav', 'feed.xml', 'v1.2~x']) {
    test(`accepts ${ok}`, () => assert.equal(parsePattern(ok).path, ok));
  }
  for (const bad of ['', '/about', 'about/', 'a//b', '../x', '.hidden', 'a b', 'posts/:', 'posts/:1d', 'x/:id/:id', ':__proto__', 'a/b/c/d/e/f/g/h/i', 'é']) {
    test(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parsePattern(bad), { statusCode: 400 }));
  }
  test('parameters and partials', () => {
    assert.deepEqual(parsePattern('tags/:tag/page/:n').params, ['tag', 'n']);
    assert.equal(parsePattern('parts/_nav').partial, true);
    assert.equal(parsePattern('posts/:id').partial, false);
  });
});

describe('concrete paths', () => {
  const cases: Array<[string, string | null]> = [
    ['', 'index'], ['/', 'index'], ['about', 'about'], ['about/', 'about'], ['posts/1?x=1', 'posts/1'], ['posts/1#top', 'posts/1'],
    ['posts/1%20OR%201%3D1', 'posts/1 OR 1=1'], ['caf%C3%A9', 'café'],
    ['posts/%2F', null], ['a//b', null], ['a/../b', null], ['a/%2e%2e/b', null], ['a/./b', null], ['%E0%A4%A', null], ['a%00b', null],
    ['x'.repeat(1001), null],
  ];
  for (const [raw, expected] of cases) test(`${JSON.stringify(raw.slice(0, 40))} → ${JSON.stringify(expected)}`, () => assert.equal(concretePath(raw), expected));
});

describe('route table', () => {
  const table = new RouteTable([
    { path: 'posts/:id' }, { path: 'posts/new' }, { path: ':a/:b' }, { path: 'index' }, { path: '_partial' }, { path: 'x/:id/edit' },
  ]);
  const cases: Array<[string, string | null, Record<string, string>?]> = [
    ['posts/7', 'posts/:id', { id: '7' }], ['posts/new', 'posts/new', {}], ['tags/sql', ':a/:b', { a: 'tags', b: 'sql' }],
    ['index', 'index', {}], ['_partial', null], ['posts', null], ['x/1/edit', 'x/:id/edit', { id: '1' }], ['x/1/view', null],
  ];
  for (const [path, pattern, params] of cases) {
    test(`${path} → ${pattern}`, () => {
      const match = table.match(path);
      assert.equal(match?.route.path ?? null, pattern);
      if (params) assert.deepEqual({ ...match!.params }, params);
    });
  }
  test('partials are not routes', () => assert.equal(table.size, 5));
});
