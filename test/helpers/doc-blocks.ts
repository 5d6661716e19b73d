/**
 * The runnable code of a Markdown guide, for test/docs/tutorials.test.ts. The convention
 * (docs/dev/contributing.md, "Documentation that runs"):
 *
 * - a ```sh block right after a `<!-- run -->` line is run; other blocks are only shown;
 * - a block of any language right after `<!-- file: NAME -->` is written to NAME (in the
 *   working directory) at that point, so a page can show a script as Python and use it;
 * - all runnable blocks of a page run in order in one bash, so a variable one block sets
 *   (`TOKEN=$(…)`) is there in the next, and files one writes are there for the next;
 * - `# → text` lines check the output (standard output and error) of the commands since the
 *   previous check: `…` matches anything; consecutive `# →` lines must match in order;
 * - `# → exit N` says the command before it fails with status N (any other failure fails
 *   the test, naming the line of the page).
 *
 * @example const script = runnableScript(readFileSync('docs/getting-started.md', 'utf8'));
 */
export interface Check { id: number; docLine: number; expected: string[]; exit: number | null }
export interface Script { text: string; checks: Check[]; lineMap: number[] }

const RUN_MARK = /^<!--\s*run\s*-->\s*$/;
const FILE_MARK = /^<!--\s*file:\s*(\S+)\s*-->\s*$/;
const ARROW = /^\s*#\s*→\s?(.*)$/;

/** Blocks to run (or to write as files), each with the page line of its first code line. */
export function runnableBlocks(markdown: string): Array<{ line: number; code: string[] }> {
  const lines = markdown.split('\n');
  const blocks: Array<{ line: number; code: string[] }> = [];
  for (let i = 0; i < lines.length; i++) {
    const file = FILE_MARK.exec(lines[i]);
    if (!file && !RUN_MARK.test(lines[i])) continue;
    const fence = lines[i + 1] ?? '';
    if (file ? !/^```/.test(fence) : !/^```(sh|bash)\s*$/.test(fence)) throw new Error(`line ${i + 2}: ${lines[i]} must come right before a code block${file ? '' : ' (```sh)'}`);
    const start = i + 2;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    const code = lines.slice(start, end);
    // A file block becomes a quoted heredoc: its text is written exactly, nothing expanded.
    const write = `mkdir -p "$(dirname '${file?.[1]}')" && cat > '${file?.[1]}' <<'WCE_DOC_FILE'`;
    blocks.push(file ? { line: start, code: [write, ...code, 'WCE_DOC_FILE'] } : { line: start + 1, code });
    i = end;
  }
  return blocks;
}

/**
 * One bash script of every runnable block: each `# →` group becomes a marker the runner
 * splits the output on, and `lineMap[n]` is the page line of script line n + 1.
 */
export function runnableScript(markdown: string): Script {
  const out: string[] = [];
  const lineMap: number[] = [];
  const checks: Check[] = [];
  const emit = (text: string, docLine: number) => { out.push(text); lineMap.push(docLine); };
  emit('set -o pipefail; exec 2>&1', 0);
  emit('trap \'echo "@@ERR:$LINENO:$?@@"\' ERR', 0);
  for (const block of runnableBlocks(markdown)) {
    let pending: Check | null = null;
    const flush = () => {
      if (!pending) return;
      checks.push(pending);
      emit(`echo "@@CHECK:${pending.id}@@"`, pending.docLine);
      pending = null;
    };
    block.code.forEach((line, i) => {
      const arrow = ARROW.exec(line);
      if (!arrow) {
        flush();
        emit(line, block.line + i);
        return;
      }
      const exit = /^exit (\d+)$/.exec(arrow[1].trim());
      pending ??= { id: checks.length + 1, docLine: block.line + i, expected: [], exit: null };
      if (exit) pending.exit = Number(exit[1]);
      else pending.expected.push(arrow[1]);
      emit(':', block.line + i);
    });
    flush();
  }
  return { text: `${out.join('\n')}\n`, checks, lineMap };
}

/** A `# →` line as a pattern: literal text, with `…` matching anything. */
export function pattern(expected: string[]): RegExp {
  const escaped = expected.map((line) => line.trim().split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?'));
  return new RegExp(escaped.join('[\\s\\S]*?'));
}

/** What went wrong in a run, by page line (empty when every check held). */
export function verify(script: Script, output: string): string[] {
  const problems: string[] = [];
  const errors = [...output.matchAll(/@@ERR:(\d+):(\d+)@@/g)].map((m) => ({ docLine: script.lineMap[Number(m[1]) - 1], code: Number(m[2]), at: m.index! }));
  let from = 0;
  for (const check of script.checks) {
    const marker = output.indexOf(`@@CHECK:${check.id}@@`, from);
    if (marker < 0) { problems.push(`line ${check.docLine}: the script stopped before this check`); break; }
    const segment = output.slice(from, marker);
    const failed = errors.filter((e) => e.at >= from && e.at < marker);
    if (check.exit !== null && !failed.some((e) => e.code === check.exit)) problems.push(`line ${check.docLine}: expected exit ${check.exit}, got ${failed.map((e) => e.code).join(', ') || 'success'}`);
    for (const e of failed.filter((e) => e.code !== check.exit)) problems.push(`line ${e.docLine}: exit ${e.code}\n${segment.replace(/@@ERR:[^@]*@@\n?/g, '').slice(-2000)}`);
    if (check.expected.length > 0 && !pattern(check.expected).test(segment)) {
      problems.push(`line ${check.docLine}: expected ${check.expected.join(' / ')}\n  got: ${segment.replace(/@@ERR:[^@]*@@\n?/g, '').trim().slice(-2000)}`);
    }
    from = marker + `@@CHECK:${check.id}@@`.length;
  }
  for (const e of errors.filter((e) => e.at >= from)) problems.push(`line ${e.docLine}: exit ${e.code}\n${output.slice(from).replace(/@@[^@]*@@\n?/g, '').slice(-2000)}`);
  return problems;
}
