/**
 * Completion for the SQL console: this cenv's tables and columns (from `GET /{cenv}/schema`,
 * only what the caller may read), SQLite's keywords and common functions. After `name.` only
 * that table's columns are offered (the name may be a table or an alias declared with
 * `FROM table alias`).
 */
import { monaco } from './monaco.ts';
import 'monaco-editor/languages/definitions/sql/register';

export interface SchemaTable { name: string; type: string; columns: Array<{ name: string; type: string; pk: boolean; notnull: boolean }> }

const KEYWORDS = ('SELECT FROM WHERE AND OR NOT NULL IS IN LIKE GLOB BETWEEN EXISTS CASE WHEN THEN ELSE END AS DISTINCT ' +
  'ORDER BY GROUP HAVING LIMIT OFFSET ASC DESC JOIN LEFT INNER CROSS ON USING UNION ALL INTERSECT EXCEPT WITH RECURSIVE ' +
  'INSERT INTO VALUES DEFAULT UPDATE SET DELETE RETURNING ON CONFLICT DO NOTHING REPLACE CREATE TABLE VIEW INDEX UNIQUE ' +
  'TRIGGER IF DROP ALTER ADD COLUMN RENAME TO PRIMARY KEY FOREIGN REFERENCES CHECK COLLATE NOCASE STRICT WITHOUT ROWID ' +
  'INTEGER TEXT REAL BLOB NUMERIC EXPLAIN QUERY PLAN CAST').split(' ');
const FUNCTIONS = ('count sum avg min max total group_concat abs coalesce ifnull nullif length lower upper trim ltrim rtrim ' +
  'substr replace instr printf format round random hex quote typeof unicode char date time datetime julianday strftime unixepoch ' +
  'json json_extract json_object json_array json_group_array json_group_object json_each iif').split(' ');

/** Table name an alias or name stands for in `sql` (`FROM posts p` → p ↦ posts). */
function resolveAlias(sql: string, name: string, tables: SchemaTable[]): SchemaTable | undefined {
  const lower = name.toLowerCase();
  const direct = tables.find((t) => t.name.toLowerCase() === lower);
  if (direct) return direct;
  const pattern = /\b(?:from|join|update|into)\s+["`[]?([\w$]+)["`\]]?\s+(?:as\s+)?([\w$]+)/gi;
  for (const match of sql.matchAll(pattern)) {
    if (match[2].toLowerCase() === lower) return tables.find((t) => t.name.toLowerCase() === match[1].toLowerCase());
  }
  return undefined;
}

/**
 * Registers completion from `tables()` (read on every request, so a refreshed schema
 * applies at once). Returns the disposable.
 */
export function registerSqlCompletion(tables: () => SchemaTable[]): monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.', ' '],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
      const Kind = monaco.languages.CompletionItemKind;
      const qualifier = /([\w$]+)\.$/.exec(before);
      const schema = tables();
      if (qualifier) {
        const table = resolveAlias(model.getValue(), qualifier[1], schema);
        return { suggestions: (table?.columns ?? []).map((c) => ({ label: c.name, kind: Kind.Field, detail: `${c.type || 'any'}${c.pk ? ' · primary key' : ''}`, insertText: c.name, range })) };
      }
      const suggestions: monaco.languages.CompletionItem[] = [];
      for (const t of schema) {
        suggestions.push({ label: t.name, kind: t.type === 'view' ? Kind.Interface : Kind.Class, detail: `${t.type} · ${t.columns.length} columns`, insertText: t.name, range, sortText: `0${t.name}` });
        for (const c of t.columns) suggestions.push({ label: c.name, kind: Kind.Field, detail: `${t.name}.${c.name} ${c.type}`, insertText: c.name, range, sortText: `1${c.name}` });
      }
      for (const k of KEYWORDS) suggestions.push({ label: k, kind: Kind.Keyword, insertText: k, range, sortText: `2${k}` });
      for (const f of FUNCTIONS) suggestions.push({ label: `${f}()`, kind: Kind.Function, insertText: `${f}($0)`, insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet, range, sortText: `3${f}` });
      return { suggestions };
    },
  });
}
