/**
 * The Starlark that endpoint scripts and modules are written in: the names every script sees
 * beside the builtins, and the dialect switches a cenv's settings turn on. Both the main
 * process (checking a source when it is saved) and the sandbox child (compiling it) read
 * them here, so a source that saves is a source that compiles.
 *
 * @example resolve(source, 'endpoint.star', { predeclared: PREDECLARED_PLACEHOLDERS, options: dialectFor(settings) })
 */
import type { Settings } from '../cenv/settings.ts';
import type { Options } from '../starlark/index.ts';

/** Names predeclared for scripts (their values are built in the child: stdlib.ts). */
export const PREDECLARED_NAMES = [
  'db', 'response', 'redirect', 'json', 'math', 'time', 'uuid4', 'hash', 'base64', 'url', 'events',
] as const;

export type PredeclaredName = (typeof PREDECLARED_NAMES)[number];

/** The names alone, for the resolver (which asks only whether a name is predeclared). */
export const PREDECLARED_PLACEHOLDERS: Readonly<Record<string, null>> = Object.freeze(
  Object.fromEntries(PREDECLARED_NAMES.map((name) => [name, null])),
);

/** The dialect one cenv's scripts are compiled and run with; `set` is always on (it is harmless). */
export interface Dialect { allowSet: true; allowWhile: boolean; allowRecursion: boolean }

/**
 * The dialect from a cenv's settings (`starlark_allow_while`, `starlark_allow_recursion`).
 * @example dialectFor(settings).allowWhile // false unless the owner turned it on
 */
export function dialectFor(settings: Settings): Dialect & Options {
  return { allowSet: true, allowWhile: settings.starlark_allow_while === 1, allowRecursion: settings.starlark_allow_recursion === 1 };
}

/** A short key of a dialect, so compiled code is never reused under other switches. */
export function dialectKey(dialect: Dialect): string {
  return `${dialect.allowWhile ? 'w' : '-'}${dialect.allowRecursion ? 'r' : '-'}`;
}

/** The largest source an endpoint or module may have, in UTF-8 bytes. */
export const MAX_SOURCE_BYTES = 256 * 1024;
