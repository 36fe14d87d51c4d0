// Serves the production build (dist/) the way the app needs to be hosted:
// - COOP/COEP headers, so the page is cross-origin isolated and WASM can use threads;
// - correct byte ranges (transformers.js probes model files with `Range: bytes=0-0`; Vite's
//   preview server answers that with the whole file, which breaks later downloads);
// - no on-the-fly compression, so model downloads report their real sizes.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';

// DIST_DIR lets parallel test runs serve their own builds.
const root = process.env.DIST_DIR ?? fileURLToPath(new URL('../dist/', import.meta.url));
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4173);

if (!existsSync(root)) {
  console.error('No build found in dist/. Run `npm run build` first (npm start does both).');
  process.exit(1);
}

/** The service worker and its Workbox runtime, whatever folder they end up in. */
const isServiceWorkerFile = (path) => /(?:^|[\\/])(?:sw\.js|workbox-[\w-]+\.js)$/.test(path);

const serve = serveStatic(root, {
  index: ['index.html'],
  setHeaders(response, path) {
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    // Hashed assets never change; everything else is revalidated. sw.js above all: a cached
    // service worker script would hide a new deployment (and its "Reload to update") for a day.
    const immutable = relative(root, path).startsWith(`assets${sep}`) && !isServiceWorkerFile(path);
    response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  },
});

const server = createServer((request, response) => {
  serve(request, response, finalhandler(request, response));
});

server.listen(port, host, () => {
  console.log(`Private Chat is running at http://${host === '127.0.0.1' ? 'localhost' : host}:${port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
