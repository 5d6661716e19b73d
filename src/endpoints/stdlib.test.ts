/**
 * The helpers scripts get (hash, base64, url, uuid4), JSON output, the header rules, and that
 * the names checked at save time are exactly the names scripts run with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dict, dictSet, List, runModule, Thread, toJS } from '../starlark/index.ts';
import { HEADERS_BY_KIND } from '../server/plugins/headers.ts';
import { PREDECLARED_NAMES } from './dialect.ts';
import { jsonText, JsonTooLargeError } from './json-text.ts';
import { headerNameProblem, WCE_MANAGED_HEADERS } from './response.ts';
import { PREDECLARED } from './stdlib.ts';

function run(src: string): unknown {
  return toJS(runModule(`x = ${src}\n`, { predeclared: PREDECLARED }).x!);
}

test('hash: sha256 and hmac_sha256 in hex, of strings (UTF-8) and bytes', () => {
  assert.equal(run('hash.sha256("abc")'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(run('hash.sha256(b"abc")'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // RFC 4231 test case 2.
  assert.equal(run('hash.hmac_sha256("Jefe", "what do ya want for nothing?")'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.throws(() => run('hash.sha256(1)'), /want string or bytes/);
});

test('base64: standard and URL-safe, text and bytes; invalid input is an error', () => {
  assert.equal(run('base64.encode("héllo")'), 'aMOpbGxv');
  assert.equal(run('base64.decode("aMOpbGxv")'), 'héllo');
  assert.equal(run('base64.encode(b"\\xfb\\xff", urlsafe=True)'), '-_8');
  assert.deepEqual(run('base64.decode_bytes("-_8", urlsafe=True)'), new Uint8Array([0xfb, 0xff]));
  assert.throws(() => run('base64.decode("a*b=")'), /not valid base64/);
  assert.throws(() => run('base64.decode("/w==")'), /not UTF-8 text; use base64.decode_bytes/);
});

test('url: quote/unquote, parse_query (first value, + is a space), encode_query', () => {
  assert.equal(run('url.quote("a b/c€")'), 'a%20b/c%E2%82%AC');
  assert.equal(run('url.quote("a/b", safe="")'), 'a%2Fb');
  assert.equal(run('url.unquote("a%20b%E2%82%AC")'), 'a b€');
  assert.deepEqual(run('url.parse_query("?a=1&b=x+y&a=2&c")'), { a: '1', b: 'x y', c: '' });
  assert.equal(run('url.encode_query({"q": "a b&c", "n": "1"})'), 'q=a%20b%26c&n=1');
  assert.throws(() => run('url.unquote("%zz")'), /malformed %-escape/);
});

test('uuid4 gives random version-4 UUIDs', () => {
  const [a, b] = run('[uuid4(), uuid4()]') as string[];
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
});

test('JSON output keeps key order (integer-like keys too), bounds depth and size', () => {
  const thread = new Thread();
  const d = new Dict();
  for (const k of ['b', '10', '2', 'a']) dictSet(thread, d, k, 1);
  assert.equal(jsonText(d, 1000), '{"b":1,"10":1,"2":1,"a":1}');
  const loop = new List([]);
  loop.elems.push(loop);
  assert.throws(() => jsonText(loop, 1000), /nested more than 100 deep/);
  assert.throws(() => jsonText(new List(Array(100).fill('xxxxxxxxxx')), 500), JsonTooLargeError);
  const intKeyed = new Dict();
  dictSet(thread, intKeyed, 1, 'x');
  assert.throws(() => jsonText(intKeyed, 100), /dict key int is not a string/);
});

test('header rules: no Set-Cookie, no hop-by-hop, no Content-Length, nothing WCE sets on tenant content', () => {
  assert.equal(headerNameProblem('X-Custom'), null);
  assert.equal(headerNameProblem('Cache-Control'), null);
  for (const name of ['Set-Cookie', 'set-cookie2', 'Content-Length', 'Connection', 'Transfer-Encoding', 'Upgrade', 'bad name', 'x\r\ny',
    'Access-Control-Allow-Origin', 'access-control-allow-credentials']) {
    assert.notEqual(headerNameProblem(name), null, name);
  }
  for (const name of Object.keys(HEADERS_BY_KIND.tenant)) {
    assert.ok(WCE_MANAGED_HEADERS.has(name), `${name} is set on tenant content, so scripts must not set it`);
  }
});

test('the names checked at save time are the names scripts run with', () => {
  assert.deepEqual(Object.keys(PREDECLARED).sort(), [...PREDECLARED_NAMES].sort());
});
