import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'deid-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runCli(args: string[]) {
  const result = spawnSync('npx', ['tsx', 'scripts/deid.ts', ...args], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function inputFile(name: string, lines: string[]): string {
  const file = path.join(workDir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

interface OutputLine {
  id?: number;
  text: string;
  redacted: string;
  entities: Array<{ type: string; start: number; end: number }>;
}

const parseLines = (jsonl: string) => jsonl.trim().split('\n').map((line) => JSON.parse(line) as OutputLine);

describe('npm run deid (scripts/deid.ts)', () => {
  it('adds redacted text and entity offsets to each line, with placeholders consistent across lines', () => {
    const file = inputFile('ok.jsonl', [
      JSON.stringify({ id: 1, text: 'Mail ada@example.com or call 212-555-0143.', lang: 'en' }),
      '',
      JSON.stringify({ id: 2, text: 'ADA@example.com again; bob@example.com is new.' }),
    ]);
    const { status, stdout, stderr } = runCli([file]);
    expect(status).toBe(0);
    const lines = parseLines(stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: 1, lang: 'en', redacted: 'Mail [EMAIL_1] or call [PHONE_1].' });
    expect(lines[1]).toMatchObject({ id: 2, redacted: '[EMAIL_1] again; [EMAIL_2] is new.' });
    for (const line of lines) {
      for (const entity of line.entities) expect(line.text.slice(entity.start, entity.end)).toMatch(/@example\.com$|^212-555-0143$/);
    }
    expect(lines[0]!.entities).toEqual([{ type: 'EMAIL', start: 5, end: 20 }, { type: 'PHONE', start: 29, end: 41 }]);
    expect(stderr).toContain('deid: 2 lines, 0 skipped, 4 entities (EMAIL 3, PHONE 1)');
  });

  it('skips a malformed line or one without a string text, says which on stderr, writes the rest and exits 1', () => {
    const file = inputFile('bad.jsonl', [
      JSON.stringify({ text: 'first: ada@example.com' }),
      '{"text": "unterminated',
      JSON.stringify({ text: 42 }),
      JSON.stringify(['text']),
      JSON.stringify({ text: 'last: 4111 1111 1111 1111' }),
    ]);
    const { status, stdout, stderr } = runCli([file]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/line 2: not valid JSON/);
    expect(stderr).toMatch(/line 3: has no string "text" field/);
    expect(stderr).toMatch(/line 4: not a JSON object/);
    expect(parseLines(stdout).map((line) => line.redacted)).toEqual(['first: [EMAIL_1]', 'last: [CREDIT_CARD_1]']);
    expect(stderr).toContain('2 lines, 3 skipped');
  });

  it('writes to --out and redacts the --terms', () => {
    const file = inputFile('terms.jsonl', [JSON.stringify({ text: 'I work at Initech in Paris.' })]);
    const out = path.join(workDir, 'out.jsonl');
    const { status, stdout } = runCli([file, '--out', out, '--terms', 'initech, ,Paris']);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(parseLines(readFileSync(out, 'utf8'))[0]!.redacted).toBe('I work at [DECLARED_TERM_1] in [DECLARED_TERM_2].');
  });

  it('exits 2 with a clear message when the input file does not exist', () => {
    const missing = path.join(workDir, 'missing.jsonl');
    const { status, stdout, stderr } = runCli([missing]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`input file not found: ${missing}`);
  });

  it('exits 2 with the usage when no input is given', () => {
    const { status, stderr } = runCli([]);
    expect(status).toBe(2);
    expect(stderr).toContain('usage: npm run deid');
  });
});
