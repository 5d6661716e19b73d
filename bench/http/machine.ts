/** The machine line every RESULTS.md section starts with. */
import { availableParallelism, cpus, totalmem } from 'node:os';

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memory = (totalmem() / 1024 ** 3).toFixed(0);
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `${availableParallelism()} CPUs (${cpu}), ${memory} GiB RAM, Node ${process.version}, ${date} UTC`;
}
