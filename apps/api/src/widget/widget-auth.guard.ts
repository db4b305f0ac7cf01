import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { KOMMO_ACCOUNT_REPOSITORY, KOMMO_USER_REPOSITORY } from '@app/application';
import { KommoAccountStatus, SettingsActor } from '@app/domain';
import type { KommoAccountRepository, KommoUserRepository } from '@app/domain';
import { KommoWidgetTokenVerifier, WidgetTokenError } from '@app/kommo';
import type { Request } from 'express';

interface WidgetRequest extends Request {
  widgetActor?: SettingsActor;
}

/**
 * Authenticates widget calls with Kommo's `X-Auth-Token` JWT. The tenant comes ONLY from the verified
 * claims; the account must have installed the integration and the token's issuer must be its host.
 * Admin: the token's `is_admin` claim when present, otherwise the synced Kommo user's rights.
 */
@Injectable()
export class WidgetAuthGuard implements CanActivate {
  private readonly logger = new Logger('WidgetAuth');

  constructor(
    private readonly verifier: KommoWidgetTokenVerifier,
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(KOMMO_USER_REPOSITORY) private readonly users: KommoUserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WidgetRequest>();
    const token = request.header('x-auth-token');
    if (!token) throw new UnauthorizedException('X-Auth-Token header is missing');
    let claims;
    try {
      claims = this.verifier.verify(token, new Date());
    } catch (error) {
      if (error instanceof WidgetTokenError) {
        this.logger.warn(`Widget token refused: ${error.reason}`);
        throw new UnauthorizedException(error.message);
      }
      throw error;
    }
    const account = await this.accounts.findById(claims.accountId);
    if (!account || account.status === KommoAccountStatus.Disconnected) {
      throw new UnauthorizedException('The integration is not installed in this Kommo account');
    }
    if (account.host !== claims.issuerHost) {
      this.logger.warn(`Widget token for account ${claims.accountId} issued by a foreign host`);
      throw new UnauthorizedException('Invalid widget token: issuer does not match the account');
    }
    const isAdmin = claims.isAdmin ?? (await this.users.findOne(claims.accountId, claims.userId))?.isAdmin ?? false;
    request.widgetActor = { accountId: claims.accountId, userId: claims.userId, isAdmin };
    return true;
  }
}

/** The verified actor of a widget request (set by WidgetAuthGuard). */
export const WidgetActor = createParamDecorator((_data: unknown, context: ExecutionContext): SettingsActor => {
  const actor = context.switchToHttp().getRequest<WidgetRequest>().widgetActor;
  if (!actor) throw new UnauthorizedException();
  return actor;
});
