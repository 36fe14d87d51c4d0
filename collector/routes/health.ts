/** `GET /healthz`: the server is up and its database answers. */
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage';

export async function healthRoutes(app: FastifyInstance, { storage }: { storage: Storage }): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    try {
      return reply.code(200).send({ ok: true, bundles: storage.countBundles() });
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database did not answer');
      return reply.code(503).send({ ok: false, error: 'The database does not answer.' });
    }
  });
}
