/**
 * A data table for the admin pages: a caption for screen readers, a header that stays in
 * view, and horizontal scrolling of its own on narrow screens (the page itself never
 * scrolls sideways on a phone).
 */
import type { ComponentChildren } from 'preact';

export interface TableProps {
  caption: string;
  head: ComponentChildren[];
  children: ComponentChildren;
  /** Show the caption on screen too. */
  showCaption?: boolean;
}

export function Table({ caption, head, children, showCaption }: TableProps) {
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="table">
        <caption class={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead><tr>{head.map((cell, i) => <th key={i} scope="col">{cell}</th>)}</tr></thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
