import { Controller, Get, HttpStatus, Inject, Logger, Query, Res, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { KOMMO_CLIENT_CONFIG } from '@app/application';
import {
  AuthorizationDeniedError,
  ConnectKommoAccountUseCase,
  DisconnectKommoAccountUseCase,
  UninstallSignatureInvalidError,
} from '@app/domain';
import { isValidUninstallSignature } from '@app/kommo';
import type { KommoClientConfig } from '@app/kommo';
import type { Response } from 'express';
import { toErrorBody } from '../common/domain-error.filter';
import { escapeHtml, page } from '../common/html';

type RawQuery = Record<string, unknown>;

/** A single string query value of bounded length, or null (arrays and objects are refused). */
function single(query: RawQuery, name: string, maxLength = 2048): string | null {
  const value = query[name];
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : null;
}

@Controller('kommo')
export class KommoOAuthController {
  private readonly logger = new Logger('KommoAuthentication');

  constructor(
    private readonly connectAccount: ConnectKommoAccountUseCase,
    private readonly disconnectAccount: DisconnectKommoAccountUseCase,
    @Inject(KOMMO_CLIENT_CONFIG) private readonly config: KommoClientConfig,
  ) {}

  /** Install start ("button" flow): 302 to Kommo's authorization page with a one-time state. */
  @Get('install')
  @UseGuards(AuthGuard('kommo-install'))
  install(): void {
    // The guard (passport-oauth2) has already answered with the redirect.
  }

  /**
   * Kommo's redirect: the button flow (`code`, `referer`, `state`) and the widget-install flow
   * (`code`, `referer`, `from_widget`, no state). Always answers a small HTML page (a browser sees it;
   * Kommo ignores it for widget installs). Nothing is stored unless the whole exchange succeeded.
   */
  @Get('oauth/callback')
  async callback(@Query() query: RawQuery, @Res() res: Response): Promise<void> {
    try {
      if (query.error !== undefined) throw new AuthorizationDeniedError();
      const clientId = single(query, 'client_id');
      if (clientId !== null && clientId !== this.config.clientId) {
        return this.answer(res, HttpStatus.BAD_REQUEST, 'Installation failed', 'This authorization was issued for another integration.');
      }
      const code = single(query, 'code');
      const referer = single(query, 'referer', 255);
      if (!code || !referer) {
        return this.answer(res, HttpStatus.BAD_REQUEST, 'Installation failed', 'The request must carry "code" and "referer" from Kommo.');
      }
      const result = await this.connectAccount.execute({
        code,
        referer,
        state: single(query, 'state', 256),
        fromWidget: query.from_widget !== undefined,
      });
      this.logger.log(`Account ${result.accountId} (${result.subdomain}) ${result.reconnected ? 're' : ''}connected`);
      return this.answer(
        res,
        HttpStatus.OK,
        'Connected',
        `Kommo account <code>${escapeHtml(result.subdomain)}</code> is connected. You can close this window.`,
        { accountId: result.accountId, subdomain: result.subdomain },
      );
    } catch (error) {
      const body = toErrorBody(error, this.logger);
      const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
      this.logger.warn(`Install callback refused: ${body.error}`);
      return this.answer(res, body.statusCode, 'Installation failed', escapeHtml(message));
    }
  }

  /** Kommo's uninstall hook: GET ?client_uuid&account_id&signature, HMAC checked in constant time. */
  @Get('uninstall')
  async uninstall(@Query() query: RawQuery): Promise<{ disconnected: boolean }> {
    const clientUuid = single(query, 'client_uuid', 64);
    const accountId = single(query, 'account_id', 20);
    const signature = single(query, 'signature', 128);
    if (
      !clientUuid ||
      !accountId ||
      !/^\d{1,15}$/.test(accountId) ||
      !signature ||
      !isValidUninstallSignature({ clientUuid, accountId, signature }, this.config)
    ) {
      throw new UninstallSignatureInvalidError();
    }
    const result = await this.disconnectAccount.execute({ accountId: Number(accountId) });
    this.logger.log(`Uninstall hook for account ${accountId}: ${result.disconnected ? 'disconnected' : 'unknown account'}`);
    return result;
  }

  private answer(res: Response, status: number, title: string, messageHtml: string, message?: object): void {
    const ok = status < 400;
    // In the popup (mode=post_message) tell the opener and close; otherwise just show the result.
    const script = `<script>if(window.opener){window.opener.postMessage(${JSON.stringify(
      JSON.stringify({ source: 'kommo-voip-install', ok, ...message }),
    )},'*');}</script>`;
    res
      .status(status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(page(title, `<h1 class="${ok ? 'ok' : 'err'}">${escapeHtml(title)}</h1><p>${messageHtml}</p>${script}`));
  }
}
