import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ProviderSubscription, ProviderSubscriptionStatus, VoipProvider } from '@app/domain';
import type { DistributedLock, ProviderSubscriptionRepository, VoipConnection } from '@app/domain';
import { RingCentralApiError, RingCentralClient } from './ringcentral-client';

export interface RingCentralSubscriptionOptions {
  /** e.g. `/restapi/v1.0/account/~/telephony/sessions` (account-wide; needs an admin's JWT). */
  readonly eventFilter: string;
  readonly expiresInSeconds: number;
}

interface RemoteSubscription {
  readonly id?: string;
  readonly status?: string;
  readonly expirationTime?: string;
  readonly deliveryMode?: { readonly address?: string };
}

/** A subscription is renewed when less than this is left (or half its lifetime, for short ones). */
const RENEW_WITHIN_MS = 7 * 24 * 3600 * 1000;

/**
 * One RingCentral webhook subscription per connection (voip.md §2.2): created with a fresh random verification
 * token (stored, encrypted, before RingCentral is asked, so the first deliveries already pass), checked on every
 * run, renewed before it expires, and re-created when RingCentral reports it Blacklisted (it stops delivering
 * for good after failed deliveries), Suspended, expired, missing, or pointed at an old address (rotated key).
 */
export class RingCentralSubscriptions {
  constructor(
    private readonly client: RingCentralClient,
    private readonly subscriptions: ProviderSubscriptionRepository,
    private readonly options: RingCentralSubscriptionOptions,
    private readonly now: () => Date = () => new Date(),
    private readonly lock: DistributedLock | null = null,
  ) {}

  /** One run per connection at a time across processes (the admin's button and the worker's tick may meet). */
  ensure(connection: VoipConnection, webhookUrl: string): Promise<ProviderSubscription> {
    if (!this.lock) return this.ensureNow(connection, webhookUrl);
    return this.lock.run(`ringcentral-subscription:${connection.id}`, { ttlMs: 30_000, waitMs: 20_000 }, () => this.ensureNow(connection, webhookUrl));
  }

  private async ensureNow(connection: VoipConnection, webhookUrl: string): Promise<ProviderSubscription> {
    const addressHash = sha256(webhookUrl);
    const current = await this.subscriptions.find(connection.id);
    let reason = current ? 'address changed' : 'new connection';
    if (current?.subscriptionId && current.addressHash === addressHash) {
      try {
        const remote = await this.client.request<RemoteSubscription>(connection, 'GET', `/restapi/v1.0/subscription/${encodeURIComponent(current.subscriptionId)}`);
        const expiresAt = parseDate(remote.expirationTime);
        const status = remote.status ?? 'Unknown';
        if (status === 'Active' && expiresAt && expiresAt.getTime() > this.now().getTime()) {
          const lifetime = this.options.expiresInSeconds * 1000;
          if (expiresAt.getTime() - this.now().getTime() > Math.min(RENEW_WITHIN_MS, lifetime / 2)) {
            return this.save({ ...current, status: ProviderSubscriptionStatus.Active, expiresAt, checkedAt: this.now(), error: null });
          }
          try {
            const renewed = await this.client.request<RemoteSubscription>(connection, 'POST', `/restapi/v1.0/subscription/${encodeURIComponent(current.subscriptionId)}/renew`);
            return this.save({ ...current, status: ProviderSubscriptionStatus.Active, expiresAt: parseDate(renewed.expirationTime) ?? expiresAt, checkedAt: this.now(), error: null });
          } catch (error) {
            reason = `renewal failed (${messageOf(error)})`;
          }
        } else {
          reason = status === 'Blacklisted' ? 'RingCentral blacklisted it' : status === 'Suspended' ? 'RingCentral suspended it' : `it expired (status ${status})`;
        }
      } catch (error) {
        if (!(error instanceof RingCentralApiError) || error.status !== 404) {
          return this.save({ ...current, checkedAt: this.now(), status: ProviderSubscriptionStatus.Error, error: `check failed: ${messageOf(error)}` });
        }
        reason = 'RingCentral no longer has it';
      }
    }
    return this.recreate(connection, webhookUrl, addressHash, current, reason);
  }

  private async recreate(
    connection: VoipConnection,
    webhookUrl: string,
    addressHash: string,
    current: ProviderSubscription | null,
    reason: string,
  ): Promise<ProviderSubscription> {
    if (current?.subscriptionId) {
      await this.client.request(connection, 'DELETE', `/restapi/v1.0/subscription/${encodeURIComponent(current.subscriptionId)}`).catch(() => undefined);
    }
    const verificationToken = randomBytes(24).toString('hex');
    const recreatedCount = current?.subscriptionId ? current.recreatedCount + 1 : (current?.recreatedCount ?? 0);
    const pending = await this.save({
      connectionId: connection.id,
      accountId: connection.accountId,
      provider: VoipProvider.RingCentral,
      subscriptionId: null,
      status: ProviderSubscriptionStatus.Pending,
      expiresAt: null,
      addressHash,
      verificationToken,
      checkedAt: this.now(),
      recreatedCount,
      error: current?.subscriptionId ? `re-created: ${reason}` : null,
    });
    try {
      const created = await this.client.request<RemoteSubscription>(connection, 'POST', '/restapi/v1.0/subscription', {
        body: {
          eventFilters: [this.options.eventFilter],
          deliveryMode: { transportType: 'WebHook', address: webhookUrl, verificationToken },
          expiresIn: this.options.expiresInSeconds,
        },
      });
      if (!created?.id) throw new RingCentralApiError(502, null, 'RingCentral created no subscription id');
      return this.save({ ...pending, subscriptionId: created.id, status: created.status === 'Active' || !created.status ? ProviderSubscriptionStatus.Active : ProviderSubscriptionStatus.Error, expiresAt: parseDate(created.expirationTime) });
    } catch (error) {
      return this.save({ ...pending, status: ProviderSubscriptionStatus.Error, error: `creating the subscription failed: ${messageOf(error)}` });
    }
  }

  private async save(subscription: ProviderSubscription): Promise<ProviderSubscription> {
    await this.subscriptions.save(subscription);
    return subscription;
  }
}

/** The Verification-Token of a delivery against the connection's, in constant time (no length or prefix leak). */
export function isValidRingCentralVerificationToken(expected: string | null | undefined, given: string | null | undefined): boolean {
  if (!expected || !given) return false;
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
