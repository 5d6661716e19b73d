/**
 * One cenv's routing table: which enabled endpoint answers a method and path, with the values
 * of its parameters. Built in the main process from the endpoint rows and cached until an
 * endpoint changes (route-cache.ts), so a request is matched without touching the database.
 *
 * Precedence, segment by segment from the left: a literal segment beats a `:param`, which
 * beats a `*rest`. Among the patterns that match the path, the first (by that order) that
 * takes the method wins, and a method-specific endpoint beats `ANY` on the same pattern.
 * When patterns match but none takes the method the answer is 405 with their methods.
 *
 * @example
 *   const table = new RouteTable([{ id: 1, method: 'GET', path: '/posts/:id', … }]);
 *   table.match('GET', '/posts/42') // { kind: 'found', route, params: { id: '42' } }
 */
import { parsePattern, splitPath, type Pattern } from './patterns.ts';

export type EndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
export const ENDPOINT_METHODS: readonly EndpointMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'];
export type EndpointAccess = 'public' | 'user' | 'admin';
export type RunAs = 'caller' | 'owner';

/** What routing needs to know of an endpoint. */
export interface RouteInfo {
  id: number;
  method: EndpointMethod;
  path: string;
  access: EndpointAccess;
  run_as: RunAs;
  version: number;
}

export type MatchResult =
  | { kind: 'found'; route: RouteInfo; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

/** The routes ending at one place in the tree, by method, each with its own pattern (its own parameter names). */
interface Leaf { byMethod: Map<EndpointMethod, { route: RouteInfo; pattern: Pattern }> }

class Node {
  readonly literals = new Map<string, Node>();
  param: Node | null = null;
  /** Patterns ending here. */
  leaf: Leaf | null = null;
  /** A `*rest` pattern continuing from here. */
  rest: Leaf | null = null;
}

const ORDER: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function addTo(leaf: Leaf | null, pattern: Pattern, route: RouteInfo): Leaf {
  const target = leaf ?? { byMethod: new Map() };
  target.byMethod.set(route.method, { route, pattern });
  return target;
}

/** The route for `method` on a leaf: the exact method first, then ANY; HEAD is served by GET. */
function pick(leaf: Leaf, method: string): { route: RouteInfo; pattern: Pattern } | undefined {
  const exact = method === 'HEAD' ? 'GET' : method;
  return leaf.byMethod.get(exact as EndpointMethod) ?? leaf.byMethod.get('ANY');
}

function bind(pattern: Pattern, values: string[]): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  let i = 0;
  for (const segment of pattern.segments) {
    if (segment.kind === 'literal') {
      i++;
      continue;
    }
    params[segment.name] = values[i++];
  }
  return params;
}

export class RouteTable {
  private readonly root = new Node();
  readonly size: number;

  /** Routes of enabled endpoints; their paths were checked when saved. */
  constructor(routes: readonly RouteInfo[]) {
    for (const route of routes) this.add(route);
    this.size = routes.length;
  }

  private add(route: RouteInfo): void {
    const pattern = parsePattern(route.path);
    let node = this.root;
    for (const segment of pattern.segments) {
      if (segment.kind === 'rest') {
        node.rest = addTo(node.rest, pattern, route);
        return;
      }
      if (segment.kind === 'param') {
        node.param ??= new Node();
        node = node.param;
        continue;
      }
      let next = node.literals.get(segment.value);
      if (!next) node.literals.set(segment.value, (next = new Node()));
      node = next;
    }
    node.leaf = addTo(node.leaf, pattern, route);
  }

  /**
   * The endpoint for a request. `path` is what follows `/{cenv}/api`, still %-encoded.
   * Throws BadRequestError for a malformed %-escape.
   */
  match(method: string, path: string): MatchResult {
    const segments = splitPath(path);
    if (segments === null) return { kind: 'none' };
    const allow = new Set<string>();
    // Positional values of the patterns' parameters along the current branch.
    const values: string[] = [];
    const visit = (node: Node, i: number): MatchResult | null => {
      if (i === segments.length) {
        return node.leaf ? this.found(node.leaf, method, values, allow) : null;
      }
      const literal = node.literals.get(segments[i]);
      if (literal) {
        values.push(segments[i]);
        const hit = visit(literal, i + 1);
        values.pop();
        if (hit) return hit;
      }
      if (node.param) {
        values.push(segments[i]);
        const hit = visit(node.param, i + 1);
        values.pop();
        if (hit) return hit;
      }
      if (node.rest) {
        values.push(segments.slice(i).join('/'));
        const hit = this.found(node.rest, method, values, allow);
        values.pop();
        if (hit) return hit;
      }
      return null;
    };
    const hit = visit(this.root, 0);
    if (hit) return hit;
    if (allow.size === 0) return { kind: 'none' };
    return { kind: 'method', allow: ORDER.filter((m) => allow.has(m)) };
  }

  private found(leaf: Leaf, method: string, values: string[], allow: Set<string>): MatchResult | null {
    const hit = pick(leaf, method);
    if (hit) return { kind: 'found', route: hit.route, params: bind(hit.pattern, values) };
    for (const m of leaf.byMethod.keys()) {
      allow.add(m);
      if (m === 'GET') allow.add('HEAD');
    }
    return null;
  }
}
