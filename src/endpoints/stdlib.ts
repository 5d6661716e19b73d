/**
 * The values of the names every script sees (their list is dialect.ts, shared with the main
 * process's save-time check), and the growth limits a run has. Built once per child.
 *
 * @example compile(source, { predeclared: PREDECLARED, options: dialect })
 */
import { MAX_REPLY_BYTES } from '../sandbox/child-runtime.ts';
import { json, math, time, type Limits, type Value } from '../starlark/index.ts';
import { dbModule } from './db-module.ts';
import { PREDECLARED_NAMES, type PredeclaredName } from './dialect.ts';
import { base64Module, hashModule, urlModule, uuid4 } from './helpers.ts';
import { responseBuiltins } from './response.ts';
import { eventsModule } from './events-module.ts';

/** The largest response body a script may build (what a child may send back). */
export const MAX_BODY_BYTES = MAX_REPLY_BYTES;

const { response, redirect } = responseBuiltins(MAX_BODY_BYTES);

export const PREDECLARED: Readonly<Record<PredeclaredName, Value>> = Object.freeze({
  db: dbModule, response, redirect, json, math, time, uuid4, hash: hashModule, base64: base64Module, url: urlModule,
  events: eventsModule,
});

// The save-time check resolves names from PREDECLARED_NAMES: the two lists must agree.
for (const name of PREDECLARED_NAMES) if (!Object.hasOwn(PREDECLARED, name)) throw new Error(`predeclared ${name} has no value`);

/**
 * Growth limits of one run, below the interpreter's defaults so that one value stays far
 * under a child's memory (the V8 heap is half of WCE_SANDBOX_MEMORY_MB): a string of 16 M
 * characters, a list of 4 M elements, a dict of 1 M entries, 1000 nested calls.
 */
export const SCRIPT_LIMITS: Readonly<Limits> = Object.freeze({
  maxStringLength: 1 << 24,
  maxListLength: 1 << 22,
  maxDictSize: 1 << 20,
  maxCallDepth: 1000,
});
