import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const COLLECTOR_TESTS = ['tests/collector/**/*.test.ts'];

export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Model tests load ONNX sessions; two cores are better spent on one file at a time.
    fileParallelism: false,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // The collector's whole suite runs once per store: the SQLite file and a real PostgreSQL
      // server that the run starts (and stops) itself.
      { extends: true, test: { name: 'collector-sqlite', include: COLLECTOR_TESTS, provide: { collectorStore: 'sqlite' } } },
      {
        extends: true,
        test: {
          name: 'collector-postgres',
          include: COLLECTOR_TESTS,
          provide: { collectorStore: 'postgres' },
          globalSetup: ['tests/collector/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
