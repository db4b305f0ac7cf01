import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { AccountBlockedError, AccountNeedsReauthError, AccountNotConnectedError, CallActionError, CallActionFailure } from '@app/domain';
import { KommoApiError } from '@app/kommo';
import type { Response } from 'express';
import { toErrorBody } from '../common/domain-error.filter';

const STATUS_OF_FAILURE: Readonly<Record<CallActionFailure, number>> = {
  invalid_number: HttpStatus.BAD_REQUEST,
  invalid_request: HttpStatus.BAD_REQUEST,
  not_mapped: HttpStatus.CONFLICT,
  not_configured: HttpStatus.CONFLICT,
  not_connected: HttpStatus.CONFLICT,
  not_supported: HttpStatus.CONFLICT,
  provider_error: HttpStatus.BAD_GATEWAY,
  provider_unreachable: HttpStatus.BAD_GATEWAY,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
};

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'invalid_request',
};

export interface CallActionErrorBody {
  readonly statusCode: number;
  /** Machine code the widget maps to a message (contract of the widget's call endpoints). */
  readonly code: string;
  readonly message: string | readonly string[];
  /** The provider's own error code (e.g. Twilio 21211), when it refused. */
  readonly providerCode?: string;
  readonly correlationId?: string;
}

/**
 * Errors of the widget's call endpoints: always JSON with `message` and a machine `code` (`invalid_number`,
 * `not_mapped`, `not_configured`, `not_connected`, `not_supported`, `provider_error`, `provider_unreachable`,
 * `not_found`, `forbidden`, `invalid_request`, `unauthorized`, `kommo_unavailable`, `kommo_not_connected`).
 */
@Catch()
export class CallActionErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('WidgetCalls');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = this.bodyOf(exception);
    response.status(body.statusCode).json(body);
  }

  private bodyOf(exception: unknown): CallActionErrorBody {
    if (exception instanceof CallActionError) {
      const statusCode = exception.reason === 'provider_unreachable' && exception.details.timedOut ? HttpStatus.GATEWAY_TIMEOUT : STATUS_OF_FAILURE[exception.reason];
      const providerCode = exception.details.providerCode ?? undefined;
      return { statusCode, code: exception.reason, message: exception.message, ...(providerCode ? { providerCode } : {}) };
    }
    if (exception instanceof AccountNeedsReauthError || exception instanceof AccountNotConnectedError || exception instanceof AccountBlockedError) {
      return { statusCode: HttpStatus.CONFLICT, code: 'kommo_not_connected', message: exception.message };
    }
    if (exception instanceof KommoApiError) {
      this.logger.warn(`Kommo read failed: ${exception.message}`);
      return { statusCode: HttpStatus.BAD_GATEWAY, code: 'kommo_unavailable', message: 'Kommo did not answer; try again in a moment' };
    }
    const body = toErrorBody(exception, this.logger);
    const code = exception instanceof HttpException ? (CODE_OF_STATUS[body.statusCode] ?? 'error') : body.statusCode >= 500 ? 'internal_error' : 'error';
    return { statusCode: body.statusCode, code, message: body.message, ...(body.correlationId ? { correlationId: body.correlationId } : {}) };
  }
}
