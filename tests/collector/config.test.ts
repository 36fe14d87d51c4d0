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
      dbPath: path.resolve('/srv/app', 'collector-data/donations.sqlite'),
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
      },
      '/srv/app',
    );
    expect(config).toEqual({
      host: '::1',
      port: 0,
      dbPath: '/srv/app/data/x.sqlite',
      origins: ['https://chat.example.org', 'http://localhost:8080'],
      maxBodyBytes: 1_048_576,
      rateLimitPerMinute: 0,
    });
  });

  it('reports every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        COLLECTOR_PORT: '80a',
        COLLECTOR_MAX_BODY_BYTES: '-5',
        COLLECTOR_RATE_LIMIT: '1.5',
        COLLECTOR_ORIGINS: 'localhost:5173,http://ok.example/path',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/COLLECTOR_PORT/);
    expect(problems).toMatch(/COLLECTOR_MAX_BODY_BYTES/);
    expect(problems).toMatch(/COLLECTOR_RATE_LIMIT/);
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
