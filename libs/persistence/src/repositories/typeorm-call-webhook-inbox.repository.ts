import { CallWebhookDelivery, CallWebhookInbox, CallWebhookKind, StoredCallWebhook, VoipProvider } from '@app/domain';
import { DataSource, In, IsNull, LessThan, Repository } from 'typeorm';
import { CallWebhookInboxOrmEntity } from '../entities/call-webhook-inbox.orm-entity';

export class TypeOrmCallWebhookInbox implements CallWebhookInbox {
  private readonly rows: Repository<CallWebhookInboxOrmEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(CallWebhookInboxOrmEntity);
  }

  /** One statement: INSERT … ON CONFLICT DO NOTHING; a duplicate answers the existing row's id. */
  async add(delivery: CallWebhookDelivery): Promise<{ id: string; duplicate: boolean }> {
    const inserted = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO call_webhook_inbox (account_id, connection_id, provider, kind, dedupe_key, payload, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (connection_id, dedupe_key) DO NOTHING
       RETURNING id`,
      [
        delivery.accountId,
        delivery.connectionId,
        delivery.provider,
        delivery.kind,
        delivery.dedupeKey,
        JSON.stringify(delivery.payload),
        delivery.receivedAt,
      ],
    );
    if (inserted.length > 0) return { id: String(inserted[0].id), duplicate: false };
    const existing = await this.rows.findOneByOrFail({ connectionId: delivery.connectionId, dedupeKey: delivery.dedupeKey });
    return { id: existing.id, duplicate: true };
  }

  async markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.rows.update({ id: In([...ids]), enqueuedAt: IsNull() }, { enqueuedAt: at });
  }

  async findNotEnqueued(receivedBefore: Date, limit: number): Promise<StoredCallWebhook[]> {
    const rows = await this.rows.find({
      where: { enqueuedAt: IsNull(), receivedAt: LessThan(receivedBefore) },
      order: { receivedAt: 'ASC', id: 'ASC' },
      take: limit,
    });
    return rows.map(toDomain);
  }

  async findById(id: string): Promise<StoredCallWebhook | null> {
    if (!/^\d+$/.test(id)) return null;
    const row = await this.rows.findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  /**
   * Id order over the primary key (ids grow with arrival). Used only after the queue store lost its data: the
   * first page may walk the older rows once, which is why no index on received_at is kept for it.
   */
  async listReceivedSince(since: Date, after: string | null, limit: number): Promise<StoredCallWebhook[]> {
    const rows = await this.rows
      .createQueryBuilder('row')
      .where('row.id > :after', { after: after !== null && /^\d+$/.test(after) ? after : '0' })
      .andWhere('row.received_at >= :since', { since })
      .orderBy('row.id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(toDomain);
  }
}

function toDomain(row: CallWebhookInboxOrmEntity): StoredCallWebhook {
  return {
    id: row.id,
    accountId: row.accountId,
    connectionId: row.connectionId,
    provider: row.provider as VoipProvider,
    kind: row.kind as CallWebhookKind,
    dedupeKey: row.dedupeKey,
    payload: row.payload,
    receivedAt: row.receivedAt,
    enqueuedAt: row.enqueuedAt,
  };
}
