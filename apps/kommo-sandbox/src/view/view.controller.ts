import { Body, Controller, Get, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UnsortedDecisions } from '../api/unsorted.decisions';
import { AccountRecord, CompanyRecord, ContactRecord, EntityPlural, LeadRecord, NoteRecord } from '../store/model';
import { LOST, phonesOf, SandboxStore, WON } from '../store/sandbox-store';
import { asText } from '../store/text';
import { escapeHtml, formatDuration, formatTime, page } from './html';

const CALL_STATUS: Record<number, string> = {
  1: 'left a message',
  2: 'call back later',
  3: 'not available',
  4: 'conversation',
  5: 'wrong number',
  6: 'did not get through',
  7: 'busy',
  8: 'undefined',
};

/** A read-only look into each account (plus accept/decline of incoming leads), plain server-rendered HTML. */
@Controller('view')
export class ViewController {
  constructor(
    private readonly store: SandboxStore,
    private readonly decisions: UnsortedDecisions,
  ) {}

  @Get()
  index(@Res() res: Response): void {
    const accounts = [...this.store.crm.accounts.values()];
    const cards = accounts
      .map(
        (account) => `<a class="card" href="/view/${account.id}" style="text-decoration:none;color:inherit">
  <h2>${escapeHtml(account.name)}</h2><p class="muted">${escapeHtml(this.store.hostOf(account))} · #${account.id}</p>
  <p>${this.count(account.id, 'contacts')} contacts · ${this.count(account.id, 'companies')} companies · ${this.count(account.id, 'leads')} leads</p></a>`,
      )
      .join('');
    res.type('html').send(page('Kommo sandbox', `<h1>Accounts</h1><div class="grid">${cards || '<p class="empty">No accounts.</p>'}</div>`, this.nav()));
  }

  @Get(':accountId')
  account(@Param('accountId', ParseIntPipe) accountId: number, @Res() res: Response): void {
    const account = this.store.crm.accounts.get(accountId);
    if (!account) {
      res.status(404).type('html').send(page('Not found', `<h1>No account ${accountId}</h1>`, this.nav()));
      return;
    }
    const body = [
      `<h1>${escapeHtml(account.name)} <span class="muted" style="font-size:14px">${escapeHtml(this.store.hostOf(account))} · #${account.id}</span></h1>`,
      this.unsortedSection(account),
      this.entitySection(account, 'leads'),
      this.entitySection(account, 'contacts'),
      this.entitySection(account, 'companies'),
      this.tasksSection(account),
      this.notificationsSection(account),
    ].join('\n');
    res.type('html').send(page(`${account.name} — Kommo sandbox`, body, this.nav()));
  }

  @Post(':accountId/unsorted/:uid/:decision')
  decide(
    @Param('accountId', ParseIntPipe) accountId: number,
    @Param('uid') uid: string,
    @Param('decision') decision: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): void {
    const admin = this.store.usersOf(accountId).find((user) => user.isAdmin);
    const userId = Number(body?.user_id) || admin?.id || 0;
    if (decision === 'accept') this.decisions.accept(accountId, uid, userId);
    else if (decision === 'decline') this.decisions.decline(accountId, uid, userId);
    res.redirect(303, `/view/${accountId}#unsorted`);
  }

  private nav(): string {
    return [...this.store.crm.accounts.values()].map((account) => `<a href="/view/${account.id}">${escapeHtml(account.name)}</a>`).join('');
  }

  private count(accountId: number, type: EntityPlural): number {
    const source = type === 'leads' ? this.store.crm.leads : type === 'contacts' ? this.store.crm.contacts : this.store.crm.companies;
    return [...(source as Map<number, ContactRecord | CompanyRecord | LeadRecord>).values()].filter((record) => record.accountId === accountId && !record.isDeleted && !record.isUnsorted).length;
  }

