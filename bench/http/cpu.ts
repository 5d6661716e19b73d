/**
 * CPU time of a server's whole process tree (the WCE server and its sandbox children), from
 * /proc. Divided by the requests served it gives CPU per request: a figure that other load
 * on a shared machine disturbs far less than requests per second do.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds used so far by `pid` alone (not its children). */
export function ownCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
  } catch {
    return 0; // gone
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/**
 * CPU milliseconds used so far by `pid` and every live descendant (children that already
 * exited are not counted: measure with the same children alive before and after).
 * @example const before = treeCpuMs(pid); await load(); const used = treeCpuMs(pid) - before;
 */
export function treeCpuMs(pid: number): number {
  return ownCpuMs(pid) + children(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
}
