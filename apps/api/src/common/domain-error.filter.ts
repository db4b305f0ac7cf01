import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, InvalidSettingsError } from '@app/domain';
import type { Response } from 'express';

/** Domain error codes → HTTP status. Centralised so controllers never speak about status codes. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  'KOMMO.INSTALL_STATE_INVALID': HttpStatus.BAD_REQUEST,
  'KOMMO.FOREIGN_REFERER': HttpStatus.BAD_REQUEST,
  'KOMMO.AUTHORIZATION_DENIED': HttpStatus.BAD_REQUEST,
  'KOMMO.AUTHORIZATION_CODE_REJECTED': HttpStatus.BAD_REQUEST,
  'KOMMO.UNAVAILABLE': HttpStatus.BAD_GATEWAY,
  'KOMMO.INVALID_GRANT': HttpStatus.CONFLICT,
  'KOMMO.ACCOUNT_NOT_CONNECTED': HttpStatus.CONFLICT,
  'KOMMO.ACCOUNT_NEEDS_REAUTH': HttpStatus.CONFLICT,
  'KOMMO.ACCOUNT_BLOCKED': HttpStatus.CONFLICT,
  'KOMMO.UNINSTALL_SIGNATURE_INVALID': HttpStatus.FORBIDDEN,
  'SETTINGS.NOT_ACCOUNT_ADMIN': HttpStatus.FORBIDDEN,
  'SETTINGS.INVALID': HttpStatus.BAD_REQUEST,
  'VOIP.INVALID_EXTENSION_MAPPING': HttpStatus.BAD_REQUEST,
  // Neither the inbox (PostgreSQL) nor the spool (Redis) could store a webhook: the provider should send it again.
  'VOIP.WEBHOOK_NOT_STORED': HttpStatus.SERVICE_UNAVAILABLE,
};

/** A 503 tells the sender when to try again. */
const RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string | readonly string[];
  readonly correlationId?: string;
}

/** Maps any error to `{statusCode, error, message}`. Unknown errors: 500 + a correlation id, logged without secrets. */
export function toErrorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof DomainError) {
    const statusCode = STATUS_OF_CODE[exception.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
    const problems = (exception as DomainError & { problems?: unknown }).problems;
    const message = exception instanceof InvalidSettingsError || Array.isArray(problems) ? (problems as readonly string[]) : exception.message;
    return { statusCode, error: exception.code, message };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: string | string[] }).message
        : exception.message;
    return { statusCode: exception.getStatus(), error: exception.name, message };
  }
  const clientError = bodyParserError(exception);
  if (clientError) return clientError;
  const correlationId = randomUUID();
  const name = exception instanceof Error ? exception.name : typeof exception;
  logger.error(`Unhandled ${name} (correlation ${correlationId})`, exception instanceof Error ? exception.stack : undefined);
  return { statusCode: 500, error: 'InternalServerError', message: 'Internal error', correlationId };
}

/** Errors of the body parsers (http-errors with `expose`): too large, malformed, unsupported charset. */
function bodyParserError(exception: unknown): ErrorBody | null {
  if (!(exception instanceof Error)) return null;
  const { status, expose, type } = exception as Error & { status?: unknown; expose?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return null;
  const messages: Readonly<Record<string, string>> = {
    'entity.too.large': 'Request body too large',
    'entity.parse.failed': 'Malformed request body',
  };
  return { statusCode: status, error: 'BadRequestBody', message: (typeof type === 'string' && messages[type]) || exception.message };
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception, this.logger);
    if (response.headersSent) return;
    if (body.statusCode === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(body.statusCode).json(body);
  }
}
