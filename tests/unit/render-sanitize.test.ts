// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { markdownToPlainText, renderMarkdown } from '../../src/render/markdown';
import { sanitizeHtml } from '../../src/render/sanitize';

/** Parses rendered HTML the way the app's container would hold it. */
function rendered(markdown: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = renderMarkdown(markdown);
  return host;
}

/** Every way the rendered DOM could run script or load something. */
function dangerIn(host: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of host.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'img', 'style', 'form', 'input', 'base', 'meta', 'link'].includes(tag)) found.push(`<${tag}>`);
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) found.push(`${tag}[${attribute.name}]`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(attribute.name) && !/^(https?:|mailto:)/i.test(attribute.value)) {
        found.push(`${tag}[${attribute.name}=${attribute.value}]`);
      }
    }
  }
  return found;
}

const PAYLOADS: Array<[string, string]> = [
  ['script tag', '<script>alert(1)</script>'],
  ['script tag in a paragraph', 'Hello <script>alert(1)</script> world'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror inline', 'look: <img src=x onerror="alert(1)"> here'],
  ['markdown javascript: link', '[x](javascript:alert(1))'],
  ['javascript: link with entities', '[x](jav&#x09;ascript:alert(1))'],
  ['javascript: link in capitals and spaces', '[x]( JaVaScRiPt:alert(1))'],
  ['autolink javascript:', '<javascript:alert(1)>'],
  ['html anchor javascript:', '<a href="javascript:alert(1)">x</a>'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['iframe', '<iframe src="https://example.com"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['markdown image onerror attempt', '![x" onerror="alert(1)](https://example.com/a.png)'],
  ['link title breakout', '[x](https://example.com "a\\" onmouseover=\\"alert(1)")'],
  ['math', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['style', '<style>body{display:none}</style>'],
  ['form', '<form action="javascript:alert(1)"><button>go</button></form>'],
  ['details ontoggle', '<details open ontoggle=alert(1)>'],
  ['code fence with html', '```html\n<script>alert(1)</script>\n```'],
];

describe('markdown rendering of untrusted text', () => {
  it.each(PAYLOADS)('%s renders nothing that can run or load', (_name, payload) => {
    const host = rendered(payload);
    expect(dangerIn(host)).toEqual([]);
  });

  it('shows raw HTML as the text the model wrote', () => {
    const host = rendered('Hello <script>alert(1)</script> world');
    expect(host.textContent).toContain('<script>alert(1)</script>');
    expect(host.querySelector('script')).toBeNull();
  });

  it('keeps a javascript: link as plain text without an href', () => {
    const host = rendered('[click me](javascript:alert(1))');
    expect(host.textContent).toContain('click me');
    expect(host.querySelector('[href]')).toBeNull();
  });

  it('opens web links in a new tab without a referrer or opener', () => {
    const link = rendered('see [docs](https://example.com/docs)').querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/docs');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('shows an image as a link instead of loading it', () => {
    const host = rendered('![a cat](https://example.com/cat.png)');
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('a')?.textContent).toBe('a cat');
  });

  it('renders markdown structure: emphasis, lists, code blocks with their language', () => {
    const host = rendered('**bold** and *it*\n\n- one\n- two\n\n```ts\nconst a = 1 < 2;\n```');
    expect(host.querySelector('strong')?.textContent).toBe('bold');
    expect(host.querySelectorAll('li')).toHaveLength(2);
    const code = host.querySelector('pre code');
    expect(code?.className).toBe('language-ts');
    expect(code?.textContent).toBe('const a = 1 < 2;\n');
  });

  it('drops a class name that could borrow the app styles', () => {
    const host = rendered('```x" class="visually-hidden\ncode\n```');
    for (const element of host.querySelectorAll('[class]')) expect(element.className).toMatch(/^language-/);
  });

  it('renders an unfinished code fence (mid-stream) as code', () => {
    const host = rendered('Here:\n```js\nconsole.log(1)');
    expect(host.querySelector('pre code')?.textContent).toContain('console.log(1)');
  });

  it('gives screen readers the words, not the markup', () => {
    expect(markdownToPlainText('**Hi** <b>there</b>\n\n- a')).toBe('Hi <b>there</b> a');
  });
});

describe('the sanitizer on its own (defence in depth, should the markdown step ever pass HTML through)', () => {
  it.each(PAYLOADS)('%s as raw HTML is made harmless', (_name, payload) => {
    const host = document.createElement('div');
    host.innerHTML = sanitizeHtml(payload);
    expect(dangerIn(host)).toEqual([]);
  });
});
