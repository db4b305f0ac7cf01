import { Body, Controller, Delete, Get, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { listParam, sendHal } from '../http/hal';
import { KommoProblem } from '../http/problem';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import { WebhookRecord } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { AdminOnly, Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { err, Item } from './body';
import { Serializer } from './serializers';

const EVENT_CODES = [
  ...['lead', 'contact', 'company', 'customer'].flatMap((entity) =>
    ['add', 'update', 'delete', 'restore', 'status', 'responsible', 'note'].map((action) => `${action}_${entity}`),
  ),
  'add_task',
  'update_task',
  'delete_task',
  'responsible_task',
  'add_unsorted',
  'update_unsorted',
  'delete_unsorted',
  'add_talk',
  'update_talk',
  'add_message',
  'add_catalog',
  'update_catalog',
  'delete_catalog',
];

/** Admin-only: account webhooks (`/api/v4/webhooks`) and widget install (`POST /api/v4/widgets/{code}`). */
@Controller('api/v4')
@UseGuards(ApiAuthGuard)
@AdminOnly()
export class WebhooksController {
  constructor(
    private readonly store: SandboxStore,
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {}

  @Get('webhooks')
  list(@Api() api: ApiContext, @Query() query: Record<string, unknown>, @Res() res: Response): void {
    const destinations = listParam(((query.filter ?? {}) as Item).destination);
    const hooks = this.hooksOf(api.account.id).filter((hook) => destinations.length === 0 || destinations.includes(hook.destination));
    if (hooks.length === 0) return sendHal(res, 204, null);
    sendHal(res, 200, { _total_items: hooks.length, _links: { self: Serializer.for(this.store, api.account).link('/api/v4/webhooks') }, _embedded: { webhooks: hooks.map((hook) => this.serialize(hook)) } });
  }

  @Post('webhooks')
  subscribe(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : null) as Item | null;
    if (!input || Object.keys(input).length === 0) throw KommoProblem.empty();
    const errors = [];
    const destination = typeof input.destination === 'string' ? input.destination : '';
    if (!/^https?:\/\/\S+$/.test(destination)) errors.push(err.required('destination'));
    const settings = Array.isArray(input.settings) ? input.settings.map(String) : [];
    if (settings.length === 0) errors.push(err.required('settings'));
    settings.forEach((code, index) => {
      if (!EVENT_CODES.includes(code)) errors.push(err.choice(`settings.${index}`));
    });
    if (errors.length > 0) throw KommoProblem.validation([{ request_id: '0', errors }]);
    if (this.hooksOf(api.account.id).length >= 100 && !this.hooksOf(api.account.id).some((hook) => hook.destination === destination)) {
      throw KommoProblem.of(400, 'Webhooks limit exceeded');
    }
    const now = this.store.now();
    const existing = this.hooksOf(api.account.id).find((hook) => hook.destination === destination);
    const hook: WebhookRecord = existing ?? {
      id: this.store.crm.nextId('webhook'),
      accountId: api.account.id,
      destination,
      settings: [],
      sort: 10,
      disabled: false,
      createdBy: api.user.id,
      createdAt: now,
      updatedAt: now,
    };
    hook.settings = settings;
    hook.sort = typeof input.sort === 'number' ? input.sort : hook.sort;
    hook.disabled = false;
    hook.updatedAt = now;
    this.store.crm.webhooks.set(hook.id, hook);
    sendHal(res, 200, this.serialize(hook));
  }

  @Delete('webhooks')
  unsubscribe(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : null) as Item | null;
    if (!input || typeof input.destination !== 'string') throw KommoProblem.validation([{ request_id: '0', errors: [err.required('destination')] }]);
    const hook = this.hooksOf(api.account.id).find((candidate) => candidate.destination === input.destination);
    if (!hook) throw KommoProblem.notFound('Webhook not found');
    this.store.crm.webhooks.delete(hook.id);
    sendHal(res, 204, null);
  }

  @Get('widgets/:code')
  widget(@Api() api: ApiContext, @Param('code') code: string, @Res() res: Response): void {
    this.knownWidget(code);
    sendHal(res, 200, this.widgetBody(api, code));
  }

  /** Installs (or updates) the widget with its settings values (`users` fields are `{user_id: value}`). */
  @Post('widgets/:code')
  install(@Api() api: ApiContext, @Param('code') code: string, @Body() body: unknown, @Res() res: Response): void {
    this.knownWidget(code);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw KommoProblem.validation([{ request_id: '0', errors: [err.type('', 'object')] }]);
    }
    const settings = body as Item;
    for (const [key, value] of Object.entries(settings)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const bad = Object.keys(value as Item).filter((userId) => !this.store.user(api.account.id, Number(userId)));
        if (bad.length > 0) throw KommoProblem.validation([{ request_id: '0', errors: [err.choice(`${key}.${bad[0]}`)] }]);
      }
    }
    this.store.crm.widgets.set(`${api.account.id}:${code}`, { accountId: api.account.id, code, settings, installedBy: api.user.id, updatedAt: this.store.now() });
    sendHal(res, 200, this.widgetBody(api, code));
  }

  @Delete('widgets/:code')
  uninstallWidget(@Api() api: ApiContext, @Param('code') code: string, @Res() res: Response): void {
    this.knownWidget(code);
    this.store.crm.widgets.delete(`${api.account.id}:${code}`);
    sendHal(res, 204, null);
  }

  private widgetBody(api: ApiContext, code: string): Item {
    const installed = this.store.crm.widgets.get(`${api.account.id}:${code}`);
    return {
      id: 1,
      code,
      version: '1.0.0',
      rating: '0',
      settings_template: [],
      is_lead_source: false,
      is_work_with_dp: false,
      is_crm_template: false,
      client_uuid: this.options.integration.clientId,
      is_active_in_account: installed !== undefined,
      pipeline_id: null,
      settings: installed?.settings ?? [],
      _links: { self: Serializer.for(this.store, api.account).link(`/api/v4/widgets/${code}`) },
    };
  }

  private knownWidget(code: string): void {
    if (code !== this.options.integration.widgetCode) throw KommoProblem.notFound(`Widget ${code} not found`);
  }

  private hooksOf(accountId: number): WebhookRecord[] {
    return [...this.store.crm.webhooks.values()].filter((hook) => hook.accountId === accountId);
  }

  private serialize(hook: WebhookRecord): Item {
    return {
      id: hook.id,
      destination: hook.destination,
      created_by: hook.createdBy,
      created_at: hook.createdAt,
      updated_at: hook.updatedAt,
      sort: hook.sort,
      disabled: hook.disabled,
      settings: hook.settings,
      account_id: hook.accountId,
    };
  }
}
