/**
 * `wce push` and `wce pull` against a real server: the plan, then the changes; a second run
 * finds nothing to do; a changed endpoint is a change, a removed one is kept unless --prune;
 * an applied migration that was edited is refused before anything is applied; pull writes the
 * layout push reads, and what it wrote deploys to a fresh cenv unchanged. A cenv made without
 * push pulls into a migration that applies on top of itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { tempDir, type TestServer } from '../helpers/server.ts';
import { closeCliServer, startCliServer, type Cli } from '../helpers/cli.ts';

let server: TestServer;
let cli: Cli;
let dir: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

before(async () => {
  ({ server, cli } = await startCliServer());
  dir = tempDir('wce-project-');
  write('schema.sql', '-- migration: 001_notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, public INTEGER NOT NULL DEFAULT 0);\n');
  write('policies.json', JSON.stringify({
    grants: [{ table: 'notes', role: 'anonymous', operations: ['select'] }],
    policies: [{ table: 'notes', name: 'public notes', commands: ['select'], roles: ['anonymous'], using: 'public = 1' }],
  }));
  write('modules/lib/text.star', 'def shout(s):\n    return s.upper() + "!"\n');
  write('endpoints/hello.star', '# wce: GET /hello/:name access=public\nload("lib/text.star", "shout")\n\ndef handle(req):\n    return {"hello": shout(req.params["name"])}\n');
  write('endpoints/notes.star', '# wce: GET /notes access=public\ndef handle(req):\n    return db.query("SELECT id, text FROM notes ORDER BY id")\n');
  write('templates/index.liquid', '{% comment %}wce\n{"queries": {"notes": "SELECT text FROM notes ORDER BY id"}}\n{% endcomment %}\n<ul>{% for n in notes %}<li>{{ n.text }}</li>{% endfor %}</ul>\n');
  write('templates/notes/[id].md', '{% comment %}wce {"queries": {"note": {"sql": "SELECT text FROM notes WHERE id = :id", "first": true, "required": true}}} {% endcomment %}\n# {{ note.text }}\n');
  await cli.newCenv('proj');
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeCliServer(server, cli);
});

test('push shows the plan, applies it, and a second push has nothing to do', async () => {
  const first = await cli.ok(['push', dir]);
  assert.match(first.stdout, new RegExp(`^Plan for proj at ${server.url.replace(/[.]/g, '\\.')} from `));
  for (const line of ['+ migration 001_notes', '+ grant select on notes to anonymous', '+ policy "public notes" on notes (permissive, select for anonymous)',
    '+ module lib/text.star', '+ endpoint GET /hello/:name (public)', '+ endpoint GET /notes (public)', '+ template index', '+ template notes/:id (markdown)']) {
    assert.ok(first.stdout.includes(`  ${line}\n`), `plan line: ${line}\n${first.stdout}`);
  }
  assert.match(first.stdout, /8 to add, 0 to change, 0 to delete; 0 unchanged\.\n/);
  assert.match(first.stdout, /Applied 8 changes\.\n$/);
  const hello = await (await fetch(`${server.url}/proj/api/hello/ada`)).json();
  assert.deepEqual(hello, { hello: 'ADA!' });
  await cli.ok(['sql', "INSERT INTO notes (text, public) VALUES ('seen', 1), ('hidden', 0)"]);
  assert.deepEqual(await (await fetch(`${server.url}/proj/api/notes`)).json(), [{ id: 1, text: 'seen' }], 'the policy applies to the endpoint');
  assert.match(await (await fetch(`${server.url}/proj/pages/notes/1`)).text(), /<h1>seen<\/h1>/);
  const second = await cli.ok(['push', dir]);
  assert.equal(second.stdout.split('\n').slice(1).join('\n'), '0 to add, 0 to change, 0 to delete; 8 unchanged.\n');
});

test('a change is a change; a removed endpoint is kept unless --prune; --dry-run changes nothing', async () => {
  write('endpoints/hello.star', '# wce: GET /hello/:name access=public\nload("lib/text.star", "shout")\n\ndef handle(req):\n    return {"hi": shout(req.params["name"])}\n');
  rmSync(path.join(dir, 'endpoints/notes.star'));
  const dry = await cli.ok(['push', dir, '--dry-run']);
  assert.match(dry.stdout, /  ~ endpoint GET \/hello\/:name \(public\): source\n/);
  assert.match(dry.stdout, /  ! endpoint GET \/notes \(public\): in the cenv, not in the directory \(kept; --prune deletes it\)\n/);
  assert.doesNotMatch(dry.stdout, /Applied/);
  assert.deepEqual(await (await fetch(`${server.url}/proj/api/hello/x`)).json(), { hello: 'X!' });
  const pruned = await cli.ok(['push', dir, '--prune']);
  assert.match(pruned.stdout, /0 to add, 1 to change, 1 to delete; 6 unchanged\.\n/);
  assert.equal((await fetch(`${server.url}/proj/api/notes`)).status, 404);
  assert.deepEqual(await (await fetch(`${server.url}/proj/api/hello/x`)).json(), { hi: 'X!' });
});

test('a grant whose operations changed is changed in place (same grant, never revoked in between)', async () => {
  const { id } = (await server.deps.registry.resolve({ kind: 'name', name: 'proj' }))!;
  const grants = async () => (await server.deps.pools.use(id, (db) => db.prepare("SELECT id, can_select, can_insert FROM _wce_table_permissions WHERE table_name = 'notes'").all())) as Array<{ id: number; can_select: number; can_insert: number }>;
  const [before] = await grants();
  write('policies.json', JSON.stringify({
    grants: [{ table: 'notes', role: 'anonymous', operations: ['select', 'insert'] }],
    policies: [{ table: 'notes', name: 'public notes', commands: ['select'], roles: ['anonymous'], using: 'public = 1' }],
  }));
  const pushed = await cli.ok(['push', dir]);
  assert.match(pushed.stdout, /  ~ grant select, insert on notes to anonymous\n/);
  assert.match(pushed.stdout, /0 to add, 1 to change, 0 to delete/);
  const after = await grants();
  assert.deepEqual(after.map((g) => ({ ...g })), [{ id: before.id, can_select: 1, can_insert: 1 }]);
});

test('an applied migration that was edited is refused before anything is applied', async () => {
  write('schema.sql', '-- migration: 001_notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);\n\n-- migration: 002_tags\nCREATE TABLE tags (name TEXT PRIMARY KEY);\n');
  const refused = await cli.run(['push', dir]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /migration 001_notes was changed after it was applied to this cenv\. Applied migrations never run again/);
  const tags = await cli.run(['sql', 'SELECT * FROM tags']);
  assert.equal(tags.code, 1, 'nothing was applied');
  write('schema.sql', '-- migration: 001_notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, public INTEGER NOT NULL DEFAULT 0);\n\n-- migration: 002_tags\nCREATE TABLE tags (name TEXT PRIMARY KEY);\n');
  assert.match((await cli.ok(['push', dir])).stdout, /  ✓ migration 002_tags\n/);
});

test('pull writes the layout push reads; a second pull writes nothing; the result deploys to a fresh cenv', async () => {
  const out = tempDir('wce-pulled-');
  const pulled = await cli.ok(['pull', out]);
  for (const file of ['schema.sql', 'policies.json', 'endpoints/get-hello-name.star', 'modules/lib/text.star', 'templates/index.liquid', 'templates/notes/[id].md']) {
    assert.ok(existsSync(path.join(out, file)), `${file} was written\n${pulled.stdout}`);
  }
  assert.match(readFileSync(path.join(out, 'endpoints/get-hello-name.star'), 'utf8'), /^# wce: GET \/hello\/:name access=public\nload\("lib\/text\.star", "shout"\)/);
  assert.equal(readFileSync(path.join(out, 'schema.sql'), 'utf8'), readFileSync(path.join(dir, 'schema.sql'), 'utf8'));
  assert.match((await cli.ok(['pull', out])).stdout, /0 to write, 0 to delete; 6 unchanged\.\n$/);
  await cli.newCenv('copy');
  const copy = await cli.ok(['push', out]);
  assert.match(copy.stdout, /8 to add, 0 to change, 0 to delete; 0 unchanged\./);
  assert.deepEqual(await (await fetch(`${server.url}/copy/api/hello/y`)).json(), { hi: 'Y!' });
  rmSync(out, { recursive: true, force: true });
});

test('a cenv made without push pulls into a migration that applies on top of it', async () => {
  await cli.newCenv('handmade');
  await cli.ok(['sql'], { input: 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\nCREATE INDEX a_v ON a (v);\n' });
  const out = tempDir('wce-pulled-');
  await cli.ok(['pull', out]);
  const schema = readFileSync(path.join(out, 'schema.sql'), 'utf8');
  assert.match(schema, /^-- migration: 000_existing\nCREATE TABLE IF NOT EXISTS a \(id INTEGER PRIMARY KEY, v TEXT\);\n\nCREATE INDEX IF NOT EXISTS a_v ON a \(v\);\n$/);
  const pushed = await cli.ok(['push', out]);
  assert.match(pushed.stdout, /  ! the cenv has tables that wce push did not make/);
  assert.match(pushed.stdout, /  ✓ migration 000_existing\n/);
  assert.match((await cli.ok(['push', out])).stdout, /0 to add, 0 to change, 0 to delete; 1 unchanged\./);
  rmSync(out, { recursive: true, force: true });
});
