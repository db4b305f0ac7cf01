import type { Request } from 'express';

/** The exact bytes of the request body, kept by the body parsers (see configureApp) for signatures. */
export type RequestWithRawBody = Request & { rawBody?: Buffer };

export function rawBodyOf(request: RequestWithRawBody): Buffer {
  return request.rawBody ?? Buffer.alloc(0);
}
