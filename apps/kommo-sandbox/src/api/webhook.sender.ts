import { Injectable } from '@nestjs/common';
import { sendForm } from '../control/outgoing-http';
import { SandboxStore } from '../store/sandbox-store';
import { asText } from '../store/text';

const DELIVERY_TIMEOUT_MS = 2000;

/** Account webhooks: x-www-form-urlencoded, PHP-style nested keys, every scalar a string (§11.2). */
@Injectable()
export class WebhookSender {
  constructor(private readonly store: SandboxStore) {}

  /** `event` is a settings code (`add_lead`, `note_contact`, `add_unsorted`, …). Fire and forget. */
  emit(accountId: number, event: string, payload: Record<string, unknown>): void {
    const account = this.store.crm.accounts.get(accountId);
    if (!account) return;
    const hooks = [...this.store.crm.webhooks.values()].filter((hook) => hook.accountId === accountId && !hook.disabled && hook.settings.includes(event));
    if (hooks.length === 0) return;
    const body = encodeForm({
      ...payload,
      account: { subdomain: account.subdomain, id: account.id, _links: { self: `https://${this.store.hostOf(account)}` } },
    });
    const crm = this.store.crm;
    for (const hook of hooks) {
      const delivery = { webhookId: hook.id, accountId, destination: hook.destination, event, body, status: null as number | null, at: Date.now() };
      crm.webhookDeliveries.push(delivery);
      void sendForm(hook.destination, body, DELIVERY_TIMEOUT_MS).then((status) => {
        delivery.status = status;
      });
    }
  }
}

export function encodeForm(value: unknown, prefix = ''): string {
  const pairs: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (node === null || node === undefined) {
      pairs.push(`${encodeURIComponent(key)}=`);
    } else if (Array.isArray(node)) {
      node.forEach((child, index) => walk(child, `${key}[${index}]`));
    } else if (typeof node === 'object') {
      for (const [childKey, child] of Object.entries(node)) walk(child, key ? `${key}[${childKey}]` : childKey);
    } else {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(typeof node === 'boolean' ? (node ? '1' : '0') : asText(node))}`);
    }
  };
  walk(value, prefix);
  return pairs.join('&');
}
