import { defineConfig } from '@playwright/test';
import { chromiumPath as executablePath, wasmArgs, webgpuArgs } from './tests/chromium';


// PORT and DIST_DIR let several test runs share a machine (each serves its own build).
const PORT = Number(process.env.PORT ?? 4173);
process.env.PORT = String(PORT);
// The donation collector runs beside the app on loopback, with a fresh SQLite file per run.
const COLLECTOR_PORT = Number(process.env.COLLECTOR_PORT ?? PORT + 4614);
process.env.COLLECTOR_PORT = String(COLLECTOR_PORT);
process.env.COLLECTOR_DB ??= `.tmp/collector-e2e-${COLLECTOR_PORT}.sqlite`;
// Where a test publishes a community reward head for the collector to serve (emptied per run).
process.env.COLLECTOR_COMMUNITY_DIR ??= `.tmp/community-e2e-${COLLECTOR_PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `node scripts/serve.mjs`,
      url: `http://127.0.0.1:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `node scripts/start-test-collector.mjs`,
      url: `http://127.0.0.1:${COLLECTOR_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        COLLECTOR_HOST: '127.0.0.1',
        COLLECTOR_PORT: String(COLLECTOR_PORT),
        COLLECTOR_DB: process.env.COLLECTOR_DB,
        COLLECTOR_COMMUNITY_DIR: process.env.COLLECTOR_COMMUNITY_DIR,
        // Per-request log lines would drown the test report; warnings and errors still show.
        COLLECTOR_LOG_LEVEL: 'warn',
        COLLECTOR_ORIGINS: `http://127.0.0.1:${PORT},http://localhost:${PORT}`,
      },
    },
  ],
  projects: [
    {
      name: 'wasm',
      testIgnore: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: wasmArgs } },
    },
    {
      name: 'webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: webgpuArgs } },
    },
  ],
});
