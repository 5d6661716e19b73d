/**
 * Runtime-only micro-benchmarks: the runtime's operations called from plain
 * JS loops (no compiler), against the same operations in CPython. Shows how
 * the runtime alone compares, separately from the interpreter loop.
 * Best of 10 runs each, after warm-up.
 *
 *   node bench/starlark/micro.ts
 */
import { execFileSync } from 'node:child_process';
import { universe } from '../../src/starlark/builtins/universe.ts';
import { json } from '../../src/starlark/lib/json.ts';
import { methodCaller } from '../../src/starlark/builtins/attrs.ts';
import { add, call, dictSet, getIndex, mod } from '../../src/starlark/values/ops.ts';
import { Thread } from '../../src/starlark/values/thread.ts';
import { Dict, List, Tuple, type Value } from '../../src/starlark/values/value.ts';

const t = new Thread();
const append = methodCaller('append');
const join = methodCaller('join');

const cases: Record<string, () => unknown> = {
  'dict: 200k string-key inserts + lookups': () => {
    const d = new Dict();
    for (let i = 0; i < 200000; i++) dictSet(t, d, add('key', String(i), t), i);
    let s = 0;
    for (let i = 0; i < 200000; i++) s += getIndex(d, add('key', String(i), t)) as number;
    return s;
  },
  'list: 1e6 appends': () => {
    const l = new List([]);
    for (let i = 0; i < 1e6; i++) append(t, l, [i], null);
    return l.elems.length;
  },
  'string: 100k "%d-%s" formats + join': () => {
    const l = new List([]);
    for (let i = 0; i < 100000; i++) append(t, l, [mod('item-%d-%s', new Tuple([i, 'x']), t)], null);
    return (join(t, ',', [l], null) as string).length;
  },
  'sorted: 200k ints': () => call(t, universe.sorted!, [new List(Array.from({ length: 200000 }, (_v, i) => (i * 7919) % 200003))], null),
};

const recs: Value[] = [];
const jsonText = JSON.stringify(Array.from({ length: 10000 }, (_v, i) => ({ active: i % 2 === 0, email: `user${i}@example.com`, id: i, name: `user${i}`, parent: null, score: i * 1.5 + 0.5, tags: ['alpha', 'beta', 'gamma'] })));
const decoded = call(t, json.members.decode!, [jsonText], null);
recs.push(decoded);
cases['json: decode 1.3 MB'] = () => call(t, json.members.decode!, [jsonText], null);
cases['json: encode 1.3 MB'] = () => call(t, json.members.encode!, [decoded], null);

const PY = String.raw`
import json, time
text = ${JSON.stringify(jsonText)}
data = json.loads(text)
def dict_ops():
    d = {}
    for i in range(200000): d["key" + str(i)] = i
    s = 0
    for i in range(200000): s += d["key" + str(i)]
def list_ops():
    l = []
    for i in range(1000000): l.append(i)
def str_ops():
    l = []
    for i in range(100000): l.append("item-%d-%s" % (i, "x"))
    ",".join(l)
cases = [dict_ops, list_ops, str_ops,
         lambda: sorted([(i * 7919) % 200003 for i in range(200000)]),
         lambda: json.loads(text),
         lambda: json.dumps(data, separators=(",", ":"), sort_keys=True)]
out = []
for f in cases:
    f()
    best = 1e9
    for _ in range(10):
        a = time.perf_counter(); f(); best = min(best, time.perf_counter() - a)
    out.append(best * 1000)
print(json.dumps(out))
`;

function best(f: () => unknown): number {
  f();
  let b = Infinity;
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    f();
    b = Math.min(b, performance.now() - a);
  }
  return b;
}

const py = JSON.parse(execFileSync('python3', ['-'], { input: PY, encoding: 'utf8', maxBuffer: 1 << 26 })) as number[];
console.log('| runtime operation (no compiler) | ours ms | cpython ms | ratio |\n|---|---:|---:|---:|');
Object.entries(cases).forEach(([name, f], i) => {
  const ours = best(f);
  console.log(`| ${name} | ${ours.toFixed(1)} | ${py[i]!.toFixed(1)} | ${(py[i]! / ours).toFixed(2)}x |`);
});
