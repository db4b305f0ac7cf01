import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatewayRequest } from '../gateway/kommo-gateway.middleware';
import { KommoProblem } from '../http/problem';
import { OAuthService } from '../oauth/oauth.service';
import { AccountRecord, UserRecord } from '../store/model';

/** The authenticated caller of an `/api/*` request. */
export interface ApiContext {
  readonly account: AccountRecord;
  readonly user: UserRecord;
  readonly requestId: string;
}

type ApiRequest = GatewayRequest & { apiContext?: ApiContext };

const ADMIN_ONLY = 'kommo-sandbox:admin-only';

/** Kommo answers 403 to non-admin tokens on these endpoints (users, webhooks, widget install…). */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);

/**
 * Bearer access token → account + user. A token that is unknown, expired or belongs to a revoked
 * grant, or that is presented on another account's host, gets 401. Writes on an account whose
 * subscription is over get 402.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly oauth: OAuthService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const token = /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '')?.[1]?.trim();
    if (!token) throw KommoProblem.unauthorized();
    const check = this.oauth.authenticate(token);
    if (!check) throw KommoProblem.unauthorized();
    const gateway = request.gateway;
    if (gateway?.hostNamed && gateway.hostAccount?.id !== check.account.id) throw KommoProblem.unauthorized();
    if (check.account.paymentRequired && request.method !== 'GET') throw KommoProblem.of(402, 'Payment required');
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()]);
    if (adminOnly && !check.user.isAdmin) throw KommoProblem.scope();
    request.apiContext = { account: check.account, user: check.user, requestId: gateway?.requestId ?? '' };
    return true;
  }
}

export const Api = createParamDecorator((_: unknown, context: ExecutionContext): ApiContext => {
  const request = context.switchToHttp().getRequest<ApiRequest>();
  if (!request.apiContext) throw KommoProblem.unauthorized();
  return request.apiContext;
});
