/**
 * The collector's structured log: one JSON object per line (pino), with an ISO time and the
 * process id, so the lines of several collector processes can be told apart and searched.
 * What is logged is chosen where it is logged; nothing logs a body, a header or an address.
 */
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

export type CollectorLogger = Logger;

/** Logs that mention a request name its method and path only: no client address, no headers. */
export const privacyLogSerializers = {
  req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
  err: pino.stdSerializers.err,
};

export function createLogger(level: LogLevel, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true })): CollectorLogger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: privacyLogSerializers,
    },
    destination,
  );
}
