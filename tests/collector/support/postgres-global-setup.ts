/**
 * Vitest global setup of the collector's PostgreSQL project: one server for the whole run, its
 * admin URL handed to the test files (each makes its own databases), stopped at the end.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres, type TestPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresBinDir: string;
  }
}

let server: TestPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startTestPostgres();
  // A crashed run must not leave a server behind.
  process.once('exit', () => server?.stop());
  project.provide('postgresAdminUrl', server.adminUrl);
  project.provide('postgresBinDir', server.binDir);
}

export async function teardown(): Promise<void> {
  server?.stop();
  server = undefined;
}
