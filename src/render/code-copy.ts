const COPIED_LABEL_MS = 1500;

/**
 * Adds a Copy button above every code block in rendered markdown. The buttons are app UI,
 * built with DOM calls after sanitizing, so the sanitizer never has to allow buttons.
 */
export function addCopyButtons(container: HTMLElement): void {
  for (const pre of container.querySelectorAll('pre')) {
    const code = pre.querySelector('code') ?? pre;
    const language = /language-([\w+#.-]+)/.exec(code.className)?.[1];

    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const label = document.createElement('span');
    label.textContent = language ?? 'code';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', `Copy ${language ?? ''} code`.replace(/\s+/g, ' '));
    button.addEventListener('click', () => void copyText(code.textContent ?? '', button));
    bar.append(label, button);
    pre.before(bar);
  }
}

async function copyText(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // Clipboard access needs a secure context and focus; say so instead of failing silently.
    button.textContent = 'Copy failed — select the text';
  }
  setTimeout(() => (button.textContent = 'Copy'), COPIED_LABEL_MS);
}
