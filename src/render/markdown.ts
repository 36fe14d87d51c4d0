import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './escape-html';
import { sanitizeHtml } from './sanitize';

/**
 * Markdown for chat messages. Raw HTML in a message is shown as the text it is, never parsed:
 * model output is untrusted, and a user who pasted HTML wants to see it. Images are shown as
 * links, so no message makes the browser fetch anything (DESIGN §9: nothing leaves the device
 * unasked).
 */
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      const escaped = escapeHtml(text);
      return block ? `<p>${escaped.replace(/\n/g, '<br>')}</p>` : escaped;
    },
    image({ href, text }: Tokens.Image): string {
      const label = escapeHtml(text || href);
      return `<a href="${escapeHtml(href)}">${label}</a>`;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '[x] ' : '[ ] ';
    },
  },
});

/** Markdown → sanitized HTML, safe to assign to innerHTML. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false });
  return sanitizeHtml(html);
}

/** The words a reader sees, for a screen-reader announcement. */
export function markdownToPlainText(text: string): string {
  // DOMParser documents are inert: nothing in them runs or loads.
  const doc = new DOMParser().parseFromString(renderMarkdown(text), 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
