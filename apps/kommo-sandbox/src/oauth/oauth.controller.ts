import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { GatewayRequest } from '../gateway/kommo-gateway.middleware';
import { writeProblem } from '../http/kommo-exception.filter';
import { escapeHtml, page } from '../view/html';
import { SandboxStore } from '../store/sandbox-store';
import { OAuthService } from './oauth.service';

/**
 * The OAuth surface of Kommo: the consent page (`www.kommo.com/oauth`) and the token endpoint
 * (`POST https://{account host}/oauth2/access_token`).
 */
@Controller()
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly store: SandboxStore,
  ) {}

  @Get('oauth')
  consentPage(@Query() query: Record<string, unknown>, @Res() res: Response): void {
    const clientId = typeof query.client_id === 'string' ? query.client_id : '';
    const state = typeof query.state === 'string' ? query.state : '';
    const mode = typeof query.mode === 'string' ? query.mode : 'post';
    if (clientId !== this.oauth.integration.clientId) {
      res.status(400).type('html').send(page('Unknown integration', `<h1>Unknown integration</h1><p>No integration with client_id <code>${escapeHtml(clientId)}</code>.</p>`));
      return;
    }
    const accounts = [...this.store.crm.accounts.values()];
    const cards = accounts
      .map((account) => {
        const users = this.store.usersOf(account.id).filter((user) => user.isActive);
        const options = users
          .map((user) => `<option value="${user.id}">${escapeHtml(user.name)} (${user.isAdmin ? 'admin' : 'manager'}, #${user.id})</option>`)
          .join('');
        return `<form class="card consent" method="post" action="/oauth/decide">
  <input type="hidden" name="client_id" value="${escapeHtml(clientId)}">
  <input type="hidden" name="state" value="${escapeHtml(state)}">
  <input type="hidden" name="mode" value="${escapeHtml(mode)}">
  <input type="hidden" name="account_id" value="${account.id}">
  <h2>${escapeHtml(account.name)}</h2>
  <p class="muted">${escapeHtml(this.store.hostOf(account))} · account #${account.id}</p>
  <label>Signed in as <select name="user_id">${options}</select></label>
  <div class="actions">
    <button class="btn primary" type="submit" name="decision" value="allow" data-account="${account.id}">Allow for account ${escapeHtml(account.name)}</button>
    <button class="btn" type="submit" name="decision" value="deny">Decline</button>
  </div>
</form>`;
      })
      .join('\n');
    res
      .status(200)
      .type('html')
      .send(
        page(
          'Kommo — authorize integration',
          `<h1>Grant access</h1><p>The integration <code>${escapeHtml(clientId)}</code> asks for access to your Kommo account (scopes: crm, notifications).</p>
<div class="grid">${cards || '<p>No accounts in the sandbox.</p>'}</div>`,
        ),
      );
  }

  @Post('oauth/decide')
  decide(@Body() body: Record<string, unknown>, @Res() res: Response): void {
    const accountId = Number(body.account_id);
    const account = this.store.crm.accounts.get(accountId);
    const state = typeof body.state === 'string' ? body.state : undefined;
    if (body.client_id !== this.oauth.integration.clientId || !account) {
      res.status(400).type('html').send(page('Bad request', '<h1>Bad request</h1>'));
      return;
    }
    if (body.decision !== 'allow') {
      res.redirect(302, this.oauth.deniedLocation(state));
      return;
    }
    const user = this.store.user(accountId, Number(body.user_id)) ?? this.store.usersOf(accountId).find((candidate) => candidate.isAdmin);
    if (!user) {
      res.status(400).type('html').send(page('Bad request', '<h1>No such user</h1>'));
      return;
    }
    res.redirect(302, this.oauth.redirectLocation(account, this.oauth.issueCode(account.id, user.id), state));
  }

  @Post('oauth2/access_token')
  token(@Req() req: GatewayRequest, @Body() body: unknown, @Res() res: Response): void {
    const outcome = this.oauth.exchange(body, req.gateway?.hostAccount);
    if (outcome.ok) {
      res.status(200).setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(outcome.pair));
      return;
    }
    writeProblem(res, outcome.status, {
      hint: outcome.hint,
      title: outcome.status === 401 ? 'Unauthorized' : 'Bad Request',
      type: 'https://developers.kommo.com/v3/errors/OAuthProblemJson',
      status: outcome.status,
      detail: outcome.detail,
    });
  }
}
