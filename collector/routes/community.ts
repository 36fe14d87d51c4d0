/**
 * `GET /community/reward-head/latest`: the latest published community reward head, read-only,
 * with its content hash as a strong ETag (`If-None-Match` → 304) and its size in Content-Length,
 * so an app can show the size (HEAD) before it downloads. 404 until one is published. The request
 * needs nothing from the app and the collector records nothing about it.
 */
import type { FastifyInstance } from 'fastify';
import { ClientError } from '../errors';
import { latestArtifactFile } from '../community/artifact-files';

export async function communityRoutes(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  app.get('/community/reward-head/latest', async (request, reply) => {
    const latest = latestArtifactFile(dir);
    if (!latest) throw new ClientError(404, 'No community model has been published yet.', ['run npm run collector:train on the collector']);
    const { contentHash } = JSON.parse(latest.text) as { contentHash: string };
    const etag = `"${contentHash}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(latest.text);
  });
}
