/** `GET /healthz`: the server is up, which store it uses, and that the store answers. */
import type { FastifyInstance } from 'fastify';
import type { DonationStore } from '../store/donation-store';

export async function healthRoutes(app: FastifyInstance, { storage }: { storage: DonationStore }): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    try {
      const bundles = await storage.countBundles();
      return reply.code(200).send({ ok: true, store: storage.kind, schemaVersion: storage.schemaVersion, bundles });
    } catch (error) {
      request.log.error({ err: error }, 'health check: the database did not answer');
      return reply.code(503).send({ ok: false, store: storage.kind, error: 'The database does not answer.' });
    }
  });
}
