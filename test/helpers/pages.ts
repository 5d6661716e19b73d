/**
 * A real server with a named cenv ("blog…"), its owner, and helpers for page tests: SQL as
 * the owner, templates, fetching pages as an anonymous visitor, the page cache's entries,
 * and waiting for background re-renders: by polling what a client would see until the
 * expected change shows, then (`settled`) letting whatever else the same commit started finish
 * before asserting that nothing else changed.
 */
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn, type StartOptions } from './server.ts';

export interface Page { status: number; headers: Headers; text: string }

export interface PageEntry {
  path: string; template_id: number; status: number; rendered_at: string | null; reads: string[]; etag: string | null; error: string | null;
}

let counter = 0;

export class PageWorld {
  server!: TestServer;
  cenv!: NewCenv;
  owner!: LoggedIn;
  /** The cenv's name: pages are fetched at /{name}/pages/… */
  name = '';

  static async start(options: StartOptions = {}): Promise<PageWorld> {
    const world = new PageWorld();
    world.server = await startServer(options);
    world.name = `blog-${process.pid}-${++counter}`;
    world.cenv = await createCenv(world.server.url, { name: world.name });
    world.owner = await login(world.server.url, world.cenv.id, world.cenv.username, world.cenv.password);
    return world;
  }

  /** A JSON request to /{cenv}{path} as `who` (the owner unless null = anonymous). */
  call(method: string, path: string, body?: unknown, who: LoggedIn | null = this.owner) {
    return request(`${this.server.url}/${this.name}${path}`, { method, body, headers: who ? bearer(who.token) : {} });
  }

  /** SQL as the owner; fails the test unless it succeeds. */
  async sql(sql: string, params?: unknown): Promise<any> {
    const reply = await this.call('POST', '/sql', params === undefined ? { sql } : { sql, params });
    assert.equal(reply.status, 200, `${sql}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Creates a template; returns its id. */
  async template(body: Record<string, unknown>): Promise<number> {
    const reply = await this.call('POST', '/admin/templates', body);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body.id;
  }

  async grant(table: string, role = 'anonymous', operations = ['select']): Promise<number> {
    const reply = await this.call('POST', '/admin/permissions', { table, role, operations });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body.id;
  }

  /** GET (or HEAD) a page as an anonymous visitor. */
  async page(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Page> {
    const response = await fetch(`${this.server.url}/${this.name}/pages/${path}`, { method: init.method ?? 'GET', headers: init.headers, redirect: 'manual' });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** The page cache, by path. */
  async entries(): Promise<Map<string, PageEntry>> {
    const reply = await this.call('GET', '/admin/pages');
    assert.equal(reply.status, 200);
    return new Map((reply.body.pages as PageEntry[]).map((e) => [e.path, e]));
  }

  /** Polls `check` until it returns true (or fails the test after `ms`). */
  async eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  /** Waits until `path` shows text matching `pattern`. */
  async pageShows(path: string, pattern: RegExp): Promise<Page> {
    let last: Page | null = null;
    await this.eventually(`${path} to match ${pattern}`, async () => pattern.test((last = await this.page(path)).text));
    return last!;
  }

  /** Waits until the bus has delivered and no re-render is queued or running. */
  async settled(): Promise<void> {
    // The bus runs listeners after a setImmediate; the Refresher starts after a short delay.
    await new Promise((resolve) => setTimeout(resolve, 30));
    await this.server.deps.pages.refresher.idle();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
