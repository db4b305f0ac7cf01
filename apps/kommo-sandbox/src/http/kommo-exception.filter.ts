import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { KommoProblem, problem } from './problem';

/** Every error leaves the sandbox in Kommo's shape: problem+json with title/type/status/detail. */
@Catch()
export class KommoExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('KommoSandbox');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (response.headersSent) return;
    if (exception instanceof KommoProblem) {
      writeProblem(response, exception.getStatus(), exception.body, exception.contentType);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const hostName = request.get('x-forwarded-host') ?? request.get('host') ?? 'localhost';
      const detail =
        status === 404
          ? `Cannot ${request.method} https://${hostName}${request.originalUrl}`
          : status === 400
            ? 'Request body is not valid JSON'
            : exception.message;
      writeProblem(response, status, problem(status, detail));
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    writeProblem(response, 500, { title: 'ErrInternalServer', status: 500, detail: 'Internal error', trace_id: Date.now().toString(16) });
  }
}

export function writeProblem(response: Response, status: number, body: Record<string, unknown> | string | null, contentType = 'application/problem+json'): void {
  response.status(status);
  if (body === null || body === '') {
    response.end();
    return;
  }
  response.setHeader('content-type', `${contentType}; charset=utf-8`);
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}
