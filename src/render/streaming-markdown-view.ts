import { addCopyButtons } from './code-copy';
import { settledMarkdownEnd } from './markdown-blocks';
import { renderMarkdown } from './markdown';

/**
 * Shows markdown in a container, cheaply while it streams in: the settled blocks (up to the
 * last blank line) are rendered once and kept in the DOM, and only the block still being written
 * is rendered again. Re-rendering the whole reply on every frame made each frame's work (parse,
 * sanitize, layout) grow with the reply.
 *
 * Every piece of HTML comes from `renderMarkdown`, so it is sanitized before it reaches the DOM.
 */
export class StreamingMarkdownView {
  /** The text rendered as settled blocks (a prefix of the text shown). */
  private settledText = '';
  /** Sanitized HTML of each settled chunk, in order. */
  private settledParts: string[] = [];
  private tailHtml = '';
  private tailNodes: ChildNode[] = [];

  constructor(private readonly container: HTMLElement) {}

  /** Shows `text` while it streams: only the part after the settled blocks is rendered again. */
  update(text: string): void {
    if (!text.startsWith(this.settledText)) this.clear();
    const end = settledMarkdownEnd(text, this.settledText.length);
    if (end > this.settledText.length) {
      const html = renderMarkdown(text.slice(this.settledText.length, end));
      this.removeTail();
      this.append(html);
      this.settledParts.push(html);
      this.settledText = text.slice(0, end);
    }
    const tailHtml = renderMarkdown(text.slice(this.settledText.length));
    if (tailHtml === this.tailHtml && this.tailNodes.length > 0) return;
    this.removeTail();
    this.tailNodes = this.append(tailHtml);
    this.tailHtml = tailHtml;
  }

  /**
   * Shows `text` as a whole (a finished message), so what the user reads matches the stored
   * text exactly. The DOM is kept when the streamed blocks already render to the same HTML.
   */
  finish(text: string): void {
    const html = renderMarkdown(text);
    const shown = this.settledParts.join('') + this.tailHtml;
    const hasShown = this.settledParts.length > 0 || this.tailNodes.length > 0;
    if (hasShown && html === shown) return;
    this.clear();
    this.tailNodes = this.append(html);
    this.tailHtml = html;
  }

  private clear(): void {
    this.container.replaceChildren();
    this.settledText = '';
    this.settledParts = [];
    this.tailHtml = '';
    this.tailNodes = [];
  }

  private removeTail(): void {
    for (const node of this.tailNodes) node.remove();
    this.tailNodes = [];
    this.tailHtml = '';
  }

  /** Appends sanitized HTML (with its code blocks' copy buttons) and returns the nodes added. */
  private append(html: string): ChildNode[] {
    const holder = document.createElement('div');
    holder.innerHTML = html;
    addCopyButtons(holder);
    const nodes = [...holder.childNodes];
    this.container.append(...nodes);
    return nodes;
  }
}
