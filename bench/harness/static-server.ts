import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';

export interface StaticServerOptions {
  /** The folder served at `/`. */
  root: string;
  /**
   * Send COOP/COEP, so pages are cross-origin isolated and onnxruntime-web may use threads.
   * Without them the same pages run WASM on one thread: that is how the benchmark gets its
   * 1-thread figures without changing a line of the app.
   */
  isolate: boolean;
  /** URL prefix → folder, e.g. `/models/demo-chat-tiny/` → public/models/demo-chat-tiny. */
  mounts?: Record<string, string>;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** A loopback static server with byte ranges and no compression, like scripts/serve.mjs. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  for (const folder of [options.root, ...Object.values(options.mounts ?? {})]) {
    if (!existsSync(folder)) throw new Error(`Nothing to serve: ${folder} does not exist.`);
  }
  const setHeaders = (response: ServerResponse) => {
    if (options.isolate) {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    response.setHeader('Cache-Control', 'no-cache');
  };
  const rootHandler = serveStatic(options.root, { index: ['index.html'], setHeaders });
  const mounted = Object.entries(options.mounts ?? {}).map(([prefix, folder]) => ({
    prefix,
    handler: serveStatic(folder, { setHeaders }),
  }));

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const done = finalhandler(request, response);
    const mount = mounted.find((m) => request.url?.startsWith(m.prefix));
    if (!mount) return rootHandler(request, response, done);
    // serve-static resolves the path against its own folder: strip the prefix first.
    request.url = `/${request.url!.slice(mount.prefix.length)}`;
    mount.handler(request, response, done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
