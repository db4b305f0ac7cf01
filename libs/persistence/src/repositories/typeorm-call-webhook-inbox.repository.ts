import { CallWebhookDelivery, CallWebhookInbox, CallWebhookKind, StoredCallWebhook, VoipProvider } from '@app/domain';
import type { Pool } from 'pg';
import { DataSource, IsNull, LessThan, Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CallWebhookInboxOrmEntity } from '../entities/call-webhook-inbox.orm-entity';
import { CoalescedWrites } from './coalesced-writes';

/**
 * The webhook ack path's statements go to the pg pool directly as named (prepared) statements: parsed and planned
 * once per connection, and none of TypeORM's query-runner work per request (see README, bench).
 */
const INSERT_DELIVERY = {
  name: 'call_webhook_inbox_add',
  text: `INSERT INTO call_webhook_inbox (account_id, connection_id, provider, kind, dedupe_key, payload, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (connection_id, dedupe_key) DO NOTHING
         RETURNING id`,
};
const FIND_DUPLICATE = {
  name: 'call_webhook_inbox_find_duplicate',
  text: 'SELECT id FROM call_webhook_inbox WHERE connection_id = $1 AND dedupe_key = $2',
};
/** Marks of many calls in one statement; every row keeps its own time, a row already marked keeps its first. */
const MARK_ENQUEUED = {
  name: 'call_webhook_inbox_mark_enqueued',
  text: `UPDATE call_webhook_inbox AS inbox SET enqueued_at = mark.at
         FROM unnest($1::bigint[], $2::timestamptz[]) AS mark(id, at)
         WHERE inbox.id = mark.id AND inbox.enqueued_at IS NULL`,
};
const MARK_BATCH_MAX = 1000;

export class TypeOrmCallWebhookInbox implements CallWebhookInbox {
  private readonly rows: Repository<CallWebhookInboxOrmEntity>;
  /** One UPDATE for the marks of all requests answered meanwhile, instead of one per webhook. */
  private readonly marks = new CoalescedWrites<{ id: string; at: Date }>(async (marks) => {
    await this.pool.query({ ...MARK_ENQUEUED, values: [marks.map((mark) => mark.id), marks.map((mark) => mark.at)] });
  }, MARK_BATCH_MAX);

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(CallWebhookInboxOrmEntity);
  }

  /** TypeORM's pool (read per call: it exists once the data source is initialised). */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /** One statement: INSERT … ON CONFLICT DO NOTHING; a duplicate answers the existing row's id. */
  async add(delivery: CallWebhookDelivery): Promise<{ id: string; duplicate: boolean }> {
    const inserted = await this.pool.query<{ id: string }>({
      ...INSERT_DELIVERY,
      values: [
        delivery.accountId,
        delivery.connectionId,
        delivery.provider,
        delivery.kind,
        delivery.dedupeKey,
        JSON.stringify(delivery.payload),
        delivery.receivedAt,
      ],
    });
    if (inserted.rows.length > 0) return { id: String(inserted.rows[0].id), duplicate: false };
    const existing = await this.pool.query<{ id: string }>({ ...FIND_DUPLICATE, values: [delivery.connectionId, delivery.dedupeKey] });
    if (existing.rows.length === 0) throw new Error(`Inbox row of ${delivery.connectionId}/${delivery.dedupeKey} neither inserted nor found`);
    return { id: String(existing.rows[0].id), duplicate: true };
  }

  /** Coalesced with concurrent calls (see CoalescedWrites); resolves once this call's rows are written. */
  async markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    const marks = ids.filter((id) => /^\d+$/.test(id)).map((id) => ({ id, at }));
    if (marks.length === 0) return;
    await this.marks.add(marks);
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
