/**
 * The collector's settings, read from the environment once at startup. Every problem is
 * collected and reported together, so a bad deployment is fixed in one go.
 */
import path from 'node:path';
import type { StoreLocation } from './store/donation-store';

export interface CollectorConfig {
  /** Address to listen on; loopback unless deliberately exposed. */
  host: string;
  /** TCP port; 0 asks the OS for any free one (the chosen port is printed). */
  port: number;
  /**
   * The SQLite file (absolute; its folder is created when missing), or a PostgreSQL URL when
   * COLLECTOR_DATABASE_URL is set.
   */
  store: StoreLocation;
  /** PostgreSQL connections each collector process keeps at most. */
  poolSize: number;
  /** Collector processes sharing the port (PostgreSQL, or one SQLite file on one machine). */
  workers: number;
  /** Days after which stored bundles and withdrawal tombstones are deleted; 0 keeps them. */
  retentionDays: number;
  /** The structured log's level. */
  logLevel: LogLevel;
  /** Where `npm run collector:train` publishes community heads, and the collector serves them from. */
  communityDir: string;
  /** Browser origins allowed by CORS, exactly as a browser sends them (`scheme://host[:port]`). */
  origins: string[];
  /** Largest body accepted, both as sent and after gzip decompression. */
  maxBodyBytes: number;
  /** Requests per minute per client address; 0 turns the limit off. */
  rateLimitPerMinute: number;
}

export const DEFAULT_ORIGINS = [
  'http://localhost:4173',
  'http://127.0.0.1:4173',
  'http://localhost:5173',
  'http://127.0.0.1:5173',
];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dbPath: 'collector-data/donations.sqlite',
  communityDir: 'collector-data/community',
  maxBodyBytes: 5 * 1024 * 1024,
  rateLimitPerMinute: 120,
  poolSize: 10,
  workers: 1,
  retentionDays: 0,
  logLevel: 'info',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Bad collector configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the settings from `env` (normally `process.env`); throws a ConfigError listing every problem. */
export function loadConfig(env: Env, cwd: string = process.cwd()): CollectorConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const host = value('COLLECTOR_HOST') ?? DEFAULTS.host;
  if (/\s|\//.test(host)) problems.push(`COLLECTOR_HOST must be a host name or IP address, got ${JSON.stringify(host)}`);

  const port = integer(value('COLLECTOR_PORT'), DEFAULTS.port, 'COLLECTOR_PORT', 0, 65_535, problems);
  const maxBodyBytes = integer(value('COLLECTOR_MAX_BODY_BYTES'), DEFAULTS.maxBodyBytes, 'COLLECTOR_MAX_BODY_BYTES', 1024, 1024 * 1024 * 1024, problems);
  const rateLimitPerMinute = integer(value('COLLECTOR_RATE_LIMIT'), DEFAULTS.rateLimitPerMinute, 'COLLECTOR_RATE_LIMIT', 0, 1_000_000, problems);

  const poolSize = integer(value('COLLECTOR_DB_POOL'), DEFAULTS.poolSize, 'COLLECTOR_DB_POOL', 1, 1000, problems);
  const workers = integer(value('COLLECTOR_WORKERS'), DEFAULTS.workers, 'COLLECTOR_WORKERS', 1, 64, problems);
  const retentionDays = integer(value('COLLECTOR_RETENTION_DAYS'), DEFAULTS.retentionDays, 'COLLECTOR_RETENTION_DAYS', 0, 36_500, problems);
  const logLevelRaw = value('COLLECTOR_LOG_LEVEL') ?? DEFAULTS.logLevel;
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw.toLowerCase());
  if (logLevel === undefined) problems.push(`COLLECTOR_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevelRaw)}`);

  const communityDir = path.resolve(cwd, value('COLLECTOR_COMMUNITY_DIR') ?? DEFAULTS.communityDir);
  const store = storeLocation(value('COLLECTOR_DATABASE_URL'), value('COLLECTOR_DB'), cwd, problems);

  const originsRaw = value('COLLECTOR_ORIGINS');
  const origins = originsRaw === undefined ? [...DEFAULT_ORIGINS] : parseOrigins(originsRaw, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { host, port, store, poolSize, workers, retentionDays, logLevel: logLevel ?? DEFAULTS.logLevel, communityDir, origins, maxBodyBytes, rateLimitPerMinute };
}

function storeLocation(url: string | undefined, file: string | undefined, cwd: string, problems: string[]): StoreLocation {
  const sqlite: StoreLocation = { kind: 'sqlite', file: path.resolve(cwd, file ?? DEFAULTS.dbPath) };
  if (url === undefined) return sqlite;
  if (file !== undefined) {
    problems.push('set COLLECTOR_DATABASE_URL (PostgreSQL) or COLLECTOR_DB (SQLite), not both');
    return sqlite;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    // The value may hold a password: name the problem, not the value.
    problems.push('COLLECTOR_DATABASE_URL must be a URL like postgres://user:password@host:5432/database');
    return sqlite;
  }
  return { kind: 'postgres', url };
}

function integer(raw: string | undefined, fallback: number, name: string, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return Number(raw);
}

function parseOrigins(raw: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const item of raw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    // A browser's Origin header is exactly scheme://host[:port]; anything else would never match.
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/$/, '')) {
      problems.push(`COLLECTOR_ORIGINS: ${JSON.stringify(item)} is not an origin like http://localhost:5173`);
      continue;
    }
    origins.push(url.origin);
  }
  if (origins.length === 0 && problems.length === 0) problems.push('COLLECTOR_ORIGINS must name at least one origin');
  return origins;
}
