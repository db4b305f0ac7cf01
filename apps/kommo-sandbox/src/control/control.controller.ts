import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query, UseGuards } from '@nestjs/common';
import { type FaultInput, FaultService } from '../gateway/fault.service';
import { RateLimiterService } from '../gateway/rate-limiter.service';
import { RequestLogService } from '../gateway/request-log.service';
import { KommoProblem, problem } from '../http/problem';
import { OAuthService } from '../oauth/oauth.service';
import { SeedDefinition } from '../seed/seed.types';
import { AccountRecord, EntityPlural } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { ControlPlaneGuard } from './control-plane.guard';
import { sendGet } from './outgoing-http';

type Json = Record<string, unknown>;

const INSTALL_TIMEOUT_MS = 3000;

/** Test control plane (`/_sandbox`): reset/seed, OAuth helpers, faults, state and request-log inspection. */
@Controller('_sandbox')
@UseGuards(ControlPlaneGuard)
export class ControlController {
  constructor(
    private readonly store: SandboxStore,
    private readonly oauth: OAuthService,
    private readonly faults: FaultService,
    private readonly log: RequestLogService,
    private readonly limiter: RateLimiterService,
  ) {}

  @Post('reset')
  @HttpCode(200)
  reset(@Body() body: Json): Json {
    const seed = body?.seed ?? 'demo';
    if (seed !== 'demo' && seed !== 'empty' && !isSeed(seed)) throw KommoProblem.of(400, "seed must be 'demo', 'empty' or { accounts: [...] }");
    this.store.reset(seed);
    return { ok: true, accounts: [...this.store.crm.accounts.keys()] };
  }

  @Post('oauth/authorize')
  @HttpCode(200)
  authorize(@Body() body: Json): Json {
    const account = this.account(Number(body.accountId));
    const user = this.userOrAdmin(account, body.userId);
    const state = typeof body.state === 'string' ? body.state : undefined;
    return { location: this.oauth.redirectLocation(account, this.oauth.issueCode(account.id, user.id), state) };
  }

  @Post('accounts/:id/widget-install')
  @HttpCode(200)
  async widgetInstall(@Param('id', ParseIntPipe) id: number, @Body() body: Json): Promise<Json> {
    const account = this.account(id);
    const user = this.userOrAdmin(account, body?.userId);
    const location = this.oauth.redirectLocation(account, this.oauth.issueCode(account.id, user.id), undefined, true);
    return { status: await sendGet(location, INSTALL_TIMEOUT_MS), url: location };
  }

  @Post('accounts/:id/uninstall')
  @HttpCode(200)
  async uninstall(@Param('id', ParseIntPipe) id: number, @Body() body: Json): Promise<Json> {
    const account = this.account(id);
    const revoked = this.oauth.revoke(account.id);
    const hook = this.oauth.integration.uninstallHookUrl;
    if (!hook) return { status: null, revokedGrants: revoked };
    const url = new URL(hook);
    url.searchParams.set('client_uuid', this.oauth.integration.clientId);
    url.searchParams.set('account_id', String(account.id));
    url.searchParams.set('signature', typeof body?.signature === 'string' ? body.signature : this.oauth.uninstallSignature(account.id));
    const status = await sendGet(url.toString(), INSTALL_TIMEOUT_MS, { 'user-agent': 'amoService-oAuth-Code-Sender/1.0' });
    return { status, revokedGrants: revoked, url: url.toString() };
  }

  @Post('accounts/:id/jwt')
  @HttpCode(200)
  jwt(@Param('id', ParseIntPipe) id: number, @Body() body: Json): Json {
    const account = this.account(id);
    const { userId, ttlSeconds, secret, ...claims } = body ?? {};
    const user = this.store.user(account.id, Number(userId));
    if (!user) throw KommoProblem.of(400, `user ${String(userId)} is not a user of account ${account.id}`);
    const token = this.oauth.widgetJwt(
      account,
      user,
      claims,
      typeof ttlSeconds === 'number' ? ttlSeconds : undefined,
      typeof secret === 'string' ? secret : undefined,
    );
    return { token };
  }

  @Get('accounts/:id/oauth')
  oauthHistory(@Param('id', ParseIntPipe) id: number): Json {
    this.account(id);
    return { ...this.oauth.historyOf(id), refreshTokens: this.oauth.refreshChainOf(id) };
  }

  @Post('accounts/:id/oauth/expire-access-tokens')
  @HttpCode(200)
  expire(@Param('id', ParseIntPipe) id: number): Json {
    this.account(id);
    return { expired: this.oauth.expireAccessTokens(id) };
  }

  @Post('accounts/:id/oauth/revoke')
  @HttpCode(200)
  revoke(@Param('id', ParseIntPipe) id: number): Json {
    this.account(id);
    return { revokedGrants: this.oauth.revoke(id) };
  }

  @Post('accounts/:id/payment')
  @HttpCode(200)
  payment(@Param('id', ParseIntPipe) id: number, @Body() body: Json): Json {
    const account = this.account(id);
    account.paymentRequired = body?.required === true;
    return { paymentRequired: account.paymentRequired };
  }

  @Post('faults')
  @HttpCode(200)
  addFault(@Body() body: Json): Json {
    const input: FaultInput = body ?? {};
    const fault = this.faults.add(input);
    if (typeof fault === 'string') throw KommoProblem.of(400, fault);
    return { fault };
  }

