/**
 * Table-driven attacks on the AccessGuard. Each attack is one tenant statement sent by a
 * hostile caller. `expect`:
 * - a status (400/403): it must fail with that named error;
 * - 'fails': it must fail, with any error (SQLite's own included: "no such table", …);
 * - 'no-leak': it may succeed, but nothing hidden from the caller may appear in its result
 *   or be copied anywhere in the database.
 * In every case the whole database (tenant tables, `_wce_*` tables and the schema) must be
 * exactly as before, unless `writes` says a legitimate write may happen (then only the
 * no-copy rule applies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../../src/auth/principal.ts';
import { openFixture, run, snapshot, type Fixture } from './fixture.ts';

export type Who = 'alice' | 'anon' | 'admin' | 'owner';

export interface Attack {
  name: string;
  sql: string;
  as?: Who;
  params?: Array<string | number | null>;
  expect: 400 | 403 | 'fails' | 'no-leak';
  /** The statement may legitimately write (e.g. an INSERT of a row of one's own). */
  writes?: boolean;
  /** Prepares the fixture (as an admin would) before the attack. */
  setup?: (f: Fixture) => void;
}

/** Text that only rows hidden from alice and from anonymous callers contain. */
const HIDDEN: Record<Who, string[]> = {
  alice: ['secret-b', 'bob draft', 'owner note', 'notarealhash'],
  anon: ['secret-a', 'alice draft', 'secret-b', 'bob draft', 'owner note', 'notarealhash'],
  admin: ['notarealhash'],
  owner: ['notarealhash'],
};

function principalOf(f: Fixture, who: Who): Principal {
  return { alice: f.alice, anon: f.anon, admin: f.adminUser, owner: f.owner }[who];
}

function occurrences(text: string, marker: string): number {
  return text.split(marker).length - 1;
}

/** Registers one node:test test per attack, each on a fresh fixture. */
export function attacks(category: string, list: Attack[]): void {
  for (const attack of list) {
    const who = attack.as ?? 'alice';
    test(`${category}: ${attack.name} [${who}]`, () => {
      const f = openFixture();
      try {
        attack.setup?.(f);
        const before = snapshot(f);
        let result: unknown = null;
        let error: (Error & { statusCode?: number }) | null = null;
        try {
          result = run(f, principalOf(f, who), attack.sql, ...(attack.params ?? []));
        } catch (caught) {
          error = caught as Error & { statusCode?: number };
        }
        if (typeof attack.expect === 'number') {
          assert.ok(error, `expected ${attack.expect}, but it succeeded with ${JSON.stringify(result)}`);
          assert.equal(error.statusCode, attack.expect, `expected ${attack.expect}, got: ${error.message}`);
        } else if (attack.expect === 'fails') {
          assert.ok(error, `expected a failure, but it succeeded with ${JSON.stringify(result)}`);
        }
        const after = snapshot(f);
        const shown = JSON.stringify(result) + (error ? error.message : '');
        for (const marker of HIDDEN[who]) {
          assert.ok(!shown.includes(marker), `hidden data "${marker}" reached the caller: ${shown.slice(0, 300)}`);
          assert.equal(occurrences(after, marker), occurrences(before, marker), `hidden data "${marker}" was copied`);
        }
        if (!attack.writes) assert.equal(after, before, 'the database changed');
      } finally {
        f.close();
      }
    });
  }
}
