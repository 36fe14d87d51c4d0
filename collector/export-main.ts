/**
 * Exports the stored (not withdrawn) bundles as training data:
 *
 *   npm run collector:export -- --format kto|dpo|bb3x [--db path | --database-url URL] [--out file [--force]]
 *
 * The store is the collector's: PostgreSQL when --database-url or COLLECTOR_DATABASE_URL is given
 * (the environment keeps a password out of `ps`), else the SQLite file of --db or COLLECTOR_DB.
 * The records have the shapes of the app's own exports (KTO, DPO, BB3x JSONL). The database is
 * opened read-only and can be exported while the collector runs (one consistent snapshot). Without --out the JSONL goes to
 * stdout; with it, to `<file>.partial` first, renamed to `<file>` once complete. An existing
 * file is replaced only with --force, and never the database itself (or its WAL files).
 * A stored row that cannot be exported is skipped with a warning, and the command exits 1 at
 * the end so a script notices.
 */
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS } from './config';
import { isExportFormat } from './export/formats';
import { sameFileAsDatabase } from './export/output-path';
import { writeJsonl } from './export/write-jsonl';
import type { DonationStore, StoreLocation } from './store/donation-store';
import { describeLocation } from './store/location';
import { openStoreReadOnly } from './store/open-store';

const USAGE = 'usage: npm run collector:export -- --format kto|dpo|bb3x [--db path | --database-url URL] [--out file [--force]]';

function usage(problem: string): never {
  console.error(`collector:export: ${problem}\n${USAGE}`);
  process.exit(2);
}

let values: { format?: string; db?: string; 'database-url'?: string; out?: string; force?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      format: { type: 'string' },
      db: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
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

const databaseUrl = values.db === undefined ? values['database-url'] ?? (process.env.COLLECTOR_DATABASE_URL?.trim() || undefined) : undefined;
if (values.db !== undefined && values['database-url'] !== undefined) usage('give --db or --database-url, not both');
const location: StoreLocation =
  databaseUrl === undefined
    ? { kind: 'sqlite', file: path.resolve(values.db ?? (process.env.COLLECTOR_DB?.trim() || DEFAULTS.dbPath)) }
    : { kind: 'postgres', url: databaseUrl };
const outPath = values.out === undefined ? undefined : path.resolve(values.out);
const partial = outPath === undefined ? undefined : `${outPath}.partial`;

// Checked before anything is opened or written: a slip of the keyboard must not cost the donations.
for (const target of [outPath, partial]) {
  if (target !== undefined && location.kind === 'sqlite' && sameFileAsDatabase(target, location.file)) {
    console.error(`collector:export: refusing to write onto the database ${location.file} (or its journal); choose another --out file`);
    process.exit(2);
  }
}
if (outPath !== undefined && existsSync(outPath) && values.force !== true) {
  console.error(`collector:export: ${outPath} already exists; add --force to replace it`);
  process.exit(2);
}
let storage: DonationStore;
try {
  storage = await openStoreReadOnly(location);
} catch (error) {
  console.error(`collector:export: cannot open ${describeLocation(location)}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const out = partial === undefined ? process.stdout : createWriteStream(partial);

try {
  const summary = await writeJsonl(storage.bodies(), format, out);
  if (partial !== undefined && outPath !== undefined) {
    out.end();
    await finished(out);
    renameSync(partial, outPath);
  }
  for (const { bundleId, reason } of summary.skipped) {
    console.error(`collector:export: warning: skipped bundle ${JSON.stringify(bundleId)}: ${reason}`);
  }
  console.error(
    `collector:export: ${summary.records} ${format} records (${summary.bytes} bytes) from ${summary.bundles} bundles` +
      (outPath === undefined ? '' : ` → ${outPath}`),
  );
  if (summary.skipped.length > 0) {
    console.error(`collector:export: ${summary.skipped.length} stored bundle(s) could not be exported (see the warnings above)`);
    process.exitCode = 1;
  }
} catch (error) {
  if (partial !== undefined) rmSync(partial, { force: true });
  // A closed pipe (`| head`) is the reader's choice, not a failure worth a stack trace.
  const code = (error as { code?: string }).code;
  if (code !== 'EPIPE') console.error(`collector:export: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = code === 'EPIPE' ? 0 : 1;
} finally {
  await storage.close();
}
