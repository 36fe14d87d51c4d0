/**
 * JSON for IndexedDB values. IndexedDB stores structured clones; plain JSON would silently turn
 * NaN/Infinity into null, Dates into strings, typed arrays into objects and drop `undefined`
 * properties, so a restored backup would not be the data that was saved. Such values are
 * written as `{ "$backup": type, "value": … }` and turned back on reading.
 */

const TAG = '$backup';

const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

export class BackupCodecError extends Error {
  override name = 'BackupCodecError';
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const tagged = (type: string, value?: unknown) => ({ [TAG]: type, value });

function encodeValue(value: unknown): unknown {
  if (value === undefined) return tagged('undefined');
  if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value)) return tagged('number', String(value));
    return Object.is(value, -0) ? tagged('number', '-0') : value;
  }
  if (typeof value === 'bigint') return tagged('bigint', value.toString());
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw new BackupCodecError(`A ${typeof value} cannot be backed up.`);
    return value;
  }
  if (Array.isArray(value)) return Array.from(value, encodeValue);
  if (value instanceof Date) return tagged('Date', encodeValue(value.getTime()));
  if (value instanceof ArrayBuffer) return tagged('ArrayBuffer', bytesToBase64(new Uint8Array(value)));
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED_ARRAYS) && name !== 'DataView') throw new BackupCodecError(`${name} values cannot be backed up.`);
    return tagged(name, bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)));
  }
  if (value instanceof Map) return tagged('Map', [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]));
  if (value instanceof Set) return tagged('Set', [...value].map(encodeValue));
  if (typeof Blob !== 'undefined' && value instanceof Blob) throw new BackupCodecError('Files (Blob) cannot be backed up yet.');
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new BackupCodecError(`${(value as object).constructor?.name ?? 'This kind of'} values cannot be backed up.`);
  }
  const entries = Object.entries(value).map(([k, v]) => [k, encodeValue(v)] as const);
  // An object that happens to have our tag as a key is wrapped, so reading cannot mistake it.
  if (Object.hasOwn(value, TAG)) return tagged('object', entries);
  return Object.fromEntries(entries);
}

/**
 * Deeper than any record the app writes (about a dozen levels with the file's own wrapping). The
 * decoder recurses, so a file nested thousands of levels deep would otherwise overflow the stack.
 */
export const MAX_DECODE_DEPTH = 64;

function decodeTagged(type: string, value: unknown, depth: number): unknown {
  const fail = () => new BackupCodecError(`A "${type}" value in the backup is damaged.`);
  switch (type) {
    case 'undefined': return undefined;
    case 'number': {
      if (typeof value !== 'string') throw fail();
      const number = value === '-0' ? -0 : Number(value);
      if (!Number.isNaN(number) || value === 'NaN') return number;
      throw fail();
    }
    case 'bigint':
      // Parsing a huge BigInt takes long; no value the app stores comes near this.
      if (typeof value !== 'string' || value.length > 4_096 || !/^-?\d+$/.test(value)) throw fail();
      return BigInt(value);
    case 'Date': {
      const time = decodeValue(value, depth);
      if (typeof time !== 'number') throw fail();
      return new Date(time);
    }
    case 'Map':
      if (!Array.isArray(value) || !value.every((pair) => Array.isArray(pair) && pair.length === 2)) throw fail();
      return new Map((value as unknown[][]).map(([k, v]) => [decodeValue(k, depth), decodeValue(v, depth)]));
    case 'Set':
      if (!Array.isArray(value)) throw fail();
      return new Set(value.map((item) => decodeValue(item, depth)));
    case 'object':
      if (!Array.isArray(value) || !value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string')) throw fail();
      return Object.fromEntries((value as [string, unknown][]).map(([k, v]) => [k, decodeValue(v, depth)]));
  }
  if (typeof value !== 'string') throw fail();
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64ToBytes(value);
  } catch {
    throw fail();
  }
  if (type === 'ArrayBuffer') return bytes.buffer;
  if (type === 'DataView') return new DataView(bytes.buffer);
  if (type in TYPED_ARRAYS) {
    const TypedArray = TYPED_ARRAYS[type as TypedArrayName];
    if (bytes.byteLength % TypedArray.BYTES_PER_ELEMENT !== 0) throw fail();
    return new TypedArray(bytes.buffer);
  }
  throw new BackupCodecError(`The backup holds a value of unknown type "${type}".`);
}

function decodeValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DECODE_DEPTH) throw new BackupCodecError(`It holds values nested more than ${MAX_DECODE_DEPTH} levels deep.`);
  if (Array.isArray(value)) return value.map((item) => decodeValue(item, depth + 1));
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, TAG) && typeof record[TAG] === 'string') return decodeTagged(record[TAG], record.value, depth + 1);
  // fromEntries defines each key as data, so a `"__proto__"` key stays a plain (ignored) field.
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeValue(v, depth + 1)]));
}

/** Any structured-clonable value → JSON text. Throws BackupCodecError for values it cannot keep. */
export function encodeBackupJson(value: unknown): string {
  return JSON.stringify(encodeValue(value));
}

/** JSON text → the values that were encoded. Throws SyntaxError for bad JSON, BackupCodecError for bad tags. */
export function decodeBackupJson(text: string): unknown {
  return decodeValue(JSON.parse(text) as unknown);
}
