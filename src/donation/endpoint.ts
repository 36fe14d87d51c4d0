/**
 * Checks the collector address the user types. Bundles are sent only where the user said, so an
 * address that could send them anywhere else — or in clear text over a network — is refused with a
 * message that says how to fix it.
 */

export type EndpointCheck = { ok: true; endpoint: string } | { ok: false; message: string };

export const DEFAULT_ENDPOINT = 'http://localhost:8787';

/** Hosts that never leave this machine, where plain http cannot be overheard on a network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

export function checkEndpoint(input: string): EndpointCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter the collector\'s address, for example https://collector.example.org.' };

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not a web address. Write it in full, for example https://collector.example.org.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `Only https:// addresses (or http:// on this computer) can be used, not ${url.protocol}//.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Leave the user name and password out of the address; the collector does not use them.' };
  }
  // `?` or `#` with nothing after them leave search/hash empty, but still show in href.
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return { ok: false, message: 'Leave out the part after "?" or "#": enter only the collector\'s base address.' };
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return {
      ok: false,
      message: `Use https:// for ${url.hostname}: donations travel over the network and must be encrypted. Plain http:// is allowed only for localhost.`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, endpoint: `${url.origin}${path}` };
}
