/** Turns body bytes into a plain JSON object, or a 400 saying why not. */
import { ClientError } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) throw new ClientError(400, 'The body is empty.', ['expected a JSON object']);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ClientError(400, 'The body is not valid UTF-8.', ['JSON must be sent as UTF-8']);
  }
  let value: unknown;
  try {
    // JSON.parse makes `__proto__` an ordinary own key, never a prototype: nothing is polluted.
    value = JSON.parse(text);
  } catch (error) {
    throw new ClientError(400, 'The body is not valid JSON.', [error instanceof Error ? error.message : 'JSON syntax error']);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new ClientError(400, 'The body must be a JSON object.', [`got ${kind}`]);
  }
  return value as Record<string, unknown>;
}
