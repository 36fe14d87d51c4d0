/** The collector's settings: defaults, validation, and how `npm run collector` reports a bad one. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ORIGINS, loadConfig } from '../../collector/config';
import { REPO_ROOT } from './support/collector';

describe('loadConfig', () => {
  it('has safe defaults: loopback, port 8787, 5 MiB, 120 requests a minute, the dev origins', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      host: '127.0.0.1',
      port: 8787,
      store: { kind: 'sqlite', file: path.resolve('/srv/app', 'collector-data/donations.sqlite') },
      poolSize: 10,
      workers: 1,
      retentionDays: 0,
      logLevel: 'info',
      communityDir: path.resolve('/srv/app', 'collector-data/community'),
      origins: DEFAULT_ORIGINS,
      maxBodyBytes: 5 * 1024 * 1024,
      rateLimitPerMinute: 120,
    });
  });

  it('reads every setting', () => {
    const config = loadConfig(
      {
        COLLECTOR_HOST: '::1',
        COLLECTOR_PORT: '0',
        COLLECTOR_DB: 'data/x.sqlite',
        COLLECTOR_ORIGINS: 'https://chat.example.org, http://localhost:8080/',
        COLLECTOR_MAX_BODY_BYTES: '1048576',
        COLLECTOR_RATE_LIMIT: '0',
        COLLECTOR_DB_POOL: '4',
        COLLECTOR_WORKERS: '3',
        COLLECTOR_RETENTION_DAYS: '365',
        COLLECTOR_LOG_LEVEL: 'WARN',
        COLLECTOR_COMMUNITY_DIR: 'published',
      },
      '/srv/app',
    );
    expect(config).toEqual({
      host: '::1',
      port: 0,
      store: { kind: 'sqlite', file: '/srv/app/data/x.sqlite' },
      poolSize: 4,
      workers: 3,
      retentionDays: 365,
      logLevel: 'warn',
      communityDir: '/srv/app/published',
      origins: ['https://chat.example.org', 'http://localhost:8080'],
      maxBodyBytes: 1_048_576,
      rateLimitPerMinute: 0,
    });
  });

  it('takes PostgreSQL from COLLECTOR_DATABASE_URL, and refuses it beside COLLECTOR_DB or in another scheme without echoing it', () => {
    const url = 'postgres://collector:s3cret@db.internal:5432/donations';
    expect(loadConfig({ COLLECTOR_DATABASE_URL: url }).store).toEqual({ kind: 'postgres', url });
    expect(loadConfig({ COLLECTOR_DATABASE_URL: 'postgresql://db/x' }).store).toEqual({ kind: 'postgres', url: 'postgresql://db/x' });
    expect(() => loadConfig({ COLLECTOR_DATABASE_URL: url, COLLECTOR_DB: 'x.sqlite' })).toThrow(/not both/);
    let error: unknown;
    try {
      loadConfig({ COLLECTOR_DATABASE_URL: 'mysql://root:s3cret@db/x' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).message).toMatch(/COLLECTOR_DATABASE_URL must be a URL like postgres:\/\//);
    expect((error as ConfigError).message).not.toContain('s3cret');
  });

  it('reports every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        COLLECTOR_PORT: '80a',
        COLLECTOR_MAX_BODY_BYTES: '-5',
        COLLECTOR_RATE_LIMIT: '1.5',
        COLLECTOR_ORIGINS: 'localhost:5173,http://ok.example/path',
        COLLECTOR_WORKERS: '0',
        COLLECTOR_RETENTION_DAYS: 'forever',
        COLLECTOR_LOG_LEVEL: 'chatty',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/COLLECTOR_PORT/);
    expect(problems).toMatch(/COLLECTOR_MAX_BODY_BYTES/);
    expect(problems).toMatch(/COLLECTOR_RATE_LIMIT/);
    expect(problems).toMatch(/COLLECTOR_WORKERS must be a whole number from 1 to 64/);
    expect(problems).toMatch(/COLLECTOR_RETENTION_DAYS/);
    expect(problems).toMatch(/COLLECTOR_LOG_LEVEL must be one of/);
    expect(problems).toMatch(/"localhost:5173" is not an origin/);
    expect(problems).toMatch(/"http:\/\/ok.example\/path" is not an origin/);
    expect(() => loadConfig({ COLLECTOR_PORT: '70000' })).toThrow(/COLLECTOR_PORT must be a whole number from 0 to 65535/);
  });
});

it('npm run collector stops with a clear message and exit code 2 on a bad setting', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'collector/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COLLECTOR_PORT: 'eighty', COLLECTOR_DB: '/nonexistent/never-created.sqlite' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/collector: Bad collector configuration:\n {2}- COLLECTOR_PORT must be a whole number/);
  expect(run.stdout).not.toMatch(/listening/);
});

it('npm run collector exits 1 naming the database without its password when PostgreSQL cannot be reached', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'collector/main.ts'], {
    cwd: REPO_ROOT,
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    env: { ...process.env, COLLECTOR_PORT: '0', COLLECTOR_DATABASE_URL: 'postgres://collector:hunter2@127.0.0.1:1/donations' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(1);
  const record = JSON.parse(run.stdout.trim().split('\n').pop()!) as { level: string; event: string; msg: string; err: { message: string } };
  expect(record).toMatchObject({ level: 'fatal', event: 'start-failed', msg: 'cannot open the database postgres://collector:***@127.0.0.1:1/donations' });
  expect(record.err.message).toMatch(/ECONNREFUSED/);
  expect(run.stdout + run.stderr).not.toContain('hunter2');
  expect(run.stdout).not.toMatch(/listening/);
});
