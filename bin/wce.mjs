#!/usr/bin/env node
// The `wce` command (src/cli/main.ts; `wce serve` is the server, what `npm start` runs), in
// plain JavaScript so that an older Node can still read it and say what is wrong, instead of
// failing on TypeScript syntax with a stack trace.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 10)) {
  process.stderr.write(
    `wce: Node.js >= 24.10 is required, but this is ${process.version}.\n` +
    'Start WCE with "npm start" (it uses the Node.js that "npm install" brought along),\n' +
    'or install Node.js 24 and run "node bin/wce.mjs serve" (or "npx wce …" in a checkout).\n');
  process.exit(1);
}
// bcrypt, file I/O and WebCrypto share libuv's thread pool (4 threads by default); a larger
// pool keeps the server's token checks moving while password hashes run. Must be set before
// first use.
process.env.UV_THREADPOOL_SIZE ??= '8';
await import('../src/cli/main.ts');
