import { Controller, Get, Param, ParseIntPipe, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { halList, paginate, sendHal, withSet } from '../http/hal';
import { SandboxStore } from '../store/sandbox-store';
import { AdminOnly, Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { Serializer } from './serializers';

type Query = Record<string, unknown>;

/** `GET /api/v4/account` (any user) and `GET /api/v4/users[/{id}]` (admins only). */
@Controller('api/v4')
@UseGuards(ApiAuthGuard)
export class AccountController {
  constructor(private readonly store: SandboxStore) {}

  @Get('account')
  account(@Api() api: ApiContext, @Query() query: Query, @Res() res: Response): void {
    const { account, user } = api;
    const withs = withSet(query);
    const serializer = Serializer.for(this.store, account);
    const body: Record<string, unknown> = {
      id: account.id,
      name: account.name,
      subdomain: account.subdomain,
      created_at: account.createdAt,
      created_by: 0,
      updated_at: account.createdAt,
      updated_by: 0,
      current_user_id: user.id,
      country: account.country,
      currency: account.currency,
      currency_symbol: account.currencySymbol,
      customers_mode: 'disabled',
      is_unsorted_on: true,
      is_loss_reason_enabled: false,
      is_helpbot_enabled: false,
      is_technical_account: false,
      contact_name_display_order: 1,
      mobile_feature_version: 0,
      _links: { self: serializer.link('/api/v4/account') },
    };
    if (withs.has('amojo_id')) body.amojo_id = account.uuid;
    if (withs.has('uuid')) body.uuid = account.uuid;
    if (withs.has('version')) body.version = 1;
    if (withs.has('drive_url')) body.drive_url = `https://drive-b.kommo.com/${account.subdomain}`;
    if (withs.has('entity_names')) {
      body.entity_names = { leads: { en: { singular_form: { default: 'lead' }, plural_form: { default: 'leads' } } } };
    }
    const embedded: Record<string, unknown> = {};
    if (withs.has('amojo_rights')) embedded.amojo_rights = { can_direct: true, can_create_groups: true };
    if (withs.has('users_groups')) embedded.users_groups = [{ id: 0, name: 'Main group', uuid: null }];
    if (withs.has('task_types')) {
      embedded.task_types = [
        { id: 1, name: 'Follow-up', color: null, icon_id: null, code: 'FOLLOW_UP' },
        { id: 2, name: 'Meeting', color: null, icon_id: null, code: 'MEETING' },
      ];
    }
    if (withs.has('datetime_settings')) {
      embedded.datetime_settings = {
        date_pattern: 'm/d/Y H:i',
        short_date_pattern: 'm/d/Y',
        short_time_pattern: 'H:i',
        date_format: 'm/d/Y',
        time_format: 'H:i:s',
        timezone: 'UTC',
        timezone_offset: '+00:00',
      };
    }
    if (Object.keys(embedded).length > 0) body._embedded = embedded;
    sendHal(res, 200, body);
  }

  @Get('users')
  @AdminOnly()
  users(@Api() api: ApiContext, @Query() query: Query, @Res() res: Response): void {
    const serializer = Serializer.for(this.store, api.account);
    const withs = withSet(query);
    const page = paginate(this.store.usersOf(api.account.id), query);
    const body = halList(this.store.hostOf(api.account), '/api/v4/users', 'users', page, query, page.items.map((user) => serializer.user(user, withs)));
    if (body) {
      body._total_items = this.store.usersOf(api.account.id).length;
    }
    sendHal(res, 200, body);
  }

  @Get('users/:id')
  @AdminOnly()
  user(@Api() api: ApiContext, @Param('id', ParseIntPipe) id: number, @Query() query: Query, @Res() res: Response): void {
    const user = this.store.user(api.account.id, id);
    sendHal(res, user ? 200 : 204, user ? Serializer.for(this.store, api.account).user(user, withSet(query)) : null);
  }
}
