/**
 * Streams stored bundles out as JSONL in one of the export formats: one bundle parsed at a time,
 * each record written as one line, waiting for the output to drain whenever it asks to. Memory
 * stays at about one bundle, however many are stored.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { DonationBundle } from '../../src/donation/bundle-types';
import type { StoredBody } from '../storage';
import { EXPORT_FORMATS, type ExportFormat } from './formats';

export interface ExportSummary {
  bundles: number;
  records: number;
  bytes: number;
}

export async function writeJsonl(bodies: Iterable<StoredBody>, format: ExportFormat, out: Writable): Promise<ExportSummary> {
  const toRecords = EXPORT_FORMATS[format];
  const summary: ExportSummary = { bundles: 0, records: 0, bytes: 0 };
  for (const { body } of bodies) {
    // Stored bodies passed the shared schema check before they were stored.
    const bundle = JSON.parse(body) as DonationBundle;
    summary.bundles++;
    for (const record of toRecords(bundle)) {
      const line = `${JSON.stringify(record)}\n`;
      summary.records++;
      summary.bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  }
  return summary;
}
