/**
 * Path patterns and routing: what a pattern may be, how request paths are split and
 * decoded, precedence (literal > :param > *rest, method-specific > ANY), 405 with the
 * allowed methods, and that parameter names belong to each pattern.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePattern, splitPath } from './patterns.ts';
import { RouteTable, type EndpointMethod, type RouteInfo } from './route-table.ts';

let nextId = 1;
function route(method: EndpointMethod, path: string): RouteInfo {
  return { id: nextId++, method, path, access: 'public', run_as: 'caller', version: 1 };
}

describe('patterns', () => {
  test('valid patterns and their keys (parameter names erased)', () => {
    for (const [text, key] of [
      ['/', '/'], ['/posts', '/posts'], ['/posts/:id', '/posts/:'], ['/files/*rest', '/files/*'],
      ['/a/:x/b/:y', '/a/:/b/:'], ['/v1.0/~me/x-y_z', '/v1.0/~me/x-y_z'],
    ]) {
      assert.equal(parsePattern(text).key, key, text);
    }
    assert.deepEqual(parsePattern('/posts/:id').segments, [{ kind: 'literal', value: 'posts' }, { kind: 'param', name: 'id' }]);
  });

  test('malformed patterns are 400s that say what is wrong', () => {
    for (const [text, why] of [
      ['', /non-empty/], ['posts', /start with "\/"/], ['/posts/', /empty segment/], ['//x', /empty segment/],
      ['/:', /followed by a name/], ['/:1x', /followed by a name/], ['/:a/:a', /used twice/], ['/*rest/x', /last segment/],
      ['/a b', /may only hold/], ['/a?b', /may only hold/], ['/..', /not allowed/], ['/' + 'a'.repeat(600), /longer than/],
      ['/' + Array(40).fill('a').join('/'), /more than 32 segments/], ['/x/:id%', /followed by a name/],
    ] as Array<[string, RegExp]>) {
      assert.throws(() => parsePattern(text), (e: Error & { statusCode?: number }) => {
        assert.equal(e.statusCode, 400, text);
        assert.match(e.message, why, text);
        return true;
      });
    }
  });

  test('request paths split into decoded segments; a bad escape is a 400', () => {
    assert.deepEqual(splitPath(''), []);
    assert.deepEqual(splitPath('/'), []);
    assert.deepEqual(splitPath('/files/a%2Fb/%E2%82%AC'), ['files', 'a/b', '€']);
    assert.equal(splitPath('/posts/'), null);
    assert.equal(splitPath('//x'), null);
    assert.throws(() => splitPath('/bad%E2%82'), /malformed %-escape/);
  });
});

describe('route table', () => {
  const table = new RouteTable([
    route('GET', '/posts'), route('POST', '/posts'), route('GET', '/posts/:id'), route('GET', '/posts/new'),
    route('DELETE', '/posts/:slug'), route('GET', '/files/*rest'), route('ANY', '/any/:x'), route('PUT', '/any/:y'),
    route('GET', '/'), route('POST', '/users/:id/avatar'),
  ]);
  const found = (method: string, path: string) => {
    const m = table.match(method, path);
    assert.equal(m.kind, 'found', `${method} ${path}`);
    return m as Extract<typeof m, { kind: 'found' }>;
  };

  test('exact segments beat parameters, parameters beat the rest', () => {
    assert.equal(found('GET', '/posts/new').route.path, '/posts/new');
    assert.equal(found('GET', '/posts/42').route.path, '/posts/:id');
    assert.deepEqual({ ...found('GET', '/posts/42').params }, { id: '42' });
    assert.deepEqual({ ...found('GET', '/files/a/b%20c/d').params }, { rest: 'a/b c/d' });
    assert.equal(table.match('GET', '/files').kind, 'none', '*rest needs at least one segment');
  });

  test('each pattern names its own parameters', () => {
    assert.deepEqual({ ...found('DELETE', '/posts/7').params }, { slug: '7' });
    assert.deepEqual({ ...found('GET', '/posts/7').params }, { id: '7' });
  });

  test('a method-specific endpoint beats ANY on the same pattern; ANY takes the rest', () => {
    assert.equal(found('PUT', '/any/1').route.method, 'PUT');
    assert.deepEqual({ ...found('PUT', '/any/1').params }, { y: '1' });
    assert.equal(found('PATCH', '/any/1').route.method, 'ANY');
    assert.equal(found('OPTIONS', '/any/1').route.method, 'ANY');
  });

  test('a literal that lacks the method falls back to a parameter pattern that has it', () => {
    assert.equal(found('DELETE', '/posts/new').route.path, '/posts/:slug');
  });

  test('path matches but method does not: 405 with every method the matching patterns take', () => {
    assert.deepEqual(table.match('PATCH', '/posts'), { kind: 'method', allow: ['GET', 'HEAD', 'POST'] });
    assert.deepEqual(table.match('POST', '/posts/new'), { kind: 'method', allow: ['GET', 'HEAD', 'DELETE'] });
    assert.deepEqual(table.match('GET', '/users/1/avatar'), { kind: 'method', allow: ['POST'] });
  });

  test('HEAD is served by GET; the root; unknown paths', () => {
    assert.equal(found('HEAD', '/posts').route.method, 'GET');
    assert.equal(found('GET', '').route.path, '/');
    assert.equal(found('GET', '/').route.path, '/');
    for (const path of ['/nope', '/posts/1/2', '/posts/', '//posts']) assert.deepEqual(table.match('GET', path), { kind: 'none' }, path);
  });

  test('parameter values are decoded, and a value holding "/" stays one segment', () => {
    assert.deepEqual({ ...found('GET', '/posts/a%2Fb').params }, { id: 'a/b' });
  });
});
