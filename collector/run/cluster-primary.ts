/**
 * `--workers N`: N collector processes on one port (Node's cluster; the primary accepts the
 * connections and hands them round-robin to the workers). The primary runs the migrations once,
 * forks the workers, announces the URL when all of them listen, replaces a worker that dies, and
 * on SIGINT/SIGTERM asks each worker to stop gracefully and exits when they have.
 *
 * Workers share nothing but the database: every guarantee (one row per bundle id, tombstones,
 * durability) is the store's, so it holds across these processes and across machines alike.
 */
import cluster, { type Worker } from 'node:cluster';
import type { CollectorConfig } from '../config';
import type { CollectorLogger } from '../log';
import { describeLocation } from '../store/location';
import { openStore } from '../store/open-store';
import { announce, type ListeningMessage } from './serve';

/** A worker that keeps dying is a deployment problem, not bad luck: stop rather than spin. */
const MAX_RESTARTS_PER_MINUTE = 10;

export async function runPrimary(config: CollectorConfig, log: CollectorLogger): Promise<void> {
  let schema: { kind: string; schemaVersion: number };
  try {
    const store = await openStore(config.store, { poolSize: 1 });
    schema = { kind: store.kind, schemaVersion: store.schemaVersion };
    await store.close();
  } catch (error) {
    log.fatal({ event: 'start-failed', store: config.store.kind, err: error }, `cannot open the database ${describeLocation(config.store)}`);
    process.exit(1);
  }

  let stopping = false;
  let announced = false;
  const listening = new Set<number>();
  const restarts: number[] = [];

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: ListeningMessage) => {
      if (message?.type !== 'collector-listening') return;
      listening.add(worker.id);
      if (!announced && listening.size === config.workers) {
        announced = true;
        announce(log, config, schema, message.url, config.workers);
      } else if (announced) {
        log.info({ event: 'worker-listening', workerPid: worker.process.pid }, 'a replacement worker is listening');
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info({ event: 'stopped' }, 'collector closed');
        process.exit(0);
      }
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] ?? now) < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      log.fatal({ event: 'worker-exit', workerPid: worker.process.pid, code, signal }, 'collector workers keep dying; stopping');
      stopAll('SIGTERM');
      process.exitCode = 1;
      return;
    }
    log.error({ event: 'worker-exit', workerPid: worker.process.pid, code, signal }, 'a collector worker died; starting another');
    fork();
  });

  const stopAll = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ event: 'stop', signal }, `${signal} again, stopping the workers now`);
      stopAll('SIGKILL');
      process.exit(1);
    }
    log.info({ event: 'stop', signal }, `${signal}: asking ${config.workers} workers to finish their requests and stop`);
    stopAll('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  for (let i = 0; i < config.workers; i++) fork();
}
