/**
 * Checks a donation bundle against the shared JSON Schema, then against itself
 * (`bundle-semantics.ts`). The app runs it before a bundle is queued and the collector before one
 * is stored, so both sides reject the same things.
 *
 * Validation stops at the first problem. Collecting every error made the cost grow with the
 * number of errors: 10,000 bad messages in a 310 KB body held the collector's only thread for
 * seconds. One problem, named precisely, is enough to fix a body.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './bundle-schema.json' with { type: 'json' };
import { bundleContradiction } from './bundle-semantics';
import { BUNDLE_SCHEMA_VERSION, type DonationBundle } from './bundle-types';
import { MAX_JSON_DEPTH, nestsWithin } from './json-depth';

export type BundleCheck = { ok: true; bundle: DonationBundle } | { ok: false; problems: string[] };

const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv, ['date-time']);
const validate = ajv.compile<DonationBundle>(schema);

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'bundle' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is not valid'}`;
}

/** How a client-sent value reads in a problem: JSON where it has a JSON form (1e400 parses to Infinity, which JSON would print as null). */
function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number out of range)`;
  return JSON.stringify(value ?? null);
}

/** `now` (ms since the epoch) is the checking side's clock, for the timestamp checks. */
export function checkBundle(value: unknown, now: number = Date.now()): BundleCheck {
  // A wrong version is named as such, not drowned in the field errors a newer shape would cause.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const version = (value as { schemaVersion?: unknown }).schemaVersion;
    if (version !== BUNDLE_SCHEMA_VERSION) {
      return {
        ok: false,
        problems: [`schemaVersion ${shown(version)} is not supported; this side accepts ${BUNDLE_SCHEMA_VERSION}`],
      };
    }
  }
  // Ajv compares `uniqueItems` entries recursively: a hostile body nested thousands deep would
  // overflow the stack there. No real bundle nests anywhere near the limit.
  if (!nestsWithin(value)) {
    return { ok: false, problems: [`bundle: nests deeper than ${MAX_JSON_DEPTH} levels`] };
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    return { ok: false, problems: [first === undefined ? 'bundle: is not valid' : describe(first)] };
  }
  const contradiction = bundleContradiction(value, now);
  if (contradiction !== undefined) return { ok: false, problems: [contradiction] };
  return { ok: true, bundle: value };
}
