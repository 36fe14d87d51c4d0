/**
 * Starts the donation collector: `npm run collector`. Settings come from the environment
 * (see config.ts and docs/collector.md). Prints `collector listening on http://HOST:PORT` once it
 * accepts connections; stops cleanly on SIGINT/SIGTERM (in-flight requests finish, then the
 * database is closed).
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type CollectorConfig } from './config';
import { buildServer, privacyLogSerializers } from './server';
import { Storage } from './storage';

function fail(message: string, code: number): never {
  console.error(`collector: ${message}`);
  process.exit(code);
}

let config: CollectorConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2);
  throw error;
}

let storage: Storage;
try {
  storage = Storage.open(config.dbPath);
} catch (error) {
  fail(`cannot open the database ${config.dbPath}: ${error instanceof Error ? error.message : String(error)}`, 1);
}

const app = buildServer(config, storage, {
  logger: { level: 'warn', serializers: privacyLogSerializers },
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  storage.close();
  fail(`cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`, 1);
}

const { port } = app.server.address() as AddressInfo;
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
console.log(`collector listening on http://${host}:${port}`);
console.log(`collector database ${config.dbPath}`);
console.log(`collector allowed origins ${config.origins.join(', ')}`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    console.error(`collector: ${signal} again, exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(`collector: ${signal}, closing`);
  try {
    await app.close();
  } finally {
    storage.close();
  }
  console.log('collector: closed');
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
