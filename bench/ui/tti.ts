/**
 * Time to first interaction of a page in Chromium on localhost: from the start of the
 * navigation to the moment the page says it is usable. For the console that is the
 * `wce:console-ready` mark (editor created and focused, first frame painted, results area
 * shown); for a page without an editor, its first form field or heading being in the DOM.
 * Cold: a fresh browser context (nothing cached); warm: a reload (assets from the cache,
 * as a returning user has them: they are immutable).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../test/browser/browser.ts';

export interface Timing { cold: number[]; warm: number[] }

async function measure(page: Page, ready: string): Promise<number> {
  if (ready === 'mark') {
    await page.waitForFunction(() => performance.getEntriesByName('wce:console-ready').length > 0, undefined, { timeout: 15_000 });
    // A string: this runs in the page (DOM types are not in the server's tsconfig).
    const focused = await page.evaluate("document.activeElement !== null && document.activeElement.closest('.monaco-editor') !== null");
    if (!focused) throw new Error('the console is "ready" but its editor is not focused');
    return page.evaluate(() => performance.getEntriesByName('wce:console-ready')[0].startTime);
  }
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  return page.evaluate(() => performance.now());
}

/**
 * Loads `url` `runs` times cold and warm, signed in with `cookies`.
 * @example await timePage(browser, base, '/blog/console', cookies, 'mark', 7)
 */
export async function timePage(browser: Browser, base: string, url: string, cookies: Parameters<import('playwright-core').BrowserContext['addCookies']>[0], ready: string, runs: number): Promise<Timing> {
  const timing: Timing = { cold: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(url);
    timing.cold.push(await measure(page, ready));
    await page.reload();
    timing.warm.push(await measure(page, ready));
    await context.close();
  }
  return timing;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--disable-background-networking'] });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
