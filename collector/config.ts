/**
 * The collector's settings, read from the environment once at startup. Every problem is
 * collected and reported together, so a bad deployment is fixed in one go.
 */
import path from 'node:path';

export interface CollectorConfig {
  /** Address to listen on; loopback unless deliberately exposed. */
  host: string;
  /** TCP port; 0 asks the OS for any free one (the chosen port is printed). */
  port: number;
  /** Absolute path of the SQLite file; its folder is created when missing. */
  dbPath: string;
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

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dbPath: 'collector-data/donations.sqlite',
  maxBodyBytes: 5 * 1024 * 1024,
  rateLimitPerMinute: 120,
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

  const dbPath = path.resolve(cwd, value('COLLECTOR_DB') ?? DEFAULTS.dbPath);

  const originsRaw = value('COLLECTOR_ORIGINS');
  const origins = originsRaw === undefined ? [...DEFAULT_ORIGINS] : parseOrigins(originsRaw, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { host, port, dbPath, origins, maxBodyBytes, rateLimitPerMinute };
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