  private unsortedSection(account: AccountRecord): string {
    const items = [...this.store.crm.unsorted.values()].filter((item) => item.accountId === account.id && item.state === 'pending');
    const rows = items
      .map((item) => {
        const lead = this.store.crm.leads.get(item.leadId);
        const contact = item.contactId ? this.store.crm.contacts.get(item.contactId) : undefined;
        const meta = item.metadata;
        return `<tr data-uid="${escapeHtml(item.uid)}"><td><span class="pill unsorted">sip</span> ${escapeHtml(lead?.name ?? '')}</td>
<td>${escapeHtml(contact?.name ?? '—')}<br><span class="muted">${escapeHtml(asText(meta.from ?? meta.phone))}</span></td>
<td>${escapeHtml(item.sourceName)}</td><td>${formatDuration(meta.duration ?? 0)}</td><td>${formatTime(item.createdAt)}</td>
<td>${meta.link ? `<audio controls preload="none" src="${escapeHtml(asText(meta.link))}"></audio>` : ''}</td>
<td><form class="inline" method="post" action="/view/${account.id}/unsorted/${escapeHtml(item.uid)}/accept"><button class="btn primary" type="submit">Accept</button></form>
<form class="inline" method="post" action="/view/${account.id}/unsorted/${escapeHtml(item.uid)}/decline"><button class="btn danger" type="submit">Decline</button></form></td></tr>`;
      })
      .join('');
    return `<section id="unsorted"><h3>Incoming leads (${items.length})</h3>${
      items.length === 0
        ? '<p class="empty">No incoming leads waiting.</p>'
        : `<div class="card"><table><tr><th>Lead</th><th>Caller</th><th>Source</th><th>Duration</th><th>Received</th><th>Recording</th><th></th></tr>${rows}</table></div>`
    }</section>`;
  }

  private entitySection(account: AccountRecord, type: EntityPlural): string {
    const source = type === 'leads' ? this.store.crm.leads : type === 'contacts' ? this.store.crm.contacts : this.store.crm.companies;
    const records = [...(source as Map<number, ContactRecord | CompanyRecord | LeadRecord>).values()]
      .filter((record) => record.accountId === account.id && !record.isDeleted && !record.isUnsorted)
      .sort((a, b) => a.id - b.id);
    const title = { leads: 'Leads', contacts: 'Contacts', companies: 'Companies' }[type];
    const cards = records.map((record) => this.entityCard(account, type, record)).join('\n');
    return `<section id="${type}"><h3>${title} (${records.length})</h3>${records.length === 0 ? '<p class="empty">None.</p>' : `<div class="grid">${cards}</div>`}</section>`;
  }

