import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** How the mirror serves one repo: all of `folder`, minus missing files, some cut short. */
export interface HostedRepo {
  folder: string;
  missing?: string[];
  /** File → the fraction of its bytes the host has (a truncated upload). */
  truncated?: Record<string, number>;
  /** Bytes sent per tick; ticks are `tickMs` apart. */
  bytesPerTick: number;
}

export interface ModelHost {
  url: string;
  /** Paths of every request the host received, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TICK_MS = 25;
/** A test that forgets to close the host must not keep the run alive. */
const MAX_LIFETIME_MS = 10 * 60_000;

/**
 * A model mirror in Hub layout (`/<org>/<name>/resolve/main/<file>`) on a free loopback port,
 * sending file bodies slowly so downloads show progress and can be cancelled. It sends what
 * the app needs cross-origin: CORS (with Content-Range readable) and CORP, since the app is
 * cross-origin isolated (COEP require-corp).
 */
export async function startModelHost(repos: Record<string, HostedRepo>): Promise<ModelHost> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    setCrossOriginHeaders(response);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Allow-Methods': 'GET, HEAD' });
      response.end();
      return;
    }
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const repo = match ? repos[match[1]!] : undefined;
    const file = match?.[2] ?? '';
    if (!repo || repo.missing?.includes(file) || file.includes('..')) return notFound(response);
    const path = join(repo.folder, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return notFound(response);
    }
    const fraction = repo.truncated?.[file];
    if (fraction !== undefined) size = Math.floor(size * fraction);
    serveFile(request, response, path, size, repo.bytesPerTick);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const lifetime = setTimeout(() => server.close(), MAX_LIFETIME_MS);
  lifetime.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        clearTimeout(lifetime);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function setCrossOriginHeaders(response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
  response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  response.setHeader('Cache-Control', 'no-store');
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'Content-Type': 'text/plain' });
  response.end('Entry not found');
}

function serveFile(request: IncomingMessage, response: ServerResponse, path: string, size: number, bytesPerTick: number): void {
  const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  // transformers.js and the app measure files with `Range: bytes=0-0`.
  if (request.headers.range === 'bytes=0-0' && size > 0) {
    response.writeHead(206, { 'Content-Type': type, 'Content-Length': '1', 'Content-Range': `bytes 0-0/${size}` });
    response.end(firstByte(path));
    return;
  }
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': String(size) });
  if (request.method === 'HEAD' || size === 0) return void response.end();
  const stream = createReadStream(path, { start: 0, end: size - 1, highWaterMark: bytesPerTick });
  stream.on('data', (chunk) => {
    stream.pause();
    response.write(chunk);
    setTimeout(() => stream.resume(), TICK_MS).unref();
  });
  stream.on('end', () => response.end());
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
}

/** The first byte of a file, without reading the rest (model files run to hundreds of MB). */
function firstByte(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 0);
    return byte;
  } finally {
    closeSync(fd);
  }
}