  @Get('faults')
  listFaults(): Json {
    return { faults: this.faults.list() };
  }

  @Delete('faults')
  @HttpCode(200)
  clearFaults(): Json {
    this.faults.clear();
    return { ok: true };
  }

  /** Request log: counts per account and endpoint, the busiest 1 s window, every 429/403 served. */
  @Get('requests')
  requests(@Query() query: Json): Json {
    const accountId = query.accountId === undefined ? undefined : Number(query.accountId);
    const accounts = accountId === undefined ? [...this.store.crm.accounts.keys()] : [accountId];
    return {
      counts: this.log.counts(accountId),
      maxPerSecond: Object.fromEntries(accounts.map((id) => [String(id), this.log.maxPerSecond(id).max])),
      refusals: this.log.refusals(accountId),
      blocked: this.limiter.blockedAccounts(),
      ...(query.entries === '1' || query.entries === 'true' ? { entries: this.log.list(accountId === undefined ? {} : { accountId }) } : {}),
    };
  }

  @Get('accounts/:id/requests')
  accountRequests(@Param('id', ParseIntPipe) id: number): Json {
    this.account(id);
    const max = this.log.maxPerSecond(id);
    return {
      counts: this.log.counts(id)[String(id)] ?? {},
      maxPerSecond: max.max,
      busiestWindowStart: max.windowStart,
      refusals: this.log.refusals(id),
      blocked: this.limiter.isBlocked(id),
      entries: this.log.list({ accountId: id }),
    };
  }

  /** Everything the integration wrote into an account. */
  @Get('accounts/:id/state')
  state(@Param('id', ParseIntPipe) id: number): Json {
    this.account(id);
    return {
      calls: this.calls(id).calls,
      notes: this.notes(id, {}).notes,
      unsorted: this.unsorted(id).unsorted,
      tasks: this.tasks(id).tasks,
      notifications: this.notifications(id, {}).notifications,
      webhooks: this.webhooks(id),
      widgets: [...this.store.crm.widgets.values()].filter((widget) => widget.accountId === id),
      contacts: [...this.store.crm.contacts.values()].filter((record) => record.accountId === id),
      companies: [...this.store.crm.companies.values()].filter((record) => record.accountId === id),
      leads: [...this.store.crm.leads.values()].filter((record) => record.accountId === id),
      refreshTokens: this.oauth.refreshChainOf(id),
    };
  }

  @Get('accounts/:id/calls')
  calls(@Param('id', ParseIntPipe) id: number): { calls: unknown[] } {
    return { calls: this.store.crm.calls.filter((call) => call.accountId === id) };
  }

  /** Notes per entity: `?entityType=contacts&entityId=310001` (both optional). */
  @Get('accounts/:id/notes')
  notes(@Param('id', ParseIntPipe) id: number, @Query() query: Json): { notes: unknown[] } {
    const entityType = typeof query.entityType === 'string' ? (query.entityType as EntityPlural) : undefined;
    const entityId = query.entityId === undefined ? undefined : Number(query.entityId);
    return {
      notes: [...this.store.crm.notes.values()].filter(
        (note) =>
          note.accountId === id && (entityType === undefined || note.entityType === entityType) && (entityId === undefined || note.entityId === entityId),
      ),
    };
  }

  @Get('accounts/:id/unsorted')
  unsorted(@Param('id', ParseIntPipe) id: number): { unsorted: unknown[] } {
    return { unsorted: [...this.store.crm.unsorted.values()].filter((item) => item.accountId === id) };
  }

  @Get('accounts/:id/tasks')
  tasks(@Param('id', ParseIntPipe) id: number): { tasks: unknown[] } {
    return { tasks: [...this.store.crm.tasks.values()].filter((task) => task.accountId === id) };
  }

  /** Notifications per user (`?userId=1002`). */
  @Get('accounts/:id/notifications')
  notifications(@Param('id', ParseIntPipe) id: number, @Query() query: Json): { notifications: unknown[] } {
    const userId = query.userId === undefined ? undefined : Number(query.userId);
    return {
      notifications: this.store.crm.notifications.filter((item) => item.accountId === id && (userId === undefined || item.userId === userId)),
    };
  }

  @Get('accounts/:id/webhooks')
  webhooksState(@Param('id', ParseIntPipe) id: number): Json {
    return this.webhooks(id);
  }

  private webhooks(id: number): Json {
    return {
      subscriptions: [...this.store.crm.webhooks.values()].filter((hook) => hook.accountId === id),
      deliveries: this.store.crm.webhookDeliveries.filter((delivery) => delivery.accountId === id),
    };
  }

  private account(id: number): AccountRecord {
    const account = this.store.crm.accounts.get(id);
    if (!account) throw new KommoProblem(404, problem(404, `No account ${id} in the sandbox`));
    return account;
  }

  private userOrAdmin(account: AccountRecord, userId: unknown) {
    const user =
      userId === undefined || userId === null
        ? this.store.usersOf(account.id).find((candidate) => candidate.isAdmin && candidate.isActive)
        : this.store.user(account.id, Number(userId));
    if (!user) throw KommoProblem.of(400, `user ${String(userId)} is not a user of account ${account.id}`);
    return user;
  }
}

function isSeed(value: unknown): value is SeedDefinition {
  return typeof value === 'object' && value !== null && Array.isArray((value as Json).accounts);
}
