// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { settledMarkdownEnd } from '../../src/render/markdown-blocks';
import { renderMarkdown } from '../../src/render/markdown';
import { StreamingMarkdownView } from '../../src/render/streaming-markdown-view';

describe('settledMarkdownEnd', () => {
  it('settles up to the last blank line, never the line being written', () => {
    expect(settledMarkdownEnd('one paragraph still going')).toBe(0);
    expect(settledMarkdownEnd('first\n\nsecond')).toBe('first\n\n'.length);
    expect(settledMarkdownEnd('a\n\nb\n\nc')).toBe('a\n\nb\n\n'.length);
  });

  it('never settles inside a fenced code block', () => {
    const open = 'Code:\n\n```js\nconst a = 1;\n\nconst b = 2;\n';
    expect(settledMarkdownEnd(open)).toBe('Code:\n\n'.length);
    const closed = `${open}\`\`\`\n\nafter`;
    expect(settledMarkdownEnd(closed)).toBe(closed.length - 'after'.length);
  });

  it('scans on from an earlier settled point', () => {
    const text = 'a\n\nb\n\nc';
    expect(settledMarkdownEnd(text, 3)).toBe(6);
    expect(settledMarkdownEnd(text, 6)).toBe(6);
  });
});

/** Streams `text` into a view piece by piece, as tokens would arrive. */
function stream(text: string, pieceLength: number): { host: HTMLElement; view: StreamingMarkdownView } {
  const host = document.createElement('div');
  const view = new StreamingMarkdownView(host);
  for (let end = pieceLength; end < text.length + pieceLength; end += pieceLength) view.update(text.slice(0, end));
  return { host, view };
}

const REPLY = [
  'Here is a plan:', '', '1. First step', '2. Second step', '', '```ts', 'const x = 1;', '', 'console.log(x);', '```', '',
  '| a | b |', '| - | - |', '| 1 | 2 |', '', 'A closing **bold** line with <b>raw</b> html and [a link](https://example.org).',
].join('\n');

describe('StreamingMarkdownView', () => {
  it('shows the same DOM while streaming as a full render, and keeps it when the reply ends', () => {
    const { host, view } = stream(REPLY, 3);
    const full = document.createElement('div');
    new StreamingMarkdownView(full).finish(REPLY);
    expect(host.innerHTML).toBe(full.innerHTML);

    const settledParagraph = host.querySelector('p');
    view.finish(REPLY);
    // Same HTML: the streamed nodes stay (no re-layout of the whole reply at the end).
    expect(host.querySelector('p')).toBe(settledParagraph);
    expect(host.innerHTML).toBe(full.innerHTML);
  });

  it('re-renders only the block being written', () => {
    const host = document.createElement('div');
    const view = new StreamingMarkdownView(host);
    view.update('First paragraph.\n\nSecond');
    const first = host.querySelector('p');
    view.update('First paragraph.\n\nSecond paragraph grows');
    expect(host.querySelector('p')).toBe(first);
    expect(host.querySelectorAll('p')[1]?.textContent).toBe('Second paragraph grows');
  });

  it('adds copy buttons to code blocks, once each', () => {
    const { host } = stream(REPLY, 5);
    expect(host.querySelectorAll('pre')).toHaveLength(1);
    expect(host.querySelectorAll('.copy-code')).toHaveLength(1);
  });

  it('replaces everything when the text is not a continuation (a different candidate chosen)', () => {
    const { host, view } = stream('Old text.\n\nMore old text.', 4);
    view.finish('Completely new reply.');
    expect(host.innerHTML).toBe(renderMarkdown('Completely new reply.'));
    view.update('Another stream');
    expect(host.textContent?.trim()).toBe('Another stream');
  });

  it('keeps model output as text: no raw HTML reaches the DOM', () => {
    const { host } = stream('Hello <img src=x onerror=alert(1)>\n\n<script>alert(1)</script> done', 2);
    expect(host.querySelector('img, script')).toBeNull();
    expect(host.textContent).toContain('<script>alert(1)</script>');
  });
});
