/**
 * `collector:export --min-trust X --trust report.jsonl`: keeps the bundles the training's trust
 * report scores at X or above, and says why each other one was left out.
 */
import type { StoredBody } from '../store/donation-store';

export interface TrustFilter {
  filter(bodies: AsyncIterable<StoredBody>): AsyncGenerator<StoredBody>;
  /** One line per bundle left out, filled while filtering. */
  skipped: string[];
}

interface ReportLine {
  bundleId: string;
  trust: number;
  reasons: string[];
}

export function trustFilter(reportText: string, minTrust: number): TrustFilter {
  const scores = new Map<string, ReportLine>();
  reportText.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const value = JSON.parse(line) as Partial<ReportLine>;
    if (typeof value.bundleId !== 'string' || typeof value.trust !== 'number' || !Array.isArray(value.reasons)) {
      throw new Error(`line ${i + 1} is not a trust report line ({bundleId, trust, reasons})`);
    }
    scores.set(value.bundleId, value as ReportLine);
  });
  const skipped: string[] = [];
  return {
    skipped,
    async *filter(bodies) {
      for await (const row of bodies) {
        const score = scores.get(row.bundleId);
        if (score === undefined) skipped.push(`left out bundle ${row.bundleId}: not scored by this trust report (it arrived later; train again)`);
        else if (score.trust < minTrust) skipped.push(`left out bundle ${row.bundleId}: trust ${score.trust.toFixed(2)} < ${minTrust}: ${score.reasons.join('; ')}`);
        else yield row;
      }
    },
  };
}
