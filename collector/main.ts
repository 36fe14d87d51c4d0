/**
 * Starts the donation collector: `npm run collector [-- --workers N]`. Settings come from the
 * environment (config.ts, docs/collector.md); `--workers` overrides COLLECTOR_WORKERS. Logs are
 * JSON lines on stdout; the first says `collector listening on http://HOST:PORT` once every
 * process accepts connections. A bad setting exits 2 with a plain message on stderr.
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type CollectorConfig } from './config';
import { createLogger } from './log';
import { runPrimary } from './run/cluster-primary';
import { serve } from './run/serve';

const USAGE = 'usage: npm run collector [-- --workers N]';

function fail(message: string, code: number): never {
  console.error(`collector: ${message}`);
  process.exit(code);
}

let config: CollectorConfig;
try {
  const { values } = parseArgs({ options: { workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  config = loadConfig(values.workers === undefined ? process.env : { ...process.env, COLLECTOR_WORKERS: values.workers });
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2);
  if (error instanceof TypeError) fail(`${error.message}\n${USAGE}`, 2);
  throw error;
}

const log = createLogger(config.logLevel);
if (config.workers > 1 && cluster.isPrimary) await runPrimary(config, log);
else await serve(config, log);
