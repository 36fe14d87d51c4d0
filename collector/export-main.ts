/**
 * Exports the stored (not withdrawn) bundles as training data:
 *
 *   npm run collector:export -- --format kto|dpo|bb3x [--db path | --database-url URL] [--out file [--force]]
 *                               [--min-trust 0.5 --trust report.jsonl]
 *
 * With --min-trust, bundles whose trust in the report of `collector:train --report` is below it,
 * or that the report does not score (they arrived after the training), are left out, each with a
 * warning saying why.
 * The store is the collector's: PostgreSQL when --database-url or COLLECTOR_DATABASE_URL is given
 * (the environment keeps a password out of `ps`), else the SQLite file of --db or COLLECTOR_DB.
 * The records have the shapes of the app's own exports (KTO, DPO, BB3x JSONL). The database is
 * opened read-only and can be exported while the collector runs (one consistent snapshot). Without --out the JSONL goes to
 * stdout; with it, to `<file>.partial` first, renamed to `<file>` once complete. An existing
 * file is replaced only with --force, and never the database itself (or its WAL files).
 * A stored row that cannot be exported is skipped with a warning, and the command exits 1 at
 * the end so a script notices.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isExportFormat } from './export/formats';
import { sameFileAsDatabase } from './export/output-path';
import { trustFilter, type TrustFilter } from './export/trust-filter';
import { writeJsonl } from './export/write-jsonl';
import type { DonationStore } from './store/donation-store';
import { describeLocation, storeFromArguments } from './store/location';
import { openStoreReadOnly } from './store/open-store';

const USAGE =
  'usage: npm run collector:export -- --format kto|dpo|bb3x [--db path | --database-url URL] [--out file [--force]] [--min-trust 0..1 --trust report.jsonl]';

function usage(problem: string): never {
  console.error(`collector:export: ${problem}\n${USAGE}`);
  process.exit(2);
}

let values: { format?: string; db?: string; 'database-url'?: string; out?: string; force?: boolean; 'min-trust'?: string; trust?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      format: { type: 'string' },
      db: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      'min-trust': { type: 'string' },
      trust: { type: 'string' },
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

const minTrust = values['min-trust'] === undefined ? undefined : Number(values['min-trust']);
if (minTrust !== undefined && !(minTrust >= 0 && minTrust <= 1)) usage('--min-trust must be a number from 0 to 1');
if (minTrust !== undefined && values.trust === undefined) usage('--min-trust needs --trust FILE (the report of npm run collector:train -- --report FILE)');
let trusted: TrustFilter | undefined;
if (minTrust !== undefined && values.trust !== undefined) {
  try {
    trusted = trustFilter(readFileSync(values.trust, 'utf8'), minTrust);
  } catch (error) {
    console.error(`collector:export: cannot read the trust report ${values.trust}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (values.db !== undefined && values['database-url'] !== undefined) usage('give --db or --database-url, not both');
const location = storeFromArguments({ db: values.db, databaseUrl: values['database-url'] });
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
  const summary = await writeJsonl(trusted === undefined ? storage.bodies() : trusted.filter(storage.bodies()), format, out);
  for (const line of trusted?.skipped ?? []) console.error(`collector:export: ${line}`);
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
