import { HttpException } from '@nestjs/common';

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ValidationError {
  readonly code: string;
  readonly path: string;
  readonly detail: string;
}

export interface ValidationErrorGroup {
  readonly request_id: string;
  readonly errors: ValidationError[];
}

/** Kommo's error envelope (`application/problem+json`). */
export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: TITLES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail, ...extra };
}

/** Thrown by handlers; the exception filter writes it as problem+json (or another content type). */
export class KommoProblem extends HttpException {
  constructor(
    status: number,
    readonly body: Record<string, unknown> | string | null,
    readonly contentType = 'application/problem+json',
  ) {
    super(typeof body === 'object' && body !== null ? body : { body }, status);
  }

  static of(status: number, detail: string, extra: Record<string, unknown> = {}): KommoProblem {
    return new KommoProblem(status, problem(status, detail, extra));
  }

  static validation(groups: ValidationErrorGroup[]): KommoProblem {
    return new KommoProblem(400, problem(400, 'Request validation failed', { 'validation-errors': groups }));
  }

  static empty(): KommoProblem {
    return KommoProblem.of(400, 'Request data can not be empty');
  }

  static unauthorized(): KommoProblem {
    return KommoProblem.of(401, 'Invalid user name or password');
  }

  static scope(): KommoProblem {
    return KommoProblem.of(403, "Client doesn't have the required scope");
  }

  static notFound(detail = 'Not found'): KommoProblem {
    return KommoProblem.of(404, detail);
  }
}

export const RATE_LIMIT_BODY = (retryAfter: number): Record<string, unknown> => ({
  title: 'Too Many Requests',
  type: 'https://httpstatus.es/429',
  status: 429,
  detail: 'You have sent too many requests in a given amount of time. Please try again later.',
  retry_after: retryAfter,
});
