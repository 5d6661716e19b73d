/**
 * Starlark for Monaco: a Monarch grammar of the spec's dialect (Python's keywords that
 * Starlark reserves but does not have — `class`, `import`, `try`, … — are marked invalid, as
 * saving would refuse them), and completion and hover for what WCE's scripts see: the
 * `db`, `req`, `json`, `math`, `time`, `hash`, `base64`, `url` and `events` members,
 * `response(...)`, `redirect(...)`, `uuid4()`, Starlark's builtins, and saved module names
 * inside `load("…")` (docs/endpoints.md is the reference the texts follow).
 *
 * Imported by the script editor only, so other pages never load it.
 */
import { monaco } from './monaco.ts';

export const STARLARK = 'starlark';

interface Doc { signature: string; doc: string; snippet?: string }

const KEYWORDS = ['and', 'break', 'continue', 'def', 'elif', 'else', 'for', 'if', 'in', 'lambda', 'load', 'not', 'or', 'pass', 'return', 'while'];
/** Python keywords Starlark reserves: using one is a syntax error. */
const RESERVED = ['as', 'assert', 'async', 'await', 'class', 'del', 'except', 'finally', 'from', 'global', 'import', 'is', 'nonlocal', 'raise', 'try', 'with', 'yield'];
const CONSTANTS = ['None', 'True', 'False'];

const BUILTINS: Record<string, Doc> = {
  abs: { signature: 'abs(x)', doc: 'The absolute value of a number.' },
  all: { signature: 'all(iterable)', doc: 'True when every element is true.' },
  any: { signature: 'any(iterable)', doc: 'True when some element is true.' },
  bool: { signature: 'bool(x)', doc: 'The truth value of x.' },
  bytes: { signature: 'bytes(x)', doc: 'Bytes from a string (UTF-8) or a list of ints.' },
  chr: { signature: 'chr(i)', doc: 'The one-character string of a Unicode code point.' },
  dict: { signature: 'dict(pairs=[], **kwargs)', doc: 'A new dictionary.' },
  dir: { signature: 'dir(x)', doc: 'The names of the attributes of x.' },
  enumerate: { signature: 'enumerate(x, start=0)', doc: 'A list of (index, element) pairs.' },
  fail: { signature: 'fail(*args)', doc: 'Stops the run with an error (500 WCE_ERR_SCRIPT); the transaction is rolled back.' },
  float: { signature: 'float(x)', doc: 'A floating-point number.' },
  getattr: { signature: 'getattr(x, name, default)', doc: 'The attribute `name` of x.' },
  hasattr: { signature: 'hasattr(x, name)', doc: 'True when x has the attribute `name`.' },
  int: { signature: 'int(x, base=10)', doc: 'An integer (any size).' },
  len: { signature: 'len(x)', doc: 'The number of elements of a string, list, tuple, dict or set.' },
  list: { signature: 'list(iterable=[])', doc: 'A new list.' },
  max: { signature: 'max(*args, key=None)', doc: 'The largest element.' },
  min: { signature: 'min(*args, key=None)', doc: 'The smallest element.' },
  ord: { signature: 'ord(s)', doc: 'The code point of a one-character string.' },
  print: { signature: 'print(*args, sep=" ")', doc: "Writes a line to the endpoint's log (the Runs tab; a test run shows it too)." },
  range: { signature: 'range(start, stop, step=1)', doc: 'A sequence of integers.' },
  repr: { signature: 'repr(x)', doc: 'x as Starlark source text.' },
  reversed: { signature: 'reversed(x)', doc: 'The elements of x in reverse order, as a list.' },
  set: { signature: 'set(iterable=[])', doc: 'A new set.' },
  sorted: { signature: 'sorted(x, key=None, reverse=False)', doc: 'The elements of x, sorted, as a new list.' },
  str: { signature: 'str(x)', doc: 'x as a string.' },
  tuple: { signature: 'tuple(iterable=[])', doc: 'A new tuple.' },
  type: { signature: 'type(x)', doc: 'The name of the type of x.' },
  zip: { signature: 'zip(*iterables)', doc: 'A list of tuples, one element from each.' },
};

