// Runs npm scripts one after another, printing how long each took, and stops at the first
// failure with its exit code. `npm test` is this over its phases, so CI's log says where the
// minutes go.
import { spawnSync } from 'node:child_process';

const phases = process.argv.slice(2);
if (phases.length === 0) {
  console.error('usage: node scripts/run-phases.mjs SCRIPT [SCRIPT…]');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const done = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function summary() {
  const total = done.reduce((sum, phase) => sum + phase.ms, 0);
  console.log('\nphase times:');
  for (const { name, ms, status } of done) console.log(`  ${name.padEnd(14)} ${seconds(ms).padStart(9)}${status === 0 ? '' : `  (failed, exit ${status})`}`);
  console.log(`  ${'total'.padEnd(14)} ${seconds(total).padStart(9)}`);
}

for (const name of phases) {
  console.log(`\n=== phase ${name} (started ${new Date().toISOString().slice(11, 19)} UTC) ===`);
  const started = performance.now();
  const result = spawnSync(npm, ['run', '--silent', name], { stdio: 'inherit' });
  const status = result.status ?? 1;
  done.push({ name, ms: performance.now() - started, status });
  console.log(`=== phase ${name}: ${status === 0 ? 'passed' : `failed (exit ${status})`} in ${seconds(done.at(-1).ms)} ===`);
  if (status !== 0) {
    summary();
    process.exit(status);
  }
}
summary();
