/**
 * A throwaway static server for check-pages.ts (the lead's benchmark has its own): the built pages
 * from .tmp/bench-pages, and /models/<name>/ from public/models then bench/models, with or
 * without COOP/COEP. serve-static answers byte ranges correctly (see scripts/serve.mjs).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';

export interface CheckServerOptions {
  pagesDir: string;
  modelDirs: string[];
  port: number;
  /** COOP/COEP on every response: the page is cross-origin isolated and ORT may use threads. */
  isolated: boolean;
}

type Handler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

export function startCheckServer(options: CheckServerOptions): Promise<Server> {
  const setHeaders = (response: ServerResponse) => {
    if (options.isolated) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    response.setHeader('Cache-Control', 'no-cache');
  };
  const pages: Handler = serveStatic(options.pagesDir, { index: false, setHeaders });
  const models: Handler[] = options.modelDirs.map((dir) => serveStatic(dir, { index: false, setHeaders }));

  const server = createServer((request, response) => {
    const done = finalhandler(request, response);
    const url = request.url ?? '/';
    if (!url.startsWith('/models/')) return pages(request, response, done);
    // Strip /models so each folder is served from its root; try them in turn.
    request.url = url.slice('/models'.length);
    const tryFrom = (index: number) => {
      const handler = models[index];
      if (!handler) return done();
      handler(request, response, (error) => (error ? done(error) : tryFrom(index + 1)));
    };
    tryFrom(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
