/**
 * Every 4xx answer has the same JSON body: `{ error: "<one sentence>", problems: ["..."] }`.
 * Route code throws a ClientError; the server's error handler turns it (and Fastify's own 4xx
 * errors) into that body, and anything else into a 500 that shows no internals.
 */

export interface ErrorBody {
  error: string;
  problems: string[];
}

/** One problem string is capped so a reply never echoes a huge client-chosen key or value. */
const MAX_PROBLEM_CHARS = 300;

export class ClientError extends Error {
  readonly problems: string[];

  constructor(
    readonly statusCode: number,
    error: string,
    problems: readonly string[],
  ) {
    super(error);
    this.name = 'ClientError';
    this.problems = (problems.length > 0 ? problems : [error]).map(clip);
  }

  body(): ErrorBody {
    return { error: this.message, problems: this.problems };
  }
}

export function clip(text: string): string {
  return text.length <= MAX_PROBLEM_CHARS ? text : `${text.slice(0, MAX_PROBLEM_CHARS - 1)}…`;
}

/** The one-sentence `error` for a 4xx that did not come with its own. */
export function sentenceFor(statusCode: number): string {
  switch (statusCode) {
    case 400:
      return 'The request is malformed.';
    case 401:
      return 'The request needs a withdrawal token.';
    case 403:
      return 'The withdrawal token does not match.';
    case 404:
      return 'Nothing is here.';
    case 405:
      return 'That method is not allowed here.';
    case 408:
      return 'The request took too long to arrive.';
    case 413:
      return 'The body is too large.';
    case 415:
      return 'The body must be JSON (Content-Type: application/json).';
    case 429:
      return 'Too many requests from this address; try again later.';
    default:
      return 'The request cannot be handled.';
  }
}
