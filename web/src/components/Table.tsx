/**
 * A data table for the admin pages: a caption for screen readers, a header that stays in
 * view, numeric columns aligned right, and horizontal scrolling of its own on narrow
 * screens (the page itself never scrolls sideways on a phone). `stack` turns each row into
 * a small card on a phone instead; cells then show their column name (`data-label`).
 */
import type { ComponentChildren } from 'preact';

export type Column = string | { label: ComponentChildren; numeric?: boolean; srOnly?: string };

export interface TableProps {
  caption: string;
  head: Column[];
  children: ComponentChildren;
  /** Show the caption on screen too. */
  showCaption?: boolean;
  /** Rows become cards below 640 px (cells need `data-label`). */
  stack?: boolean;
}

export function Table({ caption, head, children, showCaption, stack }: TableProps) {
  return (
    <div class={stack ? 'table-wrap table-stack' : 'table-wrap'} role="region" aria-label={caption} tabIndex={0}>
      <table class="table">
        <caption class={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {head.map((column, i) => typeof column === 'string'
              ? <th key={i} scope="col">{column}</th>
              : <th key={i} scope="col" class={column.numeric ? 'num' : undefined}>{column.label}{column.srOnly && <span class="visually-hidden">{column.srOnly}</span>}</th>)}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
