/**
 * The document's descriptions are short Markdown: `code` and **bold** inline, paragraphs
 * between blank lines. They are turned into elements, never into HTML.
 */
import type { ComponentChildren } from 'preact';

/** `code` and **bold** of one line of text. */
export function Inline({ text }: { text: string }) {
  const parts: ComponentChildren[] = text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((part, i) =>
    part.startsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part.startsWith('**') ? <strong key={i}>{part.slice(2, -2)}</strong> : part);
  return <>{parts}</>;
}

/** Paragraphs of a longer description. */
export function Prose({ text }: { text: string }) {
  return <>{text.split(/\n\s*\n/).map((p, i) => <p key={i}><Inline text={p.replace(/\s*\n\s*/g, ' ')} /></p>)}</>;
}