const GLOBALS: Record<string, Doc> = {
  db: { signature: 'db', doc: "The cenv's database, as the caller (or the owner for `run_as=\"owner\"`), under grants and row policies. One run is one transaction." },
  req: { signature: 'req', doc: 'The request `handle(req)` receives.' },
  response: {
    signature: 'response(status=200, headers={}, body=None, json=None)',
    doc: 'A response with that status (200–599), headers and `body` (a string) or `json` (any JSON value), not both.',
    snippet: 'response(status=${1:200}, json=${2:{}})',
  },
  redirect: { signature: 'redirect(url, status=302)', doc: 'A redirect (301, 302, 303, 307 or 308) to `url`.', snippet: 'redirect(${1:"/"})' },
  events: { signature: 'events', doc: 'Live messages: `events.publish(channel, value)`.' },
  json: { signature: 'json', doc: '`json.encode`, `json.decode`, `json.indent`.' },
  math: { signature: 'math', doc: 'Math functions and constants (`math.sqrt`, `math.floor`, `math.pi`, …).' },
  time: { signature: 'time', doc: '`time.now()` (the only clock), parsing and durations.' },
  uuid4: { signature: 'uuid4()', doc: 'A random version-4 UUID string.', snippet: 'uuid4()' },
  hash: { signature: 'hash', doc: '`hash.sha256(data)`, `hash.hmac_sha256(key, message)`: lower-case hex.' },
  base64: { signature: 'base64', doc: '`base64.encode`, `base64.decode`, `base64.decode_bytes`.' },
  url: { signature: 'url', doc: '`url.quote`, `url.unquote`, `url.parse_query`, `url.encode_query`.' },
};

