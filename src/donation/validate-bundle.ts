/**
 * Checks a donation bundle against the shared JSON Schema. The app runs it before a bundle is
 * queued and the collector before one is stored, so both sides reject the same things.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from './bundle-schema.json' with { type: 'json' };
import { BUNDLE_SCHEMA_VERSION, type DonationBundle } from './bundle-types';
import { MAX_JSON_DEPTH, nestsWithin } from './json-depth';

export type BundleCheck = { ok: true; bundle: DonationBundle } | { ok: false; problems: string[] };

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['uuid', 'date-time']);
const validate = ajv.compile<DonationBundle>(schema);

/** At most this many problems are reported: enough to fix a body, not a reply as big as it. */
const MAX_PROBLEMS = 20;

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

export function checkBundle(value: unknown): BundleCheck {
  // A wrong version is named as such, not drowned in the field errors a newer shape would cause.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const version = (value as { schemaVersion?: unknown }).schemaVersion;
    if (version !== BUNDLE_SCHEMA_VERSION) {
      return {
        ok: false,
        problems: [`schemaVersion ${JSON.stringify(version ?? null)} is not supported; this side accepts ${BUNDLE_SCHEMA_VERSION}`],
      };
    }
  }
  // Ajv compares `uniqueItems` entries recursively: a hostile body nested thousands deep would
  // overflow the stack there. No real bundle nests anywhere near the limit.
  if (!nestsWithin(value)) {
    return { ok: false, problems: [`bundle: nests deeper than ${MAX_JSON_DEPTH} levels`] };
  }
  if (validate(value)) return { ok: true, bundle: value };
  const problems = (validate.errors ?? []).slice(0, MAX_PROBLEMS).map(describe);
  return { ok: false, problems: problems.length > 0 ? problems : ['bundle: is not valid'] };
}
