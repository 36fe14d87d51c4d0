// Starts the collector for the end-to-end tests on a fresh database file: a run never sees the
// bundles of the run before it. Signals are passed on, so Playwright's stop reaches the collector.
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

const db = process.env.COLLECTOR_DB;
if (!db) throw new Error('COLLECTOR_DB must name the test database file.');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
if (process.env.COLLECTOR_COMMUNITY_DIR) rmSync(process.env.COLLECTOR_COMMUNITY_DIR, { recursive: true, force: true });

const child = spawn(process.execPath, ['--import', 'tsx', 'collector/main.ts'], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
