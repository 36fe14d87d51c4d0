/**
 * Reads a request body from its stream, gunzipping it on the way when it was sent with
 * `Content-Encoding: gzip`. Both the bytes as sent and the bytes after decompression are
 * counted against the same limit while they arrive, so neither a huge upload nor a small gzip
 * bomb is ever held in memory: past the limit the read stops with a 413.
 *
 * On an error the rest of the upload is read and dropped (not buffered), so the reply can still
 * reach a client that is busy sending; the caller closes the connection after replying.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ClientError } from '../errors';

export interface ReadBodyOptions {
  /** Gunzip the bytes as they arrive. */
  gzip: boolean;
  /** Largest number of bytes, as sent and (with gzip) after decompression. */
  limit: number;
}

export function tooLarge(limit: number, what: string): ClientError {
  return new ClientError(413, 'The body is too large.', [`${what} exceeds the limit of ${limit} bytes`]);
}

export function readBody(source: Readable, { gzip, limit }: ReadBodyOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;
    const gunzip = gzip ? createGunzip() : undefined;

    const finish = (error?: ClientError): void => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
      if (gunzip !== undefined) {
        gunzip.off('data', accept);
        gunzip.destroy();
      }
      if (error === undefined) {
        resolve(Buffer.concat(chunks, bodyBytes));
      } else {
        chunks.length = 0;
        source.on('error', ignore);
        source.resume();
        reject(error);
      }
    };

    const accept = (chunk: Buffer): void => {
      bodyBytes += chunk.length;
      if (bodyBytes > limit) finish(tooLarge(limit, gzip ? 'the decompressed body' : 'the body'));
      else chunks.push(chunk);
    };

    const onData = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > limit) {
        finish(tooLarge(limit, gzip ? 'the compressed body' : 'the body'));
      } else if (gunzip === undefined) {
        accept(chunk);
      } else if (!gunzip.write(chunk)) {
        source.pause();
        gunzip.once('drain', () => {
          if (!settled) source.resume();
        });
      }
    };

    const onEnd = (): void => {
      if (gunzip === undefined) finish();
      else gunzip.end();
    };

    const onError = (): void => {
      finish(new ClientError(400, 'The body could not be read.', ['the connection failed while the body was arriving']));
    };

    const onClose = (): void => {
      if (!source.readableEnded) onError();
    };

    if (gunzip !== undefined) {
      gunzip.on('data', accept);
      gunzip.on('end', () => finish());
      gunzip.on('error', (error: Error) => {
        finish(new ClientError(400, 'The body is not valid gzip.', [`gzip: ${error.message}`]));
      });
    }
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
  });
}

function ignore(): void {}
