/**
 * The documentation stays true to the tree: every relative link of the Markdown files
 * (README, docs/, examples/) reaches a file, and its #anchor a heading there; every
 * environment variable and per-cenv setting the code reads is on docs/configuration.md;
 * the README stays short and keeps the two commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../../src/cenv/settings.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : files(full, keep);
    return keep(full) ? [full] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

test('every relative link in README, docs/ and examples/ reaches a file (and a heading)', () => {
  const pages = [path.join(ROOT, 'README.md'), ...files(path.join(ROOT, 'docs'), (f) => f.endsWith('.md')), ...files(path.join(ROOT, 'examples'), (f) => f.endsWith('.md'))];
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, hash] = target.split('#');
      const resolved = file ? path.resolve(path.dirname(page), decodeURIComponent(file)) : page;
      const where = `${path.relative(ROOT, page)} → ${target}`;
      if (!existsSync(resolved)) { broken.push(`${where}: no such file`); continue; }
      if (hash && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(resolved).has(hash)) broken.push(`${where}: no such heading`);
    }
  }
  assert.deepEqual(broken, []);
});

test('every variable and setting the code reads is on docs/configuration.md', () => {
  const page = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
  const sources = files(path.join(ROOT, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const notVariables = new Set(['WCE_MANAGED_HEADERS', 'WCE_SANDBOX']);
  const names = new Set<string>(['ALLOW_NEW_CENVS']);
  for (const file of sources) {
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\bWCE_[A-Z0-9_]*[A-Z0-9]\b/g)) {
      if (!name.startsWith('WCE_ERR_') && !notVariables.has(name)) names.add(name);
    }
  }
  for (const [key, spec] of Object.entries(SETTINGS)) {
    names.add(key);
    const env = (spec as { env?: { name: string } }).env;
    if (env) names.add(env.name);
  }
  const missing = [...names].filter((name) => !page.includes(`\`${name}\``)).sort();
  assert.deepEqual(missing, []);
});

test('the README stays short: what WCE is, a screenshot, the two commands, links', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.split('\n').length <= 60, `README.md has ${readme.split('\n').length} lines`);
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /!\[[^\]]+\]\(docs\/ui\/[^)]+\.png\)/);
  assert.match(readme, /\(docs\/getting-started\.md\)/);
});
