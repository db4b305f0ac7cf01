import type { VoipProvider } from '../account-settings/voip-connection';

/** Where a provider's push subscription stands (RingCentral webhooks: they can be blacklisted or expire). */
export enum ProviderSubscriptionStatus {
  /** Being created: the verification token is stored before the provider is asked, so the first deliveries pass. */
  Pending = 'pending',
  Active = 'active',
  /** The provider stopped delivering (e.g. RingCentral "Blacklisted" after failed deliveries); re-created. */
  Blacklisted = 'blacklisted',
  Expired = 'expired',
  /** The last attempt to create or renew it failed (see `error`). */
  Error = 'error',
}

export interface ProviderSubscription {
  readonly connectionId: string;
  readonly accountId: number;
  readonly provider: VoipProvider;
  readonly subscriptionId: string | null;
  readonly status: ProviderSubscriptionStatus;
  readonly expiresAt: Date | null;
  /** sha256 of the webhook address it delivers to (a rotated path key means a new subscription). */
  readonly addressHash: string | null;
  /** Secret the provider echoes on every delivery (RingCentral Verification-Token). Encrypted at rest. */
  readonly verificationToken: string | null;
  readonly checkedAt: Date | null;
  /** How many times it was re-created after being found blacklisted/expired/missing. */
  readonly recreatedCount: number;
  readonly error: string | null;
}

export interface ProviderSubscriptionRepository {
  find(connectionId: string): Promise<ProviderSubscription | null>;
  save(subscription: ProviderSubscription): Promise<void>;
}
