import { BadRequestException, Logger } from '@nestjs/common';
import { CallWebhookNotStoredError } from '@app/domain';
import { toErrorBody } from './domain-error.filter';

describe('toErrorBody', () => {
  const logger = new Logger('test');
  beforeEach(() => jest.spyOn(logger, 'error').mockImplementation(() => undefined));

  const httpError = (status: number, type: string, expose = true) => Object.assign(new Error('raw parser message'), { status, type, expose });

  it('answers body-parser client errors with their status, not 500', () => {
    expect(toErrorBody(httpError(413, 'entity.too.large'), logger)).toEqual({ statusCode: 413, error: 'BadRequestBody', message: 'Request body too large' });
    expect(toErrorBody(httpError(400, 'entity.parse.failed'), logger)).toMatchObject({ statusCode: 400, message: 'Malformed request body' });
    expect(toErrorBody(httpError(415, 'charset.unsupported'), logger)).toMatchObject({ statusCode: 415, message: 'raw parser message' });
  });

  it('hides errors that are not meant to be exposed behind a 500 with a correlation id', () => {
    const body = toErrorBody(httpError(400, 'x', false), logger);
    expect(body).toMatchObject({ statusCode: 500, message: 'Internal error' });
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(toErrorBody(Object.assign(new Error('db down'), { status: 503, expose: true }), logger).statusCode).toBe(500);
  });

  it('keeps Nest HTTP exceptions as they are', () => {
    expect(toErrorBody(new BadRequestException(['a is bad']), logger)).toMatchObject({ statusCode: 400, message: ['a is bad'] });
  });

  it('answers 503 (not 500) when a webhook could not be stored anywhere, without the storage errors in the body', () => {
    const body = toErrorBody(new CallWebhookNotStoredError('Error: connect ECONNREFUSED 127.0.0.1:5432', 'Error: Connection is closed.'), logger);
    expect(body).toEqual({ statusCode: 503, error: 'VOIP.WEBHOOK_NOT_STORED', message: 'The delivery could not be stored (inbox and spool unavailable); send it again later' });
  });
});
