import { DEFAULT_MODEL_HOST } from '../../workers/shared/cache-keys';

export { DEFAULT_MODEL_HOST };

export type HostCheck = { ok: true; host: string } | { ok: false; message: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a "Model host" the user typed. HTTPS is required so a model cannot be swapped on the
 * way; plain HTTP only for this machine (a local mirror). Returns the host without a trailing
 * slash, e.g. `https://huggingface.co` or `https://mirror.example/hf`.
 */
export function checkModelHost(input: string): HostCheck {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not a web address. Enter one like ${DEFAULT_MODEL_HOST}.` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return {
      ok: false,
      message: 'The model host must use https:// (plain http:// is allowed only for localhost), so a download cannot be tampered with on the way.',
    };
  }
  if (url.search || url.hash || url.username || url.password) {
    return { ok: false, message: 'Enter the host without a query, #fragment or password, like https://huggingface.co.' };
  }
  return { ok: true, host: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** A Hub repo id (`org/name`), as transformers.js accepts it. */
export function checkRepoId(input: string): { ok: true; id: string } | { ok: false; message: string } {
  const id = input.trim();
  const valid = /^[\w.-]+\/[\w.-]{1,96}$/.test(id) && !id.includes('..') && !id.includes('--') && !/^[.-]|[.-]$/.test(id.split('/')[1] ?? '');
  return valid
    ? { ok: true, id }
    : { ok: false, message: `"${id}" is not a repo id. Enter one like onnx-community/Qwen2.5-0.5B-Instruct.` };
}
