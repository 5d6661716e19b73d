import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, progressBar } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => { written.push(text); return true; } } as unknown as NodeJS.WriteStream & { written: string[] };
}

test('a terminal gets a bar with the share and the sizes; anything else gets nothing', () => {
  const tty = stream(true);
  const bar = progressBar('Exporting blog', 2048, tty);
  bar.add(1024);
  bar.done();
  assert.match(tty.written.join(''), /\rExporting blog \[#{14}\.{14}\]  50%  1\.0 KB of 2\.0 KB/);
  assert.match(tty.written.at(-1)!, /\n$/);
  const pipe = stream(false);
  const silent = progressBar('Exporting blog', 2048, pipe);
  silent.add(2048);
  silent.done();
  assert.deepEqual(pipe.written, []);
});

test('sizes read as people read them', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KB');
  assert.equal(bytes(25 * 1024 * 1024), '25 MB');
});
