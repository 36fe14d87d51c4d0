/** Prints the recall table, the misses and the changed clean messages; writes the JSON report. */
import { writeFileSync } from 'node:fs';
import type { Evaluation, Row, Summary } from './score';

const formatShare = (share: number) => (Number.isNaN(share) ? '    –' : share.toFixed(3));

function formatRow(row: Row, label: string, withPartial = true): string {
  const counts = `${row.passed}/${row.total}`.padStart(9);
  const partial = (withPartial ? String(row.partial) : '').padStart(7);
  const verdict = row.met ? 'met' : 'NOT met';
  return `  ${label.padEnd(16)} ${counts}  ${formatShare(row.share)}  ${partial}  ≥ ${row.target.toFixed(2)}  ${verdict}`;
}

const header = (first: string, counted: string, share: string, partial = 'partial') =>
  `  ${first.padEnd(16)} ${counted.padStart(9)}  ${share}  ${partial.padStart(7)}  target`;

export function printSummary(summary: Summary, evaluation: Evaluation, dataPath: string): void {
  const labelled = evaluation.messages - evaluation.cleanTotal;
  console.log(`deid recall: ${dataPath}`);
  console.log(`  ${evaluation.messages} messages (${labelled} with ${evaluation.outcomes.length} identifiers, ${evaluation.cleanTotal} clean), a fresh de-identifier per message`);
  console.log('  removed = the identifier no longer appears (case-insensitive; for numbers, separators ignored)');
  console.log('  partial = counted as removed, but some of its letters or digits were left beside the placeholder');
  console.log('');
  console.log(header('category', 'removed', 'recall'));
  for (const row of summary.categories) console.log(formatRow(row, row.name));
  console.log('');
  console.log(header('group', 'removed', 'recall'));
  for (const row of summary.groups) console.log(formatRow(row, row.name));
  console.log('');
  console.log(header('clean messages', 'unchanged', ' share', ''));
  console.log(formatRow(summary.clean, 'unchanged', false));
}

export function printMisses(evaluation: Evaluation): void {
  const misses = evaluation.outcomes.filter((outcome) => !outcome.removed);
  console.log('');
  console.log(`misses (${misses.length}): category, message, identifier → redacted text`);
  for (const miss of misses) console.log(`  ${miss.category.padEnd(15)} ${miss.messageId.padEnd(10)} ${JSON.stringify(miss.text)} → ${JSON.stringify(miss.redacted)}`);
  const partial = evaluation.outcomes.filter((outcome) => outcome.partial);
  console.log('');
  console.log(`partly kept (${partial.length}): removed as a whole, but part of it is still there`);
  for (const item of partial) console.log(`  ${item.category.padEnd(15)} ${item.messageId.padEnd(10)} ${JSON.stringify(item.text)} → ${JSON.stringify(item.redacted)}`);
  console.log('');
  console.log(`changed clean messages (${evaluation.changedClean.length}):`);
  for (const changed of evaluation.changedClean) console.log(`  ${changed.id.padEnd(10)} ${JSON.stringify(changed.redacted)}`);
}

/** NaN is not JSON; a category without data is written as null. */
const jsonRow = (row: Row) => ({ ...row, share: Number.isNaN(row.share) ? null : row.share });

export function writeJsonReport(file: string, summary: Summary, evaluation: Evaluation, dataPath: string): void {
  const report = {
    data: dataPath,
    messages: evaluation.messages,
    identifiers: evaluation.outcomes.length,
    cleanMessages: evaluation.cleanTotal,
    categories: summary.categories.map(jsonRow),
    groups: summary.groups.map(jsonRow),
    clean: jsonRow(summary.clean),
    misses: evaluation.outcomes.filter((outcome) => !outcome.removed),
    partlyKept: evaluation.outcomes.filter((outcome) => outcome.partial),
    changedClean: evaluation.changedClean,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
