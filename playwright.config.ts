import { defineConfig } from '@playwright/test';

/** Debian's chromium by default; never a browser downloaded by Playwright (no network here). */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags that keep Chromium from reaching out to Google services on a closed network.
const quietArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// PORT and DIST_DIR let several test runs share a machine (each serves its own build).
const PORT = Number(process.env.PORT ?? 4173);
process.env.PORT = String(PORT);
// The donation collector runs beside the app on loopback, with a fresh SQLite file per run.
const COLLECTOR_PORT = Number(process.env.COLLECTOR_PORT ?? PORT + 4614);
process.env.COLLECTOR_PORT = String(COLLECTOR_PORT);
process.env.COLLECTOR_DB ??= `.tmp/collector-e2e-${COLLECTOR_PORT}.sqlite`;

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
        COLLECTOR_ORIGINS: `http://127.0.0.1:${PORT},http://localhost:${PORT}`,
      },
    },
  ],
  projects: [
    {
      name: 'wasm',
      testIgnore: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: [...quietArgs, '--disable-gpu'] } },
    },
    {
      // SwiftShader gives a software WebGPU adapter: enough to prove the WebGPU path, not its speed.
      name: 'webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: [...quietArgs, '--enable-unsafe-webgpu'] } },
    },
  ],
});
