import {
  CallImportReport,
  CallImportState,
  CallImportStateRepository,
  CallWebhookKind,
  ProviderSubscription,
  ProviderSubscriptionRepository,
  ProviderSubscriptionStatus,
  VoipProvider,
} from '@app/domain';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { SecretCipher } from '../crypto/secret-cipher';
import { CallWebhookInboxOrmEntity } from '../entities/call-webhook-inbox.orm-entity';
import { VoipConnectionOrmEntity } from '../entities/voip-connection.orm-entity';
import { VoipProviderStateOrmEntity } from './voip-provider-state.orm-entity';

/** Subscription state and import cursors of VoIP connections (one row per connection, written in parts). */
export class TypeOrmVoipProviderStateRepository implements ProviderSubscriptionRepository, CallImportStateRepository {
  private readonly rows: Repository<VoipProviderStateOrmEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(VoipProviderStateOrmEntity);
  }

  async find(connectionId: string): Promise<(ProviderSubscription & CallImportState) | null> {
    const row = await this.rows.findOneBy({ connectionId });
    return row ? this.toDomain(row) : null;
  }

  async save(state: ProviderSubscription | CallImportState): Promise<void> {
    const patch: Partial<VoipProviderStateOrmEntity> = 'status' in state ? this.subscriptionColumns(state) : importColumns(state);
    const provider = 'provider' in state ? state.provider : await this.providerOf(state.connectionId);
    if (!provider) return; // the connection is gone
    const row = { connectionId: state.connectionId, accountId: state.accountId, provider, ...patch, updatedAt: new Date() };
    await this.rows.upsert(row as QueryDeepPartialEntity<VoipProviderStateOrmEntity>, ['connectionId']);
  }

  /** Every connection (id and account), for the scheduled import and subscription checks. */
  async listConnections(): Promise<{ connectionId: string; accountId: number; provider: string }[]> {
    const rows = await this.dataSource.getRepository(VoipConnectionOrmEntity).find({ select: { id: true, accountId: true, provider: true }, order: { accountId: 'ASC' } });
    return rows.map((row) => ({ connectionId: row.id, accountId: row.accountId, provider: row.provider }));
  }

  /** Deliveries kept raw because we did not understand them (e.g. Zenvia statuses the docs do not list). */
  async countUnrecognised(connectionId: string): Promise<number> {
    return this.dataSource.getRepository(CallWebhookInboxOrmEntity).countBy({ connectionId, kind: CallWebhookKind.ZenviaUnrecognised });
  }

  private async providerOf(connectionId: string): Promise<string | null> {
    const row = await this.dataSource.getRepository(VoipConnectionOrmEntity).findOne({ select: { id: true, provider: true }, where: { id: connectionId } });
    return row?.provider ?? null;
  }

  private subscriptionColumns(subscription: ProviderSubscription): Partial<VoipProviderStateOrmEntity> {
    return {
      subscriptionId: subscription.subscriptionId,
      subscriptionStatus: subscription.status,
      subscriptionExpiresAt: subscription.expiresAt,
      subscriptionAddressHash: subscription.addressHash,
      verificationTokenEnc: subscription.verificationToken ? this.cipher.encrypt(subscription.verificationToken, tokenContext(subscription.connectionId)) : null,
      subscriptionCheckedAt: subscription.checkedAt,
      subscriptionRecreatedCount: subscription.recreatedCount,
      subscriptionError: subscription.error,
    };
  }

  private toDomain(row: VoipProviderStateOrmEntity): ProviderSubscription & CallImportState {
    return {
      connectionId: row.connectionId,
      accountId: row.accountId,
      provider: row.provider as VoipProvider,
      subscriptionId: row.subscriptionId,
      status: (row.subscriptionStatus as ProviderSubscriptionStatus | null) ?? ProviderSubscriptionStatus.Pending,
      expiresAt: row.subscriptionExpiresAt,
      addressHash: row.subscriptionAddressHash,
      verificationToken: row.verificationTokenEnc ? this.cipher.decrypt(row.verificationTokenEnc, tokenContext(row.connectionId)) : null,
      checkedAt: row.subscriptionCheckedAt,
      recreatedCount: row.subscriptionRecreatedCount,
      error: row.subscriptionError,
      importedUntil: row.importUntil,
      lastRunAt: row.importLastRunAt,
      lastReport: row.importLastReport as CallImportReport | null,
      lastError: row.importLastError,
    };
  }
}

function importColumns(state: CallImportState): Partial<VoipProviderStateOrmEntity> {
  return {
    importUntil: state.importedUntil,
    importLastRunAt: state.lastRunAt,
    importLastReport: state.lastReport as unknown as Record<string, unknown> | null,
    importLastError: state.lastError,
  };
}

function tokenContext(connectionId: string): string {
  return `voip_provider_state:${connectionId}:verification_token`;
}
