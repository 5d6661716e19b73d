/**
 * Passwords never go on the command line (the process list and shell history would show
 * them). They come from, in order: `--password-stdin` (the first line of standard input),
 * `WCE_PASSWORD`, or a prompt on the terminal that does not echo what is typed.
 *
 * @example const password = await readPassword(values['password-stdin'], 'Password for ada: ');
 */
import { UsageError } from './client.ts';

export const PASSWORD_OPTIONS = { 'password-stdin': { type: 'boolean' } } as const;
export const PASSWORD_HELP = '      --password-stdin   read the password from standard input (else WCE_PASSWORD, else a prompt)';

async function linesOfStdin(count: number): Promise<string[]> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.split('\n').length > count) break;
  }
  return text.split(/\r?\n/).slice(0, count);
}

/** Reads a line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const done = (result: string | null) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (result === null) reject(new UsageError('cancelled'));
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done(value);
        if (char === '\u0003' || char === '\u0004') return done(null);
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    input.on('data', onData);
  });
}

export async function readPassword(fromStdin: boolean | undefined, question: string): Promise<string> {
  if (fromStdin) {
    const [line] = await linesOfStdin(1);
    if (!line) throw new UsageError('--password-stdin: standard input held no password');
    return line;
  }
  if (process.env.WCE_PASSWORD) return process.env.WCE_PASSWORD;
  if (process.stdin.isTTY) return prompt(question);
  throw new UsageError('a password is needed: pipe it with --password-stdin, or set WCE_PASSWORD');
}

/**
 * Several passwords at once (`wce passwd`: the current one, then the new one): the first lines
 * of standard input with `--password-stdin`, else a prompt for each and, when `confirm` is
 * given, the last one typed twice.
 */
export async function readPasswords(fromStdin: boolean | undefined, questions: string[], confirm?: string): Promise<string[]> {
  if (fromStdin) {
    const lines = await linesOfStdin(questions.length);
    if (lines.length < questions.length || lines.some((line) => !line)) {
      throw new UsageError(`--password-stdin: standard input needs ${questions.length} lines (${questions.map((q) => q.replace(/: $/, '').toLowerCase()).join(', then ')})`);
    }
    return lines;
  }
  if (!process.stdin.isTTY) throw new UsageError('passwords are needed: pipe them with --password-stdin, one per line');
  const answers: string[] = [];
  for (const question of questions) answers.push(await prompt(question));
  if (confirm && (await prompt(confirm)) !== answers.at(-1)) throw new UsageError('the two new passwords differ; nothing changed');
  return answers;
}
