import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { writeProblem } from '../http/kommo-exception.filter';
import { problem, RATE_LIMIT_BODY, TITLES } from '../http/problem';
import { OAuthService } from '../oauth/oauth.service';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import { AccountRecord } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { Fault, FaultService } from './fault.service';
import { RateLimiterService } from './rate-limiter.service';
import { RequestLogService } from './request-log.service';

/** What the gateway learnt about a request to the Kommo surface, for the handlers. */
export interface GatewayInfo {
  readonly requestId: string;
  /** The account named by `X-Forwarded-Host` (or the Host header when it is an account host). */
  readonly hostAccount: AccountRecord | undefined;
  /** True when the request named a host at all (then it must match the token's account). */
  readonly hostNamed: boolean;
}

export type GatewayRequest = Request & { gateway?: GatewayInfo };

/**
 * Runs before every Kommo-surface handler (`/api/*`, `/oauth2/*`): request id, request log, the
 * abuse block (403), the rate limit (429) and injected faults, in that order.
 */
@Injectable()
export class KommoGatewayMiddleware implements NestMiddleware {
  constructor(
    private readonly store: SandboxStore,
    private readonly oauth: OAuthService,
    private readonly limiter: RateLimiterService,
    private readonly faults: FaultService,
    private readonly log: RequestLogService,
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {}

  use(req: GatewayRequest, res: Response, next: NextFunction): void {
    const requestId = randomBytes(8).toString('hex');
    res.setHeader('x-request-id', requestId);
    const path = req.path;
    const forwarded = req.get('x-forwarded-host');
    const hostHeader = req.get('host') ?? '';
    const hostAccount = forwarded !== undefined ? this.store.accountByHost(forwarded) : this.store.accountByHost(hostHeader);
    const hostNamed = forwarded !== undefined || hostAccount !== undefined;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const accountId = hostAccount?.id ?? (bearer ? this.oauth.accountOfToken(bearer) : null);
    req.gateway = { requestId, hostAccount, hostNamed };

    const entry = this.log.start({ requestId, at: Date.now(), accountId, method: req.method, path, endpoint: `${req.method} ${path}` });
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.durationMs = Date.now() - entry.at;
    });
    res.on('close', () => {
      entry.durationMs ??= Date.now() - entry.at;
    });

    if (forwarded !== undefined && !hostAccount) {
      writeProblem(res, 404, problem(404, `Account ${forwarded} not found`));
      return;
    }
    if (accountId !== null) {
      const isTokenEndpoint = path.startsWith('/oauth2/');
      if (this.limiter.isBlocked(accountId)) {
        entry.reason = 'abuse-block';
        writeProblem(res, 403, problem(403, 'Access denied: the account is blocked for exceeding the API request limits'));
        return;
      }
      if (!isTokenEndpoint || this.options.assumptions.rateLimitTokenEndpoint) {
        const decision = this.limiter.check(this.options.integration.clientId, accountId);
        if (decision.kind !== 'pass') {
          entry.reason = decision.kind === 'blocked' ? 'abuse-block' : 'rate-limit';
          if (decision.kind === 'blocked') writeProblem(res, 403, problem(403, 'Access denied: the account is blocked for exceeding the API request limits'));
          else writeProblem(res, 429, RATE_LIMIT_BODY(this.options.limits.retryAfterSeconds));
          return;
        }
      }
    }

    const itemCount = Array.isArray(req.body) ? (req.body as unknown[]).length : null;
    const fired = this.faults.take(accountId, req.method, path, itemCount);
    if (fired.length === 0) {
      next();
      return;
    }
    const delay = fired.filter((fault) => fault.kind === 'latency').reduce((sum, fault) => sum + fault.ms, 0);
    const answer = fired.find((fault) => fault.kind !== 'latency');
    const proceed = () => {
      if (!answer) {
        next();
        return;
      }
      entry.reason = `fault:${answer.kind}`;
      if (answer.kind === 'hang') return; // never answered; the client times out (the sandbox's close() drops it)
      if (answer.kind === 'commit-then-drop') {
        // The handler runs and commits; the connection is then dropped before any byte of the answer.
        const drop = () => {
          req.socket.destroy();
          return res;
        };
        res.writeHead = drop;
        res.write = () => drop() && true;
        res.end = drop;
        next();
        return;
      }
      this.oauthRecord(accountId, req, answer);
      writeFaultAnswer(res, answer, path, this.options.limits.retryAfterSeconds);
    };
    if (delay > 0) setTimeout(proceed, delay);
    else proceed();
  }

  /** Faulted token requests still appear in the account's OAuth history. */
  private oauthRecord(accountId: number | null, req: Request, fault: Fault): void {
    if (accountId === null || !req.path.startsWith('/oauth2/access_token')) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = typeof body.grant_type === 'string' ? body.grant_type : 'missing';
    this.oauth.record(accountId, { grantType, outcome: `fault:${fault.status}`, at: Date.now() });
  }
}

function writeFaultAnswer(res: Response, fault: Fault, path: string, retryAfter: number): void {
  const status = fault.status;
  if (fault.body === 'empty') {
    writeProblem(res, status, null);
    return;
  }
  if (fault.body === 'html') {
    const title = `${status} ${TITLES[status] ?? 'Error'}`;
    writeProblem(res, status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, 'text/html');
    return;
  }
  if (status === 429) {
    writeProblem(res, 429, RATE_LIMIT_BODY(retryAfter));
    return;
  }
  if (path.startsWith('/oauth2/')) {
    writeProblem(res, status, {
      hint: status >= 500 ? 'Internal error' : 'Request was refused',
      title: TITLES[status] ?? 'Error',
      type: 'https://developers.kommo.com/v3/errors/OAuthProblemJson',
      status,
      detail: status >= 500 ? 'Internal server error' : 'The request was refused by the authorization server',
    });
    return;
  }
  if (status === 500) {
    writeProblem(res, 500, { title: 'ErrInternalServer', status: 500, detail: 'Internal server error', trace_id: randomBytes(8).toString('hex') });
    return;
  }
  const details: Record<number, string> = {
    400: 'Request validation failed',
    401: 'Invalid user name or password',
    402: 'Payment required',
    403: "Client doesn't have the required scope",
    404: 'Not found',
  };
  writeProblem(res, status, problem(status, details[status] ?? TITLES[status] ?? 'Error'));
}
