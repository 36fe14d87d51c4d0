/**
 * `POST /v1/bundles` (donate) and `DELETE /v1/bundles/:id` (withdraw).
 *
 * A POST is checked in this order, cheapest first, and nothing is stored unless every step
 * passes: Content-Type (415), withdrawal token (400), Content-Encoding (415), Content-Length
 * (413), the body as it arrives (413 / 400), JSON (400), nesting depth and the shared schema
 * (422). Only then does one transaction store it (201), recognise a resend (200, same receipt),
 * a clash (409) or a withdrawn id (410). The answer is sent after the transaction committed.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { checkBundle, type BundleCheck } from '../../src/donation/validate-bundle';
import { MAX_JSON_DEPTH, nestsWithin } from '../../src/donation/json-depth';
import { parseJsonObject } from '../body/parse-json';
import { readBody, tooLarge } from '../body/read-body';
import { ClientError, clip } from '../errors';
import type { DonationStore } from '../store/donation-store';
import { hashToken, newReceiptId, readBearer } from '../tokens';

export interface BundleRouteOptions {
  storage: DonationStore;
  maxBodyBytes: number;
}

export async function bundleRoutes(app: FastifyInstance, { storage, maxBodyBytes }: BundleRouteOptions): Promise<void> {
  // The route reads bodies itself (body/read-body.ts): one limit must hold for the bytes as sent
  // and after gunzip, and every refusal must carry the collector's own error body. So every
  // content type is handed over as the raw stream, unread.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });

  app.post('/v1/bundles', async (request, reply) => {
    requireJson(request.headers['content-type']);

    const bearer = readBearer(request.headers.authorization);
    if (bearer.kind === 'missing') {
      throw new ClientError(400, 'The request needs a withdrawal token.', ['send the header Authorization: Bearer <withdrawal token>']);
    }
    if (bearer.kind === 'malformed') throw new ClientError(400, 'The withdrawal token is malformed.', [bearer.problem]);

    const gzip = contentEncoding(request.headers['content-encoding']);
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) {
      // Not a byte is read; close the connection rather than take in the rest of it.
      reply.header('connection', 'close');
      throw tooLarge(maxBodyBytes, `Content-Length ${declared}`);
    }

    let bytes: Buffer;
    try {
      bytes = await readBody(bodyStream(request.body), { gzip, limit: maxBodyBytes });
    } catch (error) {
      reply.header('connection', 'close');
      throw error;
    }

    const value = parseJsonObject(bytes);
    if (!nestsWithin(value)) {
      throw new ClientError(422, 'The bundle does not match the donation schema.', [`bundle: nested deeper than ${MAX_JSON_DEPTH} levels`]);
    }
    const check = validate(value, request.log);
    if (!check.ok) throw new ClientError(422, 'The bundle does not match the donation schema.', check.problems);

    const bundle = check.bundle;
    const outcome = await storage.store({
      bundle,
      body: JSON.stringify(bundle),
      tokenHash: hashToken(bearer.token),
      receiptId: newReceiptId(),
      receivedAt: new Date().toISOString(),
    });
    switch (outcome.kind) {
      case 'stored':
        return reply.code(201).send(outcome.receipt);
      case 'duplicate':
        return reply.code(200).send(outcome.receipt);
      case 'conflict':
        throw new ClientError(409, 'A bundle with this id was already stored with another withdrawal token.', [
          `bundleId ${bundle.bundleId} is taken; a new bundle needs a new id`,
        ]);
      case 'withdrawn':
        throw new ClientError(410, 'This bundle was withdrawn and cannot be stored again.', [
          `bundle ${bundle.bundleId} was withdrawn at ${outcome.withdrawnAt}`,
        ]);
    }
  });

  app.delete<{ Params: { id: string } }>('/v1/bundles/:id', async (request, reply: FastifyReply) => {
    const bearer = readBearer(request.headers.authorization);
    if (bearer.kind === 'missing') {
      reply.header('www-authenticate', 'Bearer');
      throw new ClientError(401, 'Withdrawing a bundle needs its withdrawal token.', ['send the header Authorization: Bearer <withdrawal token>']);
    }
    // A malformed credential cannot match any stored hash: it is simply a wrong token.
    const tokenHash = hashToken(bearer.kind === 'token' ? bearer.token : bearer.credential);
    const id = canonicalBundleId(request.params.id);
    if (id === undefined) {
      throw new ClientError(400, 'That is not a bundle id.', [`bundle ids are lower-case UUIDs; got ${JSON.stringify(clip(request.params.id))}`]);
    }
    const outcome = await storage.withdraw(id, tokenHash, new Date().toISOString());
    switch (outcome.kind) {
      case 'withdrawn':
        return reply.code(200).send({ bundleId: outcome.bundleId, withdrawnAt: outcome.withdrawnAt });
      case 'forbidden':
        throw new ClientError(403, 'The withdrawal token does not match this bundle.', ['use the token the bundle was sent with']);
      case 'not-found':
        throw new ClientError(404, 'No bundle with this id was ever stored.', [`unknown bundle id ${JSON.stringify(clip(id))}`]);
    }
  });
}

/**
 * The shared schema check. Whatever a body makes the validator do, the answer is about the
 * body: should it ever throw, that is a 422 (logged), never a 500.
 */
function validate(value: unknown, log: FastifyBaseLogger): BundleCheck {
  try {
    return checkBundle(value);
  } catch (error) {
    log.warn({ err: error }, 'the bundle validator threw; answering 422');
    return { ok: false, problems: ['bundle: could not be validated'] };
  }
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Bundles are stored under their canonical id only (the schema refuses any other form), so a
 * withdrawal naming the same UUID in another form (upper case, `urn:uuid:`) means that bundle.
 */
function canonicalBundleId(raw: string): string | undefined {
  const id = raw.trim().toLowerCase().replace(/^urn:uuid:/, '');
  return CANONICAL_UUID.test(id) ? id : undefined;
}

function requireJson(contentType: string | undefined): void {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return;
  throw new ClientError(415, 'The body must be JSON (Content-Type: application/json).', [
    contentType === undefined ? 'the Content-Type header is missing' : `Content-Type ${JSON.stringify(clip(contentType))} is not accepted`,
  ]);
}

/** True for gzip; false when the body is not encoded; a 415 for any other coding. */
function contentEncoding(header: string | undefined): boolean {
  const coding = header?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') return false;
  if (coding === 'gzip' || coding === 'x-gzip') return true;
  throw new ClientError(415, 'The body must be sent plain or gzip-compressed.', [`Content-Encoding ${JSON.stringify(clip(header ?? ''))} is not supported`]);
}

/** The unread body stream the content-type parser handed over, or an empty one when there was no body. */
function bodyStream(body: unknown): Readable {
  if (isReadable(body)) return body;
  throw new ClientError(400, 'The body is empty.', ['expected a JSON object']);
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).on === 'function' && typeof (value as Readable).resume === 'function';
}
