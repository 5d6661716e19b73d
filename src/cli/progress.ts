/**
 * A progress bar for long transfers (export, import), drawn on standard error when it is a
 * terminal and redrawn at most ten times a second; silent otherwise, so logs and pipes get
 * only the result line.
 *
 * @example const bar = progressBar('Exporting', total); bar.add(chunk.length); … bar.done();
 */
const WIDTH = 28;

/** 1536 → "1.5 KB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export interface ProgressBar { add(count: number): void; done(): void }

export function progressBar(label: string, total: number | null, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  let seen = 0;
  let drawn = 0;
  const draw = () => {
    drawn = Date.now();
    const line = total
      ? `${label} [${'#'.repeat(Math.round((seen / total) * WIDTH)).padEnd(WIDTH, '.')}] ${String(Math.floor((seen / total) * 100)).padStart(3)}%  ${bytes(seen)} of ${bytes(total)}`
      : `${label} ${bytes(seen)}`;
    stream.write(`\r${line}\u001b[K`);
  };
  return {
    add(count) {
      seen += count;
      if (stream.isTTY && Date.now() - drawn > 100) draw();
    },
    done() {
      if (!stream.isTTY) return;
      draw();
      stream.write('\n');
    },
  };
}

/** `source` as a web stream that reports each chunk to `bar` as it passes. */
export function counted(source: ReadableStream<Uint8Array>, bar: ProgressBar): ReadableStream<Uint8Array> {
  return source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bar.add(chunk.byteLength);
      controller.enqueue(chunk);
    },
  }));
}
