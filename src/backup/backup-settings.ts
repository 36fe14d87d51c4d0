/**
 * The `settings` store of a backup, key by key. Each key is read by its own loader, which merges
 * it over defaults, so every field is optional here — but a field that is there must be what the
 * app writes. Donation's keys follow donation's own rules (donation-backup.ts).
 */
import type { ModelSpec } from '../../workers/shared/protocol';
import { planDonationSettings, planEndpointSuggestion } from '../donation/donation-backup';
import { DONATION_SETTINGS_KEY } from '../donation/donation-settings';
import { ENDPOINT_SUGGESTION_KEY } from '../donation/endpoint-suggestion';
import type { CatalogEntry } from '../inference/model-catalog';
import { MODEL_LIBRARY_KEY, type ModelLibrary } from '../inference/model-library';
import { checkModelHost, checkRepoId } from '../inference/model-host';
import { boolean, FieldProblem, list, nullable, number, object, oneOf, refine, share, text, type Check } from '../storage/field-checks';
import type { ImportPlan } from '../storage/import-plan';
import { dtype, DTYPES, longText, partialSampling, shortText } from './record-checks';
import { APP_SETTINGS_KEY, MAX_BEST_OF_N, type AppSettings } from '../storage/settings';
import { BACKEND_MEASUREMENTS_KEY } from '../storage/backend-measurements';

/** As loadSettings reads it: any field may be missing, and so may any field of a nested group. */
type StoredAppSettings = { [K in keyof AppSettings]?: AppSettings[K] extends object ? Partial<AppSettings[K]> : AppSettings[K] };

const appSettings: Check<StoredAppSettings> = object(
  {},
  {
    backend: oneOf(['auto', 'webgpu', 'wasm'] as const),
    sampling: partialSampling,
    systemPrompt: longText,
    bestOfN: number(1, MAX_BEST_OF_N, { integer: true }),
    safetyGate: object({}, { enabled: boolean, threshold: share }, { dropUndefined: true }),
    rewardModels: object({}, { encoderId: shortText, safetyId: shortText }, { dropUndefined: true }),
    dismissedModelNotes: list(shortText, 1_000),
    modelTitles: boolean,
    learnFromFeedback: boolean,
  },
  { dropUndefined: true },
);

const modelHost: Check<string> = (value, field) => {
  const check = checkModelHost(text(2_048)(value, field));
  if (!check.ok) throw new FieldProblem(field, 'a model host address (https://…)');
  return check.host;
};

/** Local models live under the app's own /models/ path: a plain relative name, never one that climbs out of it. */
const LOCAL_MODEL_ID = /^[\w.-]+(\/[\w.-]+)*$/;

const modelSpec: Check<ModelSpec> = refine(
  object(
    { id: shortText, dtypes: list(dtype, DTYPES.length), contextWindow: number(1, 10_000_000, { integer: true }), local: boolean },
    { host: modelHost },
  ),
  (spec) => {
    const ok = spec.local ? LOCAL_MODEL_ID.test(spec.id) && !spec.id.split('/').includes('..') : checkRepoId(spec.id).ok;
    return ok ? null : { field: 'id', expected: spec.local ? 'the name of a model folder' : 'a Hub repo id (org/name)' };
  },
);

const byteSize = number(0, 1e15);

const catalogEntry: Check<CatalogEntry> = object(
  { spec: modelSpec, label: shortText, note: longText, untrained: boolean, source: oneOf(['built-in', 'catalog', 'hub', 'folder'] as const) },
  {
    publishedSizes: object({}, Object.fromEntries(DTYPES.map((d) => [d, byteSize])), { dropUndefined: true }),
    defaultSampling: partialSampling,
  },
);

const modelLibrary: Check<Partial<ModelLibrary>> = object(
  {},
  { host: modelHost, active: nullable(catalogEntry), added: list(catalogEntry, 1_000) },
  { dropUndefined: true },
);

/** Checks one `settings` record and adds what may be imported of it to the plan. */
export function planSettingsRecord(plan: ImportPlan, key: string, value: unknown): void {
  switch (key) {
    case APP_SETTINGS_KEY:
      return plan.add('settings', key, appSettings(value, ''));
    case MODEL_LIBRARY_KEY:
      return plan.add('settings', key, modelLibrary(value, ''));
    case DONATION_SETTINGS_KEY:
      return planDonationSettings(plan, value);
    case ENDPOINT_SUGGESTION_KEY:
      return planEndpointSuggestion(plan, value);
    case BACKEND_MEASUREMENTS_KEY:
      // Speeds of the device the backup was made on: this one measures its own. Not worth a note.
      return;
    default:
      // Written by a later version of the app, perhaps: nothing here reads it.
      plan.note({ kind: 'unused-record' });
  }
}
