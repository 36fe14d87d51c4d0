/**
 * Streams stored bundles out as JSONL in one of the export formats: one bundle parsed at a time,
 * each record written as one line, waiting for the output to drain whenever it asks to. Memory
 * stays at about one bundle, however many are stored.
 *
 * A stored row is checked again before it is exported: the database file may have been edited
 * or damaged since the collector validated it. A bad row is skipped and reported; the rest of
 * the export goes on.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { checkBundle } from '../../src/donation/validate-bundle';
import type { StoredBody } from '../store/donation-store';
import { escapeForTerminals } from './terminal-safe-json';
import { EXPORT_FORMATS, type ExportFormat } from './formats';

export interface ExportSummary {
  bundles: number;
  records: number;
  bytes: number;
  /** Rows that could not be exported, with the reason each was skipped. */
  skipped: Array<{ bundleId: string; reason: string }>;
}

/** The records of one stored row, or the reason it cannot be exported. */
function recordsOf(row: StoredBody, format: ExportFormat): { lines: string[] } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(row.body);
  } catch {
    return { reason: 'its stored JSON is damaged' };
  }
  // Stored bundles were checked on arrival with the clock of that moment; only the shape matters now.
  const check = checkBundle(value, Number.POSITIVE_INFINITY);
  if (!check.ok) return { reason: `it no longer matches the donation schema (${check.problems.join('; ')})` };
  try {
    return { lines: [...EXPORT_FORMATS[format](check.bundle)].map((record) => `${escapeForTerminals(JSON.stringify(record))}\n`) };
  } catch (error) {
    return { reason: `it could not be converted (${error instanceof Error ? error.message : String(error)})` };
  }
}

export async function writeJsonl(bodies: Iterable<StoredBody> | AsyncIterable<StoredBody>, format: ExportFormat, out: Writable): Promise<ExportSummary> {
  const summary: ExportSummary = { bundles: 0, records: 0, bytes: 0, skipped: [] };
  for await (const row of bodies) {
    const result = recordsOf(row, format);
    if ('reason' in result) {
      summary.skipped.push({ bundleId: row.bundleId, reason: result.reason });
      continue;
    }
    summary.bundles++;
    for (const line of result.lines) {
      summary.records++;
      summary.bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  }
  return summary;
}