  private entityCard(account: AccountRecord, type: EntityPlural, record: ContactRecord | CompanyRecord | LeadRecord): string {
    const details: string[] = [];
    if (type === 'leads') {
      const lead = record as LeadRecord;
      const pipeline = this.store.crm.pipelines.get(lead.pipelineId);
      const status = pipeline?.statuses.find((candidate) => candidate.id === lead.statusId);
      const cls = lead.statusId === WON ? 'won' : lead.statusId === LOST ? 'lost' : '';
      details.push(`<span class="pill ${cls}">${escapeHtml(pipeline?.name ?? '')} · ${escapeHtml(status?.name ?? String(lead.statusId))}</span> ${account.currencySymbol}${lead.price}`);
      const contacts = lead.contactIds.map((id) => this.store.crm.contacts.get(id)?.name).filter(Boolean);
      if (contacts.length > 0) details.push(`<span class="muted">Contacts:</span> ${escapeHtml(contacts.join(', '))}`);
    } else {
      const phones = phonesOf(record);
      if (phones.length > 0) details.push(`<span class="muted">Tel.</span> ${phones.map((phone) => escapeHtml(phone)).join(', ')}`);
      const leads = type === 'contacts' ? this.store.leadsOfContact(record.id) : this.store.leadsOfCompany(record.id);
      if (leads.length > 0) details.push(`<span class="muted">Leads:</span> ${leads.map((lead) => escapeHtml(lead.name)).join(', ')}`);
      if (type === 'contacts' && (record as ContactRecord).companyId) {
        details.push(`<span class="muted">Company:</span> ${escapeHtml(this.store.crm.companies.get((record as ContactRecord).companyId!)?.name ?? '')}`);
      }
    }
    const responsible = this.store.crm.users.get(record.responsibleUserId)?.name ?? '—';
    const notes = [...this.store.crm.notes.values()].filter((note) => note.accountId === account.id && note.entityType === type && note.entityId === record.id).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    return `<div class="card" id="${type}-${record.id}" data-entity="${type}" data-id="${record.id}">
<h2>${escapeHtml(record.name || `#${record.id}`)}</h2><p class="muted">#${record.id} · responsible ${escapeHtml(responsible)}</p>
${details.map((line) => `<div>${line}</div>`).join('')}
<ul class="feed">${notes.length === 0 ? '<li class="empty">No notes yet.</li>' : notes.map((note) => this.noteItem(note)).join('')}</ul></div>`;
  }

  private noteItem(note: NoteRecord): string {
    const params = note.params;
    if (note.noteType === 'call_in' || note.noteType === 'call_out') {
      const inbound = note.noteType === 'call_in';
      const status = typeof params.call_status === 'number' ? (CALL_STATUS[params.call_status] ?? String(params.call_status)) : null;
      const link = typeof params.link === 'string' && params.link !== '' ? params.link : null;
      return `<li class="call" data-note="${note.id}"><span class="pill ${inbound ? 'in' : 'out'}">${inbound ? '↙ Incoming call' : '↗ Outgoing call'}</span>
<strong>${escapeHtml(asText(params.phone))}</strong> · ${formatDuration(params.duration)} ${status ? `· <span class="pill">${escapeHtml(status)}</span>` : ''}
<div class="muted">${formatTime(note.createdAt)} · via ${escapeHtml(asText(params.source))}${note.createdBy === 0 ? ' · robot' : ''}</div>
${typeof params.call_result === 'string' && params.call_result ? `<div>Result: ${escapeHtml(params.call_result)}</div>` : ''}
${link ? `<audio controls preload="none" src="${escapeHtml(link)}"></audio>` : ''}</li>`;
    }
    const text = typeof params.text === 'string' ? params.text : JSON.stringify(params);
    return `<li data-note="${note.id}"><span class="pill">${escapeHtml(note.noteType)}</span> ${escapeHtml(text)}<div class="muted">${formatTime(note.createdAt)}</div></li>`;
  }

  private tasksSection(account: AccountRecord): string {
    const tasks = [...this.store.crm.tasks.values()].filter((task) => task.accountId === account.id).sort((a, b) => a.completeTill - b.completeTill);
    const rows = tasks
      .map((task) => {
        const user = this.store.crm.users.get(task.responsibleUserId)?.name ?? String(task.responsibleUserId);
        const target = task.entityType && task.entityId ? `<a href="#${task.entityType}-${task.entityId}">${escapeHtml(task.entityType)} #${task.entityId}</a>` : '—';
        return `<tr><td>${task.isCompleted ? "<span class=\"pill won\">done</span>" : "<span class=\"pill\">open</span>"} ${escapeHtml(task.text)}${task.result ? `<div class="muted">${escapeHtml(task.result.text)}</div>` : ''}</td><td>${target}</td><td>${escapeHtml(user)}</td><td>${formatTime(task.completeTill)}</td></tr>`;
      })
      .join('');
    return `<section id="tasks"><h3>Tasks (${tasks.length})</h3>${tasks.length === 0 ? '<p class="empty">No tasks.</p>' : `<div class="card"><table><tr><th>Task</th><th>Entity</th><th>Responsible</th><th>Due</th></tr>${rows}</table></div>`}</section>`;
  }

  private notificationsSection(account: AccountRecord): string {
    const users = this.store.usersOf(account.id);
    const cards = users
      .map((user) => {
        const items = this.store.crm.notifications.filter((item) => item.accountId === account.id && item.userId === user.id).reverse();
        const list = items
          .map(
            (item) =>
              `<li><span class="muted">Tel.</span> <strong>${escapeHtml(item.phoneNumber)}</strong> → ${
                item.entity ? `${escapeHtml(item.entity.type)} <a href="#${item.entity.type === 'company' ? 'companies' : `${item.entity.type}s`}-${item.entity.id}">${escapeHtml(item.entity.name)}</a>` : `<em>unknown number</em> · <span class="muted">${escapeHtml(item.createContactLink ?? '')}</span>`
              }<div class="muted">${formatTime(item.at)}</div></li>`,
          )
          .join('');
        return `<div class="card" data-user="${user.id}"><h2>${escapeHtml(user.name)}</h2><p class="muted">#${user.id} · ${user.isAdmin ? 'admin' : 'manager'}${user.isActive ? '' : ' · inactive'}${user.phoneExtension ? ` · ext ${escapeHtml(user.phoneExtension)}` : ''}</p>
<ul class="feed">${items.length === 0 ? '<li class="empty">No notifications.</li>' : list}</ul></div>`;
      })
      .join('');
    return `<section id="notifications"><h3>Notifications per user</h3><div class="grid">${cards}</div></section>`;
  }
}
