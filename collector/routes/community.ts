/**
 * The published community artifacts, read-only:
 *
 *   GET /community/reward-head/latest             the community reward head
 *   GET /community/adapter/latest?model=<id>      the community generation adapter of one chat model
 *
 * Each with its content hash as a strong ETag (`If-None-Match` → 304) and its size in
 * Content-Length, so an app can show the size (HEAD) before it downloads; 404 until one is
 * published. The request needs nothing from the app and the collector records nothing about it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClientError, clip } from '../errors';
import { adapterPrefix, latestArtifactFile } from '../community/artifact-files';

function serveLatest(request: FastifyRequest, reply: FastifyReply, latest: { text: string } | undefined, what: string): FastifyReply {
  if (!latest) throw new ClientError(404, `No community ${what} has been published yet.`, ['run npm run collector:train on the collector']);
  const { contentHash } = JSON.parse(latest.text) as { contentHash: string };
  const etag = `"${contentHash}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(latest.text);
}

export async function communityRoutes(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  app.get('/community/reward-head/latest', async (request, reply) => serveLatest(request, reply, latestArtifactFile(dir), 'model'));

  app.get<{ Querystring: { model?: string } }>('/community/adapter/latest', async (request, reply) => {
    const model = request.query.model;
    if (typeof model !== 'string' || model.trim() === '' || model.length > 200) {
      throw new ClientError(400, 'Say which chat model the adapter is for.', ['add ?model=<chat model id>, for example ?model=demo-chat-tiny']);
    }
    return serveLatest(request, reply, latestArtifactFile(dir, adapterPrefix(model)), `adapter for ${clip(model)}`);
  });
}
