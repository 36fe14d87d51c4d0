/**
 * One collector process: opens the store, listens, prunes by the retention setting, and on
 * SIGINT/SIGTERM stops taking connections, lets the requests in flight finish (each answered
 * after its transaction committed), then closes the store and exits 0.
 *
 * Alone it announces `collector listening on …`; as a cluster worker it tells the primary instead,
 * and leaves repeated signals to the primary (which sends one SIGTERM to each worker).
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { CollectorConfig } from '../config';
import type { CollectorLogger } from '../log';
import { buildServer } from '../server';
import type { DonationStore } from '../store/donation-store';
import { describeLocation } from '../store/location';
import { openStore } from '../store/open-store';
import { scheduleRetention } from './retention';

/** What a cluster worker tells the primary once it accepts connections. */
export interface ListeningMessage {
  type: 'collector-listening';
  url: string;
}

export async function serve(config: CollectorConfig, log: CollectorLogger): Promise<void> {
  let store: DonationStore;
  try {
    store = await openStore(config.store, {
      poolSize: config.poolSize,
      onIdleError: (error) => log.warn({ err: error }, 'an idle database connection failed; it will be replaced'),
    });
  } catch (error) {
    log.fatal({ event: 'start-failed', store: config.store.kind, err: error }, `cannot open the database ${describeLocation(config.store)}`);
    process.exit(1);
  }

  const app = buildServer(config, store, { logger: log });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await store.close();
    log.fatal({ event: 'start-failed', err: error }, `cannot listen on ${config.host}:${config.port}`);
    process.exit(1);
  }
  const stopRetention = scheduleRetention(store, config.retentionDays, log);

  const { port } = app.server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (cluster.isWorker) {
    process.send?.({ type: 'collector-listening', url } satisfies ListeningMessage);
  } else {
    announce(log, config, store, url, 1);
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      if (cluster.isWorker) return;
      log.warn({ event: 'stop', signal }, `${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info({ event: 'stop', signal }, `${signal}: no new connections; finishing the requests in flight`);
    stopRetention();
    // A keep-alive connection goes idle once its last response is out; close it then rather
    // than after Node's keep-alive timeout, so the stop takes as long as the slowest upload.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
    } finally {
      clearInterval(closeIdle);
      await store.close();
    }
    log.info({ event: 'stopped' }, 'collector closed');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

/** The startup lines, as structured records: where it listens, what it stores into, whom it serves. */
export function announce(log: CollectorLogger, config: CollectorConfig, store: { kind: string; schemaVersion: number }, url: string, workers: number): void {
  log.info({ event: 'listening', url, workers }, `collector listening on ${url}`);
  log.info(
    { event: 'store', store: store.kind, schemaVersion: store.schemaVersion, location: describeLocation(config.store) },
    `collector database ${describeLocation(config.store)}`,
  );
  log.info(
    { event: 'settings', origins: config.origins, retentionDays: config.retentionDays, rateLimitPerMinute: config.rateLimitPerMinute },
    `collector allowed origins ${config.origins.join(', ')}`,
  );
}
