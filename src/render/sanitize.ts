import DOMPurify, { type Config } from 'dompurify';

/**
 * The only elements and attributes the markdown renderer produces. Anything else — script,
 * style, iframe, svg, math, img, form controls, event handlers — is removed, even if a bug
 * in the markdown step let it through.
 */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align'];
/** Links may only leave for the web or a mail client: no javascript:, data:, blob: or relative URLs. */
const SAFE_URL = /^(?:https?:|mailto:)/i;
/** Code blocks carry `language-x`; no other class, so model output cannot borrow the app's styles. */
const SAFE_CLASS = /^language-[\w+#.-]{1,40}$/;

const config: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: SAFE_URL,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName === 'class' && !SAFE_CLASS.test(data.attrValue)) data.keepAttr = false;
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName !== 'A') return;
    // A link opens in a new tab and tells the target nothing about this page.
    if (node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/**
 * Cleans renderer output before it reaches the DOM. Throws where no DOM is available, so a
 * caller can never mistake unsanitized HTML for sanitized HTML.
 */
export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) throw new Error('HTML sanitizing needs a DOM (window) and none is available.');
  installHooks();
  // target/rel are set by our hook after the allowlist ran, so they survive.
  return DOMPurify.sanitize(html, config) as string;
}
