/**
 * Admin ALTER TABLE on a policy-protected table. SQLite checks every view and trigger naming
 * the table when it alters it, ours included, so the guard drops the table's policy objects
 * before the ALTER runs and builds them again afterwards (guard.ts). Some changes are refused.
 */
import { tableRef, identifierName, type AnyNode } from './parse.ts';
import { foldCase } from './tokens.ts';
import type { AccessState } from './state.ts';

/**
 * The protected table an ALTER TABLE changes, or null; and why it may not, if so: policies are
 * bound to the table's name and read some of its columns by name, so renaming the table, or
 * renaming or dropping such a column, would leave the policies pointing at nothing.
 * @example alteredTable(parsed('ALTER TABLE posts DROP COLUMN author'), state) // { table: 'posts', refusal: 'column author is read …' }
 */
export function alteredTable(statement: AnyNode, state: AccessState): { table: string; refusal: string | null } | null {
  if (statement.type !== 'alter_table_stmt') return null;
  const name = tableRef(statement.table)?.table;
  const table = name === undefined ? null : foldCase(name);
  if (table === null || !state.protectedTables.has(table)) return null;
  const used = state.policyColumns.get(table) ?? new Set<string>();
  for (const action of ((statement.actions as AnyNode).items ?? []) as AnyNode[]) {
    if (action.type === 'alter_action_rename') return { table, refusal: `table ${table} has row policies, which belong to its name: delete them before renaming it` };
    const column = identifierName(action.type === 'alter_action_drop_column' ? action.column : action.type === 'alter_action_rename_column' ? action.oldName : null);
    if (column !== null && used.has(foldCase(column))) return { table, refusal: `column ${column} is read by the row policies of ${table}: change them first` };
  }
  return { table, refusal: null };
}
