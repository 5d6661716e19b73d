/**
 * Dialect switches the resolver enforces. Field names match the runtime's
 * DialectOptions so one object can configure both.
 */
export interface SyntaxOptions {
  allowSet?: boolean;
  allowWhile?: boolean;
  allowRecursion?: boolean;
  allowGlobalReassign?: boolean;
  allowToplevelControl?: boolean;
  /** load() binds module globals rather than file-locals (starlark-go's LoadBindsGlobally). */
  loadBindsGlobally?: boolean;
}
