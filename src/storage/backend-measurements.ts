import type { BackendMeasurement } from '../../workers/shared/backend-benchmark';
import type { ChatDb } from './db';

/**
 * The settings store's key for the backends measured on this device, one record holding all of
 * them by measurementKey. They describe this device's hardware, so a backup restored on another
 * device leaves them out (backup-settings.ts).
 */
export const BACKEND_MEASUREMENTS_KEY = 'backend-measurements';

export type BackendMeasurements = Record<string, BackendMeasurement>;

export async function loadBackendMeasurements(db: ChatDb): Promise<BackendMeasurements> {
  const stored: unknown = await db.get('settings', BACKEND_MEASUREMENTS_KEY);
  if (typeof stored !== 'object' || stored === null) return {};
  // Kept only when whole: a damaged record is measured again rather than trusted.
  return Object.fromEntries(Object.entries(stored).filter(([key, value]) => isMeasurement(value) && value.key === key));
}

export async function saveBackendMeasurements(db: ChatDb, measurements: BackendMeasurements): Promise<void> {
  await db.put('settings', measurements, BACKEND_MEASUREMENTS_KEY);
}

function isMeasurement(value: unknown): value is BackendMeasurement {
  const m = value as Partial<BackendMeasurement> | null;
  const rate = (r: unknown) => r === null || (typeof r === 'number' && r > 0);
  return (
    typeof m === 'object' && m !== null && typeof m.key === 'string' && (m.backend === 'webgpu' || m.backend === 'wasm') &&
    rate(m.webgpuTokensPerSecond) && rate(m.wasmTokensPerSecond) && typeof m.reason === 'string' && typeof m.measuredAt === 'number'
  );
}
