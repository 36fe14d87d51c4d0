/**
 * Exports the stored (not withdrawn) bundles as training data:
 *
 *   npm run collector:export -- --format kto|dpo|bb3x [--db path] [--out file]
 *
 * The records have the shapes of the app's own exports (KTO, DPO, BB3x JSONL). The database is
 * opened read-only and can be exported while the collector runs. Without --out the JSONL goes to
 * stdout; with it, to `<file>.partial` first, renamed to `<file>` once complete.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS } from './config';
import { isExportFormat } from './export/formats';
import { writeJsonl } from './export/write-jsonl';
import { Storage } from './storage';

const USAGE = 'usage: npm run collector:export -- --format kto|dpo|bb3x [--db path] [--out file]';

function usage(problem: string): never {
  console.error(`collector:export: ${problem}\n${USAGE}`);
  process.exit(2);
}

let values: { format?: string; db?: string; out?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { format: { type: 'string' }, db: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const format = values.format;
if (!isExportFormat(format)) usage(format === undefined ? '--format is required' : `unknown format ${JSON.stringify(format)}`);

const dbPath = path.resolve(values.db ?? (process.env.COLLECTOR_DB?.trim() || DEFAULTS.dbPath));
let storage: Storage;
try {
  storage = Storage.openReadOnly(dbPath);
} catch (error) {
  console.error(`collector:export: cannot open ${dbPath}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const outPath = values.out === undefined ? undefined : path.resolve(values.out);
const partial = outPath === undefined ? undefined : `${outPath}.partial`;
const out = partial === undefined ? process.stdout : createWriteStream(partial);

try {
  const summary = await writeJsonl(storage.bodies(), format, out);
  if (partial !== undefined && outPath !== undefined) {
    out.end();
    await finished(out);
    renameSync(partial, outPath);
  }
  console.error(
    `collector:export: ${summary.records} ${format} records (${summary.bytes} bytes) from ${summary.bundles} bundles` +
      (outPath === undefined ? '' : ` → ${outPath}`),
  );
} catch (error) {
  if (partial !== undefined) rmSync(partial, { force: true });
  // A closed pipe (`| head`) is the reader's choice, not a failure worth a stack trace.
  const code = (error as { code?: string }).code;
  if (code !== 'EPIPE') console.error(`collector:export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = code === 'EPIPE' ? 0 : 1;
} finally {
  storage.close();
}
