/**
 * Audits the de-identifier on a JSONL file: the very code the app runs before a donation
 * (src/donation/deid), one line at a time.
 *
 *   npm run deid -- <in.jsonl> [--out <file>] [--terms "Ada,Acme Corp"]
 *
 * Each input line is an object with a string `text`; blank lines are skipped. Each output line
 * is that object with `redacted` (the text with placeholders) and `entities` (type, start, end
 * as UTF-16 offsets into the original text) added. One de-identifier serves the whole file, so
 * a value keeps its placeholder from line to line, as it does within one donation bundle.
 *
 * Exit codes: 0 all lines written; 1 some lines were malformed and skipped (the others were
 * written; stderr names each bad line); 2 bad arguments or an input file that cannot be read.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { EntityType } from '../src/donation/bundle-types';
import { createDeidentifier } from '../src/donation/deid';

const USAGE = 'usage: npm run deid -- <in.jsonl> [--out <file>] [--terms "a,b"]';
const EXIT_SKIPPED_LINES = 1;
const EXIT_BAD_INPUT = 2;

interface CliOptions {
  input: string;
  out?: string;
  terms: string[];
}

function parseArgs(args: readonly string[]): CliOptions | string {
  let input: string | undefined;
  let out: string | undefined;
  const terms: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--out' || arg === '--terms') {
      const value = args[i + 1];
      if (value === undefined) return `${arg} needs a value`;
      i += 1;
      if (arg === '--out') out = value;
      else terms.push(...value.split(',').map((term) => term.trim()).filter((term) => term !== ''));
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}`;
    } else if (input === undefined) {
      input = arg;
    } else {
      return `unexpected argument ${arg}`;
    }
  }
  if (input === undefined) return 'no input file given';
  return { input, out, terms };
}

type Parsed = { record: Record<string, unknown>; text: string } | { problem: string };

function parseLine(line: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  if (typeof record.text !== 'string') return { problem: 'has no string "text" field' };
  return { record, text: record.text };
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

function summary(lines: number, skipped: number, counts: Partial<Record<EntityType, number>>): string {
  const perType = Object.entries(counts).map(([type, n]) => `${type} ${n}`).join(', ');
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return `deid: ${lines} lines, ${skipped} skipped, ${total} entities${perType === '' ? '' : ` (${perType})`}`;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`deid: ${options}\n${USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  const isFile = await stat(options.input).then((stats) => stats.isFile(), () => false);
  if (!isFile) {
    process.stderr.write(`deid: input file not found: ${options.input}\n`);
    return EXIT_BAD_INPUT;
  }

  const deidentifier = createDeidentifier({ declaredTerms: options.terms });
  const output: Writable = options.out === undefined ? process.stdout : createWriteStream(options.out);
  const lines = createInterface({ input: createReadStream(options.input, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let written = 0;
  let skipped = 0;
  for await (const rawLine of lines) {
    lineNumber += 1;
    // Files saved by some Windows editors start with a byte-order mark, which JSON.parse rejects.
    const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/u, '') : rawLine;
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if ('problem' in parsed) {
      process.stderr.write(`deid: line ${lineNumber}: ${parsed.problem}; skipped\n`);
      skipped += 1;
      continue;
    }
    const { redacted, entities } = deidentifier.redact(parsed.text);
    await write(output, `${JSON.stringify({ ...parsed.record, redacted, entities })}\n`);
    written += 1;
  }
  if (output !== process.stdout) {
    output.end();
    await finished(output);
  }
  process.stderr.write(`${summary(written, skipped, deidentifier.report().counts)}\n`);
  return skipped > 0 ? EXIT_SKIPPED_LINES : 0;
}

process.exitCode = await main();