const MEMBERS: Record<string, Record<string, Doc>> = {
  db: {
    query: { signature: 'db.query(sql, *args) → list of dicts', doc: 'Rows as dicts. Arguments bind `?` in order, or one dict binds `:name`. Fails past the cenv\'s max_rows: add a LIMIT.', snippet: 'query("${1:SELECT * FROM t WHERE id = ?}", ${2:id})' },
    query_one: { signature: 'db.query_one(sql, *args) → dict or None', doc: 'The first row, or None.', snippet: 'query_one("${1:SELECT * FROM t WHERE id = ?}", ${2:id})' },
    execute: { signature: 'db.execute(sql, *args) → .changes, .last_insert_rowid', doc: 'Runs an INSERT, UPDATE or DELETE; committed when `handle` returns.', snippet: 'execute("${1:INSERT INTO t (a) VALUES (?)}", ${2:a})' },
  },
  req: {
    method: { signature: 'req.method', doc: '"GET", "POST", … ("HEAD" for a HEAD request).' },
    path: { signature: 'req.path', doc: 'The path below /{cenv}/api, as sent: "/posts/42".' },
    params: { signature: 'req.params', doc: 'The path pattern\'s `:name` and `*name` values: {"id": "42"}.' },
    query: { signature: 'req.query', doc: 'The query string as a dict (first value of a repeated key).' },
    headers: { signature: 'req.headers', doc: 'Request headers, lower-case names (never cookie or authorization).' },
    body: { signature: 'req.body', doc: 'The body as text ("" when there is none).' },
    json: { signature: 'req.json', doc: 'The body parsed as JSON, or None.' },
    user: { signature: 'req.user', doc: 'None for anonymous callers, else `.id`, `.username`, `.role`.' },
  },
  'req.user': {
    id: { signature: 'req.user.id', doc: "The caller's user id." },
    username: { signature: 'req.user.username', doc: "The caller's username." },
    role: { signature: 'req.user.role', doc: '"owner", "admin" or "user".' },
  },
  json: {
    encode: { signature: 'json.encode(x) → string', doc: 'JSON text of x (keys sorted).' },
    decode: { signature: 'json.decode(s, default=…)', doc: 'The value of JSON text s; `default` instead of failing on bad input.' },
    indent: { signature: 'json.indent(s, prefix="", indent="\\t")', doc: 'JSON text s, indented.' },
  },
  events: {
    publish: { signature: 'events.publish(channel, value)', doc: 'Sends value to subscribers of channel after the run commits.', snippet: 'publish("${1:channel}", ${2:value})' },
  },
  hash: {
    sha256: { signature: 'hash.sha256(data) → hex', doc: 'SHA-256 of a string (UTF-8) or bytes.' },
    hmac_sha256: { signature: 'hash.hmac_sha256(key, message) → hex', doc: 'HMAC-SHA-256.' },
  },
  base64: {
    encode: { signature: 'base64.encode(data, urlsafe=False) → string', doc: 'Base64 of a string (UTF-8) or bytes.' },
    decode: { signature: 'base64.decode(s, urlsafe=False) → string', doc: 'Decoded text (UTF-8).' },
    decode_bytes: { signature: 'base64.decode_bytes(s, urlsafe=False) → bytes', doc: 'Decoded bytes.' },
  },
  url: {
    quote: { signature: 'url.quote(s, safe="/")', doc: 'Percent-encodes s.' },
    unquote: { signature: 'url.unquote(s)', doc: 'Decodes percent-escapes.' },
    parse_query: { signature: 'url.parse_query(s) → dict', doc: 'A query string as a dict (first value; `+` is a space).' },
    encode_query: { signature: 'url.encode_query(dict) → string', doc: 'A dict as a query string.' },
  },
  time: {
    now: { signature: 'time.now()', doc: 'The current time (the only clock).' },
    parse_time: { signature: 'time.parse_time(x, format=RFC3339, location="UTC")', doc: 'A time from text.' },
    parse_duration: { signature: 'time.parse_duration(d)', doc: 'A duration from text such as "1h30m".' },
    time: { signature: 'time.time(year=…, month=…, day=…, hour=…, minute=…, second=…, nanosecond=…, location="UTC")', doc: 'A time from its parts.' },
    from_timestamp: { signature: 'time.from_timestamp(sec, nsec=0)', doc: 'A time from Unix seconds.' },
    is_valid_timezone: { signature: 'time.is_valid_timezone(name)', doc: 'True for a known time zone name.' },
  },
  math: Object.fromEntries([
    ...['ceil', 'floor', 'round', 'fabs', 'sqrt', 'exp', 'log', 'pow', 'mod', 'remainder', 'copysign', 'hypot', 'gamma',
      'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'degrees', 'radians']
      .map((name) => [name, { signature: `math.${name}(…)`, doc: `starlark-go's math.${name}.` }]),
    ['pi', { signature: 'math.pi', doc: 'π' }], ['e', { signature: 'math.e', doc: 'Euler\'s number' }],
  ]),
};

function registerLanguage(): void {
  monaco.languages.register({ id: STARLARK, extensions: ['.star'], aliases: ['Starlark'] });
  monaco.languages.setLanguageConfiguration(STARLARK, {
    comments: { lineComment: '#' },
    brackets: [['{', '}'], ['[', ']'], ['(', ')']],
    autoClosingPairs: [
      { open: '{', close: '}' }, { open: '[', close: ']' }, { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string'] }, { open: "'", close: "'", notIn: ['string', 'comment'] },
    ],
    surroundingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '{', close: '}' }, { open: '"', close: '"' }, { open: "'", close: "'" }],
    // A line ending in ":" opens a block; return/pass/break/continue close one.
    onEnterRules: [
      { beforeText: /:\s*(#.*)?$/, action: { indentAction: monaco.languages.IndentAction.Indent } },
      { beforeText: /^\s+(return\b.*|pass|break|continue)\s*$/, action: { indentAction: monaco.languages.IndentAction.Outdent } },
    ],
    folding: { offSide: true },
  });
  monaco.languages.setMonarchTokensProvider(STARLARK, {
    defaultToken: '',
    keywords: KEYWORDS,
    reserved: RESERVED,
    constants: CONSTANTS,
    builtins: Object.keys(BUILTINS),
    globals: Object.keys(GLOBALS),
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/\bdef(?=\s)/, { token: 'keyword', next: '@funcname' }],
        [/[A-Za-z_]\w*/, {
          cases: {
            '@keywords': 'keyword', '@reserved': 'invalid', '@constants': 'constant',
            '@builtins': 'type', '@globals': 'variable.predefined', '@default': 'identifier',
          },
        }],
        [/0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+/, 'number.hex'],
        [/(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/, 'number'],
        [/[rRbB]{0,2}"""/, 'string', '@tripleDouble'],
        [/[rRbB]{0,2}'''/, 'string', '@tripleSingle'],
        [/[rRbB]{0,2}"/, 'string', '@double'],
        [/[rRbB]{0,2}'/, 'string', '@single'],
        [/[{}()[\]]/, '@brackets'],
        [/[,:;.]/, 'delimiter'],
        [/[-+*/%=<>!&|^~]+/, 'operator'],
        [/\s+/, 'white'],
      ],
      funcname: [[/\s+/, 'white'], [/[A-Za-z_]\w*/, { token: 'type', next: '@pop' }], ['', '', '@pop']],
      double: [[/[^\\"]+/, 'string'], [/\\./, 'string.escape'], [/"/, 'string', '@pop']],
      single: [[/[^\\']+/, 'string'], [/\\./, 'string.escape'], [/'/, 'string', '@pop']],
      tripleDouble: [[/[^\\"]+/, 'string'], [/\\./, 'string.escape'], [/"""/, 'string', '@pop'], [/"/, 'string']],
      tripleSingle: [[/[^\\']+/, 'string'], [/\\./, 'string.escape'], [/'''/, 'string', '@pop'], [/'/, 'string']],
    },
  } as monaco.languages.IMonarchLanguage);
}

/** The dotted name right before `.` at the end of `text` ("req.user." → "req.user"). */
function qualifierOf(text: string): string | null {
  const match = /([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\.\w*$/.exec(text);
  return match ? match[1] : null;
}

function docFor(qualifier: string | null, name: string): Doc | undefined {
  if (qualifier) return MEMBERS[qualifier]?.[name];
  return GLOBALS[name] ?? BUILTINS[name];
}

let registered = false;

/**
 * Registers the language once and completion/hover that read `modules()` (saved module
 * names, for `load("…")`) on every request. Returns the disposable of the providers.
 */
export function registerStarlark(modules: () => string[]): monaco.IDisposable {
  if (!registered) { registerLanguage(); registered = true; }
  const Kind = monaco.languages.CompletionItemKind;
  const Snippet = monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet;
  const item = (label: string, d: Doc, kind: monaco.languages.CompletionItemKind, range: monaco.IRange, sort: string): monaco.languages.CompletionItem => ({
    label, kind, range, detail: d.signature, documentation: { value: d.doc }, sortText: `${sort}${label}`,
    insertText: d.snippet ?? label, ...(d.snippet ? { insertTextRules: Snippet } : {}),
  });
  const completion = monaco.languages.registerCompletionItemProvider(STARLARK, {
    triggerCharacters: ['.', '"'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      // load("lib/… : the saved modules.
      const load = /\bload\(\s*["']([^"']*)$/.exec(before);
      if (load) {
        const start = position.column - load[1].length;
        const r = new monaco.Range(position.lineNumber, start, position.lineNumber, position.column);
        return { suggestions: modules().map((name) => ({ label: name, kind: Kind.Module, insertText: name, range: r, detail: 'saved module' })) };
      }
      const qualifier = qualifierOf(before);
      if (qualifier) {
        const members = MEMBERS[qualifier] ?? {};
        return { suggestions: Object.entries(members).map(([name, d]) => item(name, d, /\(/.test(d.signature) ? Kind.Method : Kind.Property, range, '0')) };
      }
      const suggestions: monaco.languages.CompletionItem[] = [
        { label: 'def handle(req)', kind: Kind.Snippet, range, insertTextRules: Snippet, sortText: '0',
          insertText: 'def handle(req):\n\t${0:return {"ok": True\\}}', detail: 'the function every endpoint defines', documentation: 'Called for each request; returns a string, a dict or list (JSON), None (204) or response(…).' },
        { label: 'load', kind: Kind.Keyword, range, insertTextRules: Snippet, sortText: '0load', insertText: 'load("${1:lib/util.star}", "${2:name}")', detail: 'load("lib/x.star", "name")', documentation: 'Binds names from a saved module.' },
      ];
      for (const [name, d] of Object.entries(GLOBALS)) suggestions.push(item(name, d, d.snippet ? Kind.Function : Kind.Module, range, '1'));
      for (const [name, d] of Object.entries(BUILTINS)) suggestions.push(item(name, d, Kind.Function, range, '2'));
      for (const k of [...KEYWORDS, ...CONSTANTS]) if (k !== 'load') suggestions.push({ label: k, kind: Kind.Keyword, insertText: k, range, sortText: `3${k}` });
      return { suggestions };
    },
  });
  const hover = monaco.languages.registerHoverProvider(STARLARK, {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const line = model.getLineContent(position.lineNumber);
      const qualifier = qualifierOf(line.slice(0, word.startColumn - 1) + word.word);
      const d = docFor(qualifier, word.word);
      if (!d) return null;
      return {
        range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
        contents: [{ value: `\`${d.signature}\`` }, { value: d.doc }],
      };
    },
  });
  return { dispose: () => { completion.dispose(); hover.dispose(); } };
}

/** What a new endpoint starts with. */
export function starterSource(method: string, pattern: string): string {
  const params = [...pattern.matchAll(/[:*]([A-Za-z_]\w*)/g)].map((m) => m[1]);
  const lines = ['def handle(req):'];
  if (params.length > 0) lines.push(`    ${params[0]} = req.params["${params[0]}"]`);
  if (method === 'GET' || method === 'ANY') {
    lines.push(`    return {"hello": ${params.length > 0 ? params[0] : 'req.user.username if req.user else "visitor"'}}`);
  } else {
    lines.push('    data = req.json');
    lines.push('    if data == None:');
    lines.push('        return response(status=400, json={"error": "send a JSON body"})');
    lines.push('    return {"received": data}');
  }
  return `${lines.join('\n')}\n`;
}
