/**
 * Imports point down: routes → domain modules → sandbox/db/cenv → tools, with no cycles
 * between folders of src/, the Starlark interpreter importing nothing from the rest of
 * the project, and no cycles between the interpreter's own folders. Read from the source text, so a new import that breaks the rule fails here
 * before anyone has to notice it in review. Test files may import anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** Top-level files of src/ that may import anything (composition roots) or nothing (leaves). */
const ROOTS = new Set(['main.ts', 'child.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !full.includes(`${path.sep}test${path.sep}`) ? [full] : [];
  });
}

/**
 * Imports between the units of `root` (its folders, and its top-level files by name), read
 * from the source text; imports leaving `root` and files of `skip` are ignored.
 */
function edges(root: string, skip: ReadonlySet<string> = new Set()): Map<string, Set<string>> {
  const unit = (file: string) => path.relative(root, file).split(path.sep)[0]!;
  const graph = new Map<string, Set<string>>();
  for (const file of sources(root)) {
    const from = unit(file);
    if (skip.has(from)) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
      const target = path.resolve(path.dirname(file), match[1]!);
      if (!target.startsWith(root + path.sep)) continue;
      const to = unit(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every import cycle of the graph, as "a → b → a". */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const visit = (node: string, trail: string[]) => {
    if (trail.includes(node)) {
      found.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...new Set(found)];
}

test('src/starlark imports nothing from the rest of the project', () => {
  assert.deepEqual([...(edges(SRC, ROOTS).get('starlark') ?? [])], []);
});

test('no import cycles between the folders of src/', () => {
  assert.deepEqual(cycles(edges(SRC, ROOTS)), []);
});

test('no import cycles between the sub-folders of src/starlark/ (values/ never imports builtins/)', () => {
  const graph = edges(path.join(SRC, 'starlark'));
  assert.deepEqual(cycles(graph), []);
  assert.ok(graph.get('values')?.has('builtins') !== true, 'values imports builtins');
});

test('the low layers never import the HTTP layer', () => {
  const graph = edges(SRC, ROOTS);
  for (const low of ['tools', 'cenv', 'auth', 'db', 'access', 'sandbox']) {
    assert.ok(!graph.get(low)?.has('server'), `${low} imports src/server`);
  }
  assert.deepEqual([...(graph.get('tools') ?? [])].filter((to) => to !== 'errors.ts'), [], 'tools are app-agnostic');
});
