/** The export formats by name: each turns one stored bundle into its records. */
import type { DonationBundle } from '../../src/donation/bundle-types';
import { bb3xRecords } from './bb3x';
import { dpoRecords } from './dpo';
import { ktoRecords } from './kto';

export const EXPORT_FORMATS = {
  kto: ktoRecords,
  dpo: dpoRecords,
  bb3x: bb3xRecords,
} as const satisfies Record<string, (bundle: DonationBundle) => Iterable<object>>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && Object.hasOwn(EXPORT_FORMATS, value);
}
