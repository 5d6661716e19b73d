/**
 * `wce sql "SELECT …"` / `wce sql -f file.sql`: runs SQL in the cenv as you (or, for owners
 * and admins, as another user with --as), under the cenv's grants and row policies. Several
 * statements (a file, usually) go as one batch: all of them or none. A table on a terminal,
 * the API's JSON when piped.
 */
import { readFileSync } from 'node:fs';
import { splitStatements } from '../../../web/src/lib/sql-split.ts';
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, UsageError } from '../client.ts';
import { note, printJson, table, wantsJson } from '../output.ts';
import { findUser } from './users.ts';

const USAGE = `Usage: wce sql [SQL] [-f FILE] [-p VALUE]… [--as USER] [--json | --table]

Runs SQL in the cenv as you. Without SQL or -f, reads the SQL from standard input.
Several statements run as one batch: all of them, or (on an error) none.

  -f, --file FILE    the SQL to run
  -p, --param VALUE  a value for the next ? (repeatable); JSON when it parses (20, true, null,
                     "text"), else text
      --as USER      run as this user (a username, or anonymous): owners and admins only
      --json         print the API's JSON (the default when the output is not a terminal)
      --table        print a table (the default on a terminal)
${TARGET_HELP}

Examples:
  wce sql "SELECT id, title FROM posts ORDER BY id DESC LIMIT ?" -p 20
  wce sql -f schema.sql
  wce sql --as bob "SELECT count(*) FROM todos"`;

interface Result { columns: string[]; rows: unknown[][]; changes: number; last_insert_rowid: unknown; truncated: boolean }

function paramValue(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}


function show(result: Result): void {
  if (result.columns.length > 0) {
    process.stdout.write(`${table(result.columns, result.rows)}\n`);
    note(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', cut at max_rows: add a LIMIT' : ''})`);
  } else {
    note(`OK: ${result.changes} row${result.changes === 1 ? '' : 's'} changed`);
  }
}

export const sql: Command = {
  name: 'sql',
  summary: 'run SQL (or -f FILE): a table on a terminal, JSON when piped',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, {
      ...TARGET, file: { type: 'string', short: 'f' }, param: { type: 'string', short: 'p', multiple: true },
      as: { type: 'string' }, json: { type: 'boolean' }, table: { type: 'boolean' },
    }, USAGE);
    if (!args) return;
    const { values, positionals } = args;
    if (values.file && positionals.length > 0) throw new UsageError('give the SQL or -f FILE, not both');
    let text: string;
    try {
      text = values.file ? readFileSync(values.file, 'utf8') : positionals.length > 0 ? positionals.join(' ') : process.stdin.isTTY ? '' : await readStdin();
    } catch (error) {
      throw new UsageError(`cannot read ${values.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const statements = splitStatements(text).map((piece) => piece.text);
    if (statements.length === 0) throw new UsageError(`no SQL to run\n${USAGE.split('\n')[0]}`);
    const params = (values.param ?? []).map(paramValue);
    if (params.length > 0 && statements.length > 1) throw new UsageError('-p goes with a single statement');
    const client = Client.forCenv(values);
    // `as_user` takes a user id, or "anonymous".
    const asUser = values.as === undefined ? {} : { as_user: values.as === 'anonymous' ? 'anonymous' : (await findUser(client, values.as)).id };
    const body = statements.length === 1
      ? { sql: statements[0], ...(params.length > 0 ? { params } : {}), ...asUser }
      : { statements: statements.map((s) => ({ sql: s })), ...asUser };
    const answer = await client.json<Result | { results: Result[] }>('POST', '/sql', body);
    if (wantsJson(values)) return printJson(answer);
    for (const result of 'results' in answer ? answer.results : [answer]) show(result);
  },
};
