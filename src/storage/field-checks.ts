/**
 * Small checks that read one untrusted value (a record from a backup file) into the shape the
 * app stores. Each check returns a fresh value holding only the fields it knows, so nothing a
 * file adds — an unknown field, a `__proto__` or `constructor` key — reaches IndexedDB or the
 * UI. A value that is not what the app writes throws a FieldProblem naming the field.
 */

export class FieldProblem extends Error {
  override name = 'FieldProblem';
  constructor(
    /** Where in the record, e.g. `metrics.ttftMs` or `candidates[2].text`; empty for the record itself. */
    readonly field: string,
    /** What the app expects there, e.g. "a number of 0 or more". */
    readonly expected: string,
    readonly missing = false,
  ) {
    const where = field === '' ? 'it' : `"${field}"`;
    super(missing ? `${where} is missing (${expected} expected)` : `${where} is not ${expected}`);
  }
}

export type Check<T> = (value: unknown, field: string) => T;

/** Ids are UUIDs or short names the app makes; anything this long is not one. */
export const MAX_ID_LENGTH = 256;
/** Names, labels, model ids, short notes. */
export const MAX_SHORT_TEXT = 10_000;
/** Messages, prompts, comments: far above any reply or prompt the app can produce, far below what would stall the UI. */
export const MAX_LONG_TEXT = 1_000_000;
/** The latest time a Date can hold (ms since the epoch). */
const MAX_TIME = 8.64e15;

const join = (field: string, part: string | number) =>
  typeof part === 'number' ? `${field}[${part}]` : field === '' ? part : `${field}.${part}`;

export function text(max: number = MAX_LONG_TEXT): Check<string> {
  return (value, field) => {
    if (typeof value !== 'string') throw new FieldProblem(field, 'text');
    if (value.length > max) throw new FieldProblem(field, `text of at most ${max.toLocaleString('en')} characters`);
    return value;
  };
}

/** Non-empty text that can serve as a key. */
export const id: Check<string> = (value, field) => {
  const checked = text(MAX_ID_LENGTH)(value, field);
  if (checked === '') throw new FieldProblem(field, 'a non-empty id');
  return checked;
};

export function number(min: number, max: number, options: { integer?: boolean } = {}): Check<number> {
  const kind = options.integer ? 'a whole number' : 'a number';
  // "of 0 or more" reads better than an upper bound that only keeps out absurd values.
  const expected = max >= 1e9 ? `${kind} of ${min} or more` : `${kind} from ${min} to ${max}`;
  return (value, field) => {
    // NaN and Infinity fail here too: the app never stores them.
    if (typeof value !== 'number' || !(value >= min && value <= max)) throw new FieldProblem(field, expected);
    if (options.integer && !Number.isInteger(value)) throw new FieldProblem(field, expected);
    return value;
  };
}

/** Milliseconds since the epoch, as Date.now() gives. */
export const time: Check<number> = (value, field) => {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_TIME)) throw new FieldProblem(field, 'a time (milliseconds since 1970)');
  return value;
};

export const count: Check<number> = number(0, Number.MAX_SAFE_INTEGER, { integer: true });

/** A probability or another share, 0..1. */
export const share: Check<number> = number(0, 1);

export const boolean: Check<boolean> = (value, field) => {
  if (typeof value !== 'boolean') throw new FieldProblem(field, 'true or false');
  return value;
};

export function oneOf<const T extends string | number>(values: readonly T[]): Check<T> {
  return (value, field) => {
    if (!(values as readonly unknown[]).includes(value)) throw new FieldProblem(field, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    return value as T;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, field) => (value === null ? null : check(value, field));
}

export function list<T>(item: Check<T>, maxItems: number): Check<T[]> {
  return (value, field) => {
    if (!Array.isArray(value)) throw new FieldProblem(field, 'a list');
    if (value.length > maxItems) throw new FieldProblem(field, `a list of at most ${maxItems} items`);
    // Index by index, so a sparse array's holes are checked (and refused) like any missing value.
    const checked: T[] = [];
    for (let i = 0; i < value.length; i++) checked.push(item(value[i], join(field, i)));
    return checked;
  };
}

/** A plain object (what JSON and IndexedDB give), not an array, a Map or a Date. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

type Shape = Record<string, Check<unknown>>;
type Checked<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never };

/**
 * An object with `required` fields and `optional` ones. An optional field stored as `undefined`
 * stays so (the app writes `stopReason: undefined`), so a restored record equals the original —
 * unless `dropUndefined`: settings are spread over their defaults, where an `undefined` would
 * replace the default instead of falling back to it. Fields not named here are left out.
 */
export function object<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
  options: { dropUndefined?: boolean } = {},
): Check<Checked<R> & Partial<Checked<O>>> {
  return (value, field) => {
    if (!isPlainObject(value)) throw new FieldProblem(field, 'an object');
    const checked: Record<string, unknown> = {};
    for (const [name, check] of Object.entries(required)) {
      if (!Object.hasOwn(value, name)) throw new FieldProblem(join(field, name), expectedOf(check), true);
      checked[name] = check(value[name], join(field, name));
    }
    for (const [name, check] of Object.entries(optional ?? {})) {
      if (!Object.hasOwn(value, name)) continue;
      const raw = value[name];
      if (raw !== undefined) checked[name] = check(raw, join(field, name));
      else if (!options.dropUndefined) checked[name] = undefined;
    }
    return checked as Checked<R> & Partial<Checked<O>>;
  };
}

/** What a check wants, in words, for a "missing" message: asked of the check with a value no check accepts. */
function expectedOf(check: Check<unknown>): string {
  try {
    check(Symbol('missing'), '');
  } catch (error) {
    if (error instanceof FieldProblem) return error.expected;
  }
  return 'a value';
}

/** Applies `check`, then `rule` on its result; `rule` returns what is wrong, or null. */
export function refine<T>(check: Check<T>, rule: (value: T) => { field?: string; expected: string } | null): Check<T> {
  return (value, field) => {
    const checked = check(value, field);
    const problem = rule(checked);
    if (problem) throw new FieldProblem(problem.field ? join(field, problem.field) : field, problem.expected);
    return checked;
  };
}
