/**
 * How deep a parsed JSON value nests, measured without recursion.
 *
 * A real bundle nests 8 levels (bundle → conversations → conversation → messages → message →
 * feedback → reasons → reason). The shared validator walks some values recursively (Ajv's
 * `uniqueItems` compares array items deep-equal), so a body like `"reasons": [[[[…]]], [[[…]]]]`
 * thousands of levels deep would overflow the stack there. Such a body is refused before it is
 * validated.
 */
export const MAX_JSON_DEPTH = 32;

/** True when no array or object in `value` is nested more than `max` levels deep. */
export function nestsWithin(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: node, depth } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return false;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return true;
}
