/**
 * Browser tests against the real server: one Chromium per test file (Debian's
 * /usr/bin/chromium driven by playwright-core; nothing is downloaded), one WCE server
 * (test/helpers/server.ts). A failing test leaves a screenshot of every open page in a temp
 * directory and prints its path.
 *
 * @example
 *   const b = new BrowserWorld();
 *   before(() => b.start());
 *   after(() => b.close());
 *   test('…', b.page(async (page) => { await page.goto('/'); … }));
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type StartOptions, type TestServer } from '../helpers/server.ts';
import { WEB_DIST } from '../../src/server/ui/shells.ts';

export const CHROMIUM = process.env.WCE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  // No stray request may wait on DNS: there is no network here, and tests must not use one.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

let shotDir: string | null = null;

/** Saves a full-page screenshot of `page` for a failed test; returns its path (null if the page is gone). */
export async function failureShot(page: Page, name: string): Promise<string | null> {
  shotDir ??= mkdtempSync(path.join(tmpdir(), 'wce-browser-failures-'));
  const file = path.join(shotDir, `${name.replace(/[^\w-]+/g, '_').slice(0, 80)}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
    return file;
  } catch {
    return null;
  }
}

/**
 * WCE and Chromium for one test file. Create it at the top of the file, start it in
 * `before`, close it in `after`; `page(fn)` makes a test body that runs `fn` in a fresh
 * context (own cookies and storage) and leaves screenshots if it fails.
 */
export class BrowserWorld {
  private started: { server: TestServer; browser: Browser } | null = null;
  private readonly contexts: BrowserContext[] = [];
  private readonly options: StartOptions;

  constructor(options: StartOptions = {}) {
    this.options = options;
  }

  get server(): TestServer {
    if (!this.started) throw new Error('BrowserWorld.start() has not run');
    return this.started.server;
  }

  /** Starts WCE and Chromium. Fails at once, saying what to do, when the UI is not built. */
  async start(): Promise<void> {
    if (!existsSync(path.join(WEB_DIST, 'console.html'))) throw new Error('web/dist is missing: run `npm run build:web` (npm install does this) before the browser tests');
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-liberation (see .ci/run)`);
    const server = await startServer({ ...this.options, env: { WCE_LOG_LEVEL: 'warn', ...this.options.env } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    this.started = { server, browser };
  }

  /** A fresh context (own cookies and storage), 1280×800 and light unless told otherwise. */
  async context({ width = 1280, height = 800, colorScheme = 'light' as 'light' | 'dark' } = {}): Promise<BrowserContext> {
    if (!this.started) throw new Error('BrowserWorld.start() has not run');
    const ctx = await this.started.browser.newContext({ viewport: { width, height }, colorScheme, baseURL: this.started.server.url });
    ctx.setDefaultTimeout(10_000);
    this.contexts.push(ctx);
    return ctx;
  }

  /** A test body: `fn` gets a page in a fresh context; uncaught page errors fail the test. */
  page(fn: (page: Page, context: BrowserContext) => Promise<void>): (t: { name: string }) => Promise<void> {
    return async (t) => {
      const ctx = await this.context();
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await fn(page, ctx);
        if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
      } catch (error) {
        for (const [i, open] of ctx.pages().entries()) {
          const shot = await failureShot(open, `${t.name}-${i}`);
          if (shot) console.error(`screenshot of the failed test "${t.name}": ${shot}`);
        }
        throw error;
      } finally {
        await ctx.close();
      }
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.contexts.map((c) => c.close()));
    await this.started?.browser.close();
    await this.started?.server.close();
  }
}

/**
 * Logs `username` in through the API and gives `context` the session cookies the login
 * page would have received (for tests about other pages).
 */
export async function signIn(context: BrowserContext, url: string, cenv: string, username: string, password: string): Promise<void> {
  const response = await fetch(`${url}/${cenv}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((line) => {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const [name, ...value] = pair.split('=');
    const cookiePath = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
    return { name, value: value.join('='), url: `${url}${cookiePath}` };
  });
  // Playwright's `url` form scopes a cookie to that URL's path.
  await context.addCookies(cookies.map(({ name, value, url: at }) => ({ name, value, domain: new URL(at).hostname, path: new URL(at).pathname, sameSite: 'Strict' as const })));
}

/** Sets the Monaco editor's text through its public API (faster than typing long SQL). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * Waits until the editor shows `expected` (Monaco draws changes on the next frame, so a read
 * right after a key press may still see the old text). Returns the text it saw last.
 */
export async function waitForEditorText(page: Page, expected: string | RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ').trim();
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the editor shows ${JSON.stringify(text)}, not ${String(expected)}`);
}

/**
 * Replaces the editor's text as a paste would (typing would add the language's automatic
 * indentation to indented source, a paste does not).
 */
export async function pasteEditorText(page: Page, text: string): Promise<void> {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  // A string: this runs in the page (DOM types are not in the server's tsconfig).
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}
