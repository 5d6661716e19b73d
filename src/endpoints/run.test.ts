/**
 * The script contract as a sandbox child runs it: what handle() may return and the response
 * made of it, the database inside one transaction (commit on return, rollback on fail(),
 * always for test runs), values in both directions, print capture, limits answered with
 * their own status, and compiled code that is never stale.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptWorld, type ScriptWorld } from '../../test/helpers/endpoints.ts';
import { USER } from '../../test/helpers/tenant.ts';
import { saveModule } from './module-store.ts';
import { MAX_PRINT_LINES } from './run.ts';

let w: ScriptWorld;
const count = () => (w.admin.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n;
const body = (src: string) => `def handle(req):\n${src.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

before(() => {
  w = scriptWorld('CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT, text TEXT, score REAL, data BLOB, big INTEGER)');
});
after(() => w.close());

describe('what handle returns', () => {
  for (const [name, src, status, type, text] of [
    ['a string is text/plain', 'return "hi"', 200, 'text/plain; charset=utf-8', 'hi'],
    ['a dict is JSON in the order given, big ints exact', 'return {"b": 1, "a": [1.5, None, True], "2": 9223372036854775807}', 200,
      'application/json; charset=utf-8', '{"b":1,"a":[1.5,null,true],"2":9223372036854775807}'],
    ['a list is JSON', 'return [1, "x"]', 200, 'application/json; charset=utf-8', '[1,"x"]'],
    ['None is 204', 'return None', 204, undefined, ''],
    ['response() sets status, headers and JSON', 'return response(status=201, headers={"X-Id": "7"}, json={"id": 7})', 201,
      'application/json; charset=utf-8', '{"id":7}'],
    ['response(body=) with its own content type', 'return response(body="<p>x</p>", headers={"content-type": "text/html"})', 200, 'text/html', '<p>x</p>'],
    ['redirect() is a 302 with Location', 'return redirect("/api/there")', 302, undefined, ''],
  ] as const) {
    test(name, () => {
      const reply = w.run(body(src));
      assert.equal(reply.run.error, null, JSON.stringify(reply.run.error));
      assert.equal(reply.status, status);
      assert.equal(reply.headers?.['content-type'], type);
      assert.equal(reply.body, text);
    });
  }
  test('redirect carries its location; response headers are lower-cased', () => {
    assert.deepEqual(w.run(body('return redirect("https://example.com/x", status=301)')).headers, { location: 'https://example.com/x' });
    assert.equal(w.run(body('return response(headers={"X-Id": "7"})')).headers?.['x-id'], '7');
  });
});

describe('script errors are replies with a failure, never thrown', () => {
  for (const [name, src, status, code, message] of [
    ['fail()', 'fail("nope")', 500, 'WCE_ERR_SCRIPT', /fail: nope/],
    ['a type error', 'return 1 + "x"', 500, 'WCE_ERR_SCRIPT', /unknown binary op/],
    ['a bad return value', 'return 42', 500, 'WCE_ERR_SCRIPT', /handle returned int/],
    ['Set-Cookie', 'return response(headers={"Set-Cookie": "wce_session=x"})', 500, 'WCE_ERR_SCRIPT', /Set-Cookie is not allowed/],
    ['CR/LF in a header', 'return response(headers={"x-a": "1\\r\\nset-cookie: a=b"})', 500, 'WCE_ERR_SCRIPT', /without CR, LF/],
    ['a hop-by-hop header', 'return response(headers={"Transfer-Encoding": "chunked"})', 500, 'WCE_ERR_SCRIPT', /hop-by-hop/],
    ['removing the sandbox CSP', 'return response(headers={"Content-Security-Policy": "default-src *"})', 500, 'WCE_ERR_SCRIPT', /set by WCE/],
    ['a function in JSON', 'return {"f": len}', 500, 'WCE_ERR_SCRIPT', /builtin_function_or_method is not a JSON value/],
    ['recursion deeper than 1000 calls', 'def f(n):\n    return f(n + 1)\nreturn f(0)', 500, 'WCE_ERR_SCRIPT', /stack overflow/],
    ['a huge string', 's = "x"\nfor i in range(30):\n    s = s + s\nreturn s', 413, 'WCE_ERR_PAYLOAD_TOO_LARGE', /too large: string length/],
    ['the step budget', 'for i in range(10000000):\n    pass', 504, 'WCE_ERR_TIMEOUT', /more than its 100000 steps.*starlark_max_steps/],
  ] as const) {
    test(name, () => {
      const reply = w.run(body(src), { settings: { starlark_max_steps: 100_000 } });
      assert.equal(reply.status, status);
      assert.equal(reply.run.error?.code, code);
      assert.match(reply.run.error!.message, message);
    });
  }

  test('the deadline stops `while True` and names starlark_timeout_ms; the backtrace points at the loop', () => {
    const started = Date.now();
    const reply = w.run(body('while True:\n    pass'), { timeoutMs: 100, settings: { starlark_max_steps: 1e9 } });
    assert.ok(Date.now() - started < 1000);
    assert.equal(reply.status, 504);
    assert.match(reply.run.error!.message, /longer than its 100 ms limit.*starlark_timeout_ms/);
    assert.match(reply.run.error!.backtrace!, /endpoint\.star:2:\d+: in handle/);
  });
});

describe('the database', () => {
  test('positional and named arguments; values keep their types both ways', () => {
    const reply = w.run(w.save(body([
      'r = db.execute("INSERT INTO notes (owner, text, score, data, big) VALUES (?, ?, ?, ?, ?)", "me", "a", 2.0, b"\\x00\\xff", 9007199254740993)',
      'row = db.query_one("SELECT * FROM notes WHERE id = :id", {"id": r.last_insert_rowid})',
      'return {"changes": r.changes, "types": [type(row[k]) for k in ["id", "text", "score", "data", "big"]], "big": row["big"], "none": db.query_one("SELECT 1 WHERE 0")}',
    ].join('\n'))));
    assert.equal(reply.run.error, null, JSON.stringify(reply.run.error));
    assert.equal(reply.body, '{"changes":1,"types":["int","string","float","bytes","int"],"big":9007199254740993,"none":null}');
    assert.deepEqual(reply.effects.writes, [{ table: 'notes', action: 'insert', rows: 1 }]);
  });

  test('one invocation is one transaction: fail() after a write leaves nothing, a return commits', () => {
    const before = count();
    assert.equal(w.run(w.save(body('db.execute("INSERT INTO notes (text) VALUES (?)", "x")\nfail("after the write")'))).status, 500);
    assert.equal(count(), before);
    const ok = w.run(w.save(body('db.execute("INSERT INTO notes (text) VALUES (?)", "x")\ndb.execute("INSERT INTO notes (text) VALUES (?)", "y")\nreturn "ok"')));
    assert.equal(ok.status, 200);
    assert.equal(count(), before + 2);
  });

  test('test runs always roll back, and report no committed writes', () => {
    const before = count();
    const reply = w.run(body('db.execute("DELETE FROM notes")\nreturn db.query("SELECT count(*) AS n FROM notes")'));
    assert.equal(reply.body, '[{"n":0}]');
    assert.deepEqual(reply.effects.writes, []);
    assert.equal(count(), before);
  });

  test('grants apply: a user without a grant is refused, as a script error naming the cause', () => {
    const reply = w.run(body('return db.query("SELECT * FROM notes")'), { principal: USER });
    assert.equal(reply.status, 500);
    assert.equal(reply.run.error?.cause, 'WCE_ERR_FORBIDDEN');
    assert.match(reply.run.error!.message, /^db\.query: permission denied: user may not select from notes/);
  });

  test('the database is not available at the top level (cached code is shared by every caller)', () => {
    const reply = w.run('rows = db.query("SELECT 1")\ndef handle(req):\n    return rows\n');
    assert.match(reply.run.error!.message, /only while handle\(req\) runs/);
  });
});

describe('logs, modules and caching', () => {
  test('print() output is kept, bounded', () => {
    const reply = w.run(body(`for i in range(${MAX_PRINT_LINES + 5}):\n    print("line", i)\nreturn "ok"`));
    assert.equal(reply.run.prints.length, MAX_PRINT_LINES + 1);
    assert.equal(reply.run.prints[0], 'line 0');
    assert.match(reply.run.prints.at(-1)!, /5 more lines of print\(\) output were dropped/);
    assert.ok(reply.run.steps > MAX_PRINT_LINES);
  });

  test('a saved endpoint is compiled once per version; a changed module rebuilds it on the next run', () => {
    saveModule(w.admin, 'lib/v.star', 'V = "one"\n', { userId: null, username: 'o', role: 'owner' }, { allowSet: true, allowWhile: true, allowRecursion: true });
    const saved = w.save('load("lib/v.star", "V")\nprint("top level ran")\ndef handle(req):\n    return V\n');
    const first = w.run(saved);
    assert.deepEqual([first.body, first.run.prints], ['one', ['top level ran']]);
    const second = w.run(saved);
    assert.deepEqual([second.body, second.run.prints], ['one', []], 'cached: the top level did not run again');
    saveModule(w.admin, 'lib/v.star', 'V = "two"\n', { userId: null, username: 'o', role: 'owner' }, { allowSet: true, allowWhile: true, allowRecursion: true });
    assert.equal(w.run(saved).body, 'two');
  });

  test('cached globals are frozen: a request cannot leave state for the next', () => {
    const saved = w.save('seen = []\ndef handle(req):\n    seen.append(1)\n    return len(seen)\n');
    const reply = w.run(saved);
    assert.match(reply.run.error!.message, /frozen/);
  });
});
