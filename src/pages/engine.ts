/**
 * The Liquid engine of a sandbox child: one LiquidJS instance, configured for untrusted
 * templates, and the state of the render in progress.
 *
 * Safety settings, each on purpose:
 * - `outputEscape: 'escape'`: every `{{ value }}` is HTML-escaped unless it ends in `| raw`
 *   (or a filter that produces safe HTML, like `markdown`), so row data cannot inject markup;
 * - `ownPropertyOnly`: `{{ x.constructor }}` and friends read nothing from prototypes; scopes
 *   hold only plain data built from query rows, never host objects;
 * - no file system: `fs` is backed by this cenv's `_wce_templates`, so `{% include %}`,
 *   `{% render %}` and `{% layout %}` load only templates of the cenv being rendered;
 * - `strictFilters` (an unknown filter is a parse error the editor can show), parse-length,
 *   memory and time limits (the time limit is what is left of the job's deadline).
 *
 * A child runs one job at a time, synchronously, so "the render in progress" is a module
 * variable: the loader, included templates and the not-found flag of that render. Parsed
 * templates do not depend on the cenv (includes are resolved while rendering), which lets
 * the engines serve every cenv of the child. Templates served as data (JSON, CSV, plain
 * text) are parsed without HTML escaping, which would corrupt them (content-types.ts).
 *
 * @example
 *   const parsed = parseTemplate('<h1>{{ post.title }}</h1>', true);
 *   const { html, notFound } = renderTemplate(parsed, { post }, { deadline, loader });
 */
import { Liquid, type FS, type Template } from 'liquidjs';
import { TemplateSyntaxError, withDetails } from '../errors.ts';
import { registerFilters } from './filters.ts';

/** Finds a template of the cenv being rendered by its path (for includes). */
export type TemplateLoader = (path: string) => { id: number; version: number; source: string } | null;

interface RenderState {
  loader: TemplateLoader;
  includes: Record<string, number>;
  notFound: boolean;
}

/** Longest template source the parser takes (the admin API allows less). */
export const PARSE_LIMIT = 1024 * 1024;
/** LiquidJS's memory units (roughly characters of strings and array items built). */
const MEMORY_LIMIT = 50_000_000;
const MAX_INCLUDE_NAME = 200;

let active: RenderState | null = null;

function current(): RenderState {
  // Only reachable if LiquidJS loaded a file while parsing, which dynamic partials never do.
  if (!active) throw new Error('templates are loaded only while a page renders');
  return active;
}

function find(path: string): { id: number; version: number; source: string } | null {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_INCLUDE_NAME) return null;
  return current().loader(path);
}

/** The only "file system" templates see: this cenv's templates, by exact path. */
const templateFs: FS = {
  existsSync: (path) => find(path) !== null,
  exists: async (path) => find(path) !== null,
  readFileSync: (path) => {
    const template = find(path);
    if (!template) throw new Error(`no template "${String(path).slice(0, 100)}" to include`);
    current().includes[String(template.id)] = template.version;
    return template.source;
  },
  readFile: async (path) => templateFs.readFileSync(path),
  resolve: (_dir, file) => file,
  contains: async () => true,
  containsSync: () => true,
  sep: '/',
  dirname: () => '',
};

/**
 * One engine per escaping mode: LiquidJS decides escaping when it parses an output, so a
 * template is parsed by the engine of its content type (markup escapes, data does not).
 */
function makeEngine(escape: boolean): Liquid {
  const engine = new Liquid({
    fs: templateFs,
    root: [''],
    partials: [''],
    layouts: [''],
    relativeReference: false,
    extname: '',
    cache: false,
    ...(escape ? { outputEscape: 'escape' as const } : {}),
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    jsTruthy: false,
    // Renders must not depend on the server's time zone or locale.
    timezoneOffset: 0,
    locale: 'en-US',
    parseLimit: PARSE_LIMIT,
    memoryLimit: MEMORY_LIMIT,
  });
  registerFilters(engine);
  engine.registerTag('not_found', {
    render() {
      current().notFound = true;
    },
  });
  return engine;
}

const ENGINES = { markup: makeEngine(true), data: makeEngine(false) };

/** A parsed template and the engine that parsed it (which must render it). */
export interface ParsedTemplate { engine: Liquid; templates: Template[] }

/** Line and column of a LiquidJS error, when it carries its token. */
export function liquidPosition(error: unknown): { line: number; column: number } | null {
  const token = (error as { token?: { getPosition?: () => [number, number] } } | null)?.token;
  const position = typeof token?.getPosition === 'function' ? token.getPosition() : null;
  return position ? { line: position[0], column: position[1] } : null;
}

/**
 * Parses a template for the escaping mode of its output (`escape` true for HTML/XML); a
 * mistake is a TemplateSyntaxError (400) with its line and column.
 * @example parseTemplate('{% if %}', true) // throws: invalid value expression: "", line:1, col:1
 */
export function parseTemplate(source: string, escape: boolean): ParsedTemplate {
  const engine = escape ? ENGINES.markup : ENGINES.data;
  try {
    return { engine, templates: engine.parse(source) };
  } catch (error) {
    const position = liquidPosition(error);
    const message = error instanceof RangeError ? 'the template nests too deeply' : String((error as Error).message);
    const wrapped = new TemplateSyntaxError(message);
    throw position ? withDetails(wrapped, position) : wrapped;
  }
}

export interface RenderResult { html: string; notFound: boolean; includes: Record<string, number> }

/**
 * Renders parsed templates with `scope` until `deadline` (Date.now() value). Throws LiquidJS's
 * errors (with positions) or a RangeError for runaway nesting; the caller records them.
 */
export function renderTemplate(parsed: ParsedTemplate, scope: object, options: { deadline: number; loader: TemplateLoader }): RenderResult {
  if (active) throw new Error('a page render is already in progress in this process');
  const state: RenderState = { loader: options.loader, includes: {}, notFound: false };
  active = state;
  try {
    const html = String(parsed.engine.renderSync(parsed.templates, scope, {
      renderLimit: Math.max(1, options.deadline - Date.now()),
      memoryLimit: MEMORY_LIMIT,
    }));
    return { html, notFound: state.notFound, includes: state.includes };
  } finally {
    active = null;
  }
}
