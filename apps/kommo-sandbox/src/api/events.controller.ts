import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { KommoProblem, ValidationErrorGroup } from '../http/problem';
import { SandboxStore } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { err, Item } from './body';
import { CrmService } from './crm.service';

/**
 * `POST /api/v2/events` (§7.1): incoming-call notifications. The entity is resolved on the last 8
 * digits (oldest contact, then company; the lead when exactly one is active) and one notification is
 * recorded per target user (all active users when `users` is omitted). Answers 202.
 */
@Controller('api/v2/events')
@UseGuards(ApiAuthGuard)
export class EventsController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
  ) {}

  @Post()
  add(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : null) as Item | null;
    if (!input || Object.keys(input).length === 0) throw KommoProblem.empty();
    if (!Array.isArray(input.add) || input.add.length === 0) {
      throw KommoProblem.validation([{ request_id: '0', errors: [err.type('add', 'array')] }]);
    }
    const events = input.add as unknown[];
    const groups: ValidationErrorGroup[] = [];
    events.forEach((raw, index) => {
      const event = (raw ?? {}) as Item;
      const errors = [];
      if (event.type !== 'phone_call') errors.push(err.choice(`add.${index}.type`));
      if (typeof event.phone_number !== 'string' && typeof event.phone_number !== 'number') errors.push(err.required(`add.${index}.phone_number`));
      if (event.users !== undefined) {
        const users = Array.isArray(event.users) ? event.users : [];
        if (!Array.isArray(event.users) || users.some((id) => !this.store.user(api.account.id, Number(id)))) errors.push(err.choice(`add.${index}.users`));
      }
      if (errors.length > 0) groups.push({ request_id: String(index), errors });
    });
    if (groups.length > 0) throw KommoProblem.validation(groups);

    const now = this.store.now();
    for (const raw of events) {
      const event = raw as Item;
      const phone = String(event.phone_number);
      const target = this.crm.eventTarget(api.account.id, phone);
      const users = Array.isArray(event.users)
        ? (event.users as unknown[]).map(Number)
        : this.store.usersOf(api.account.id).filter((user) => user.isActive).map((user) => user.id);
      for (const userId of users) {
        this.store.crm.notifications.push({
          id: this.store.crm.nextId('notification'),
          accountId: api.account.id,
          userId,
          type: 'phone_call',
          phoneNumber: phone,
          entity: target,
          createContactLink: target ? null : `/contacts/add/?phone=${encodeURIComponent(phone)}`,
          at: now,
        });
      }
    }
    res.status(202).end();
  }
}
