/**
 * Markdown to HTML that is safe to put in a page whatever the text held: marked renders,
 * then sanitize-html keeps only an allowlist of tags, attributes and URL schemes. Markdown
 * lets raw HTML through by design, so without the second step a row holding
 * `<script>` or `<img onerror=…>` would run in the page; with it, such markup is dropped
 * and a `javascript:` link loses its href. Runs in the sandbox child only.
 *
 * @example markdownToHtml('**hi** <script>x</script>') // '<p><strong>hi</strong> </p>\n'
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// One instance with its own options: marked's global defaults are shared module state.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'ins', 'details', 'summary', 'input'],
  allowedAttributes: {
    a: ['href', 'name', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    // GFM task lists: a disabled checkbox and nothing else.
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[A-Za-z0-9_+-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Dropped tags lose their content too for these; others keep their text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'object', 'embed'],
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
  },
};

/** Sanitizes HTML to the allowlist above (what a markdown page may contain). */
export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Renders markdown and sanitizes the result. */
export function markdownToHtml(text: string): string {
  return sanitize(marked.parse(String(text)) as string);
}
