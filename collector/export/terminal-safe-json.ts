/**
 * JSON that is safe to print. JSON.stringify escapes C0 controls but leaves DEL, the C1 controls
 * (U+0080–U+009F, which some terminals obey as escape sequences), the line and paragraph
 * separators U+2028/U+2029 (line breaks to many editors and older JavaScript) and the bidi
 * overrides (which reorder what a reader sees) as raw characters. Donated text is
 * client-chosen, so those are written as `\uXXXX` escapes: the same JSON value, every byte
 * printable.
 */
const UNSAFE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `json` with every unsafe character escaped; only valid inside JSON text, where those can only occur in strings. */
export function escapeForTerminals(json: string): string {
  return json.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
