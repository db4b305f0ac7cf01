import { CallWebhookDelivery, CallWebhookInbox, CallWebhookKind, StoredCallWebhook, VoipProvider } from '@app/domain';
import type { Pool } from 'pg';
import { DataSource, IsNull, LessThan, Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CallWebhookInboxOrmEntity } from '../entities/call-webhook-inbox.orm-entity';
import { CoalescedWrites } from './coalesced-writes';

/**
 * The webhook ack path's statements go to the pg pool directly as named (prepared) statements: parsed and planned
 * once per connection, and none of TypeORM's query-runner work per request. Concurrent requests share statements
 * (CoalescedWrites): one INSERT (one commit) for the deliveries that arrive together, one UPDATE for their marks.
 * Every request still answers only after the statement holding its row has committed. See README, bench.
 */
const INSERT_DELIVERIES = {
  name: 'call_webhook_inbox_add_many',
  text: `INSERT INTO call_webhook_inbox (account_id, connection_id, provider, kind, dedupe_key, payload, received_at)
         SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::jsonb[], $7::timestamptz[])
         ON CONFLICT (connection_id, dedupe_key) DO NOTHING
         RETURNING id, connection_id, dedupe_key`,
};
/** One delivery alone: when a shared INSERT fails on some row's data, each row is retried by itself. */
const INSERT_DELIVERY = {
  name: 'call_webhook_inbox_add',
  text: `INSERT INTO call_webhook_inbox (account_id, connection_id, provider, kind, dedupe_key, payload, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (connection_id, dedupe_key) DO NOTHING
         RETURNING id, connection_id, dedupe_key`,
};
const FIND_EXISTING = {
  name: 'call_webhook_inbox_find_existing',
  text: `SELECT inbox.id, inbox.connection_id, inbox.dedupe_key FROM call_webhook_inbox AS inbox
         JOIN unnest($1::varchar[], $2::varchar[]) AS wanted(connection_id, dedupe_key)
           ON inbox.connection_id = wanted.connection_id AND inbox.dedupe_key = wanted.dedupe_key`,
};
/** Marks of many calls in one statement; every row keeps its own time, a row already marked keeps its first. */
const MARK_ENQUEUED = {
  name: 'call_webhook_inbox_mark_enqueued',
  text: `UPDATE call_webhook_inbox AS inbox SET enqueued_at = mark.at
         FROM unnest($1::bigint[], $2::timestamptz[]) AS mark(id, at)
         WHERE inbox.id = mark.id AND inbox.enqueued_at IS NULL`,
};
const BATCH_MAX = 500;
/** Shared INSERTs running at once (the pool has 10 connections; the rest stay free for everything else). */
const INSERTS_IN_FLIGHT = 3;

type Stored = { id: string; duplicate: boolean };
/** One delivery's outcome in a shared statement: its row, or the error that is its alone. */
type Outcome = Stored | { error: unknown };
type Row = { id: string; connection_id: string; dedupe_key: string };
const keyOf = (connectionId: string, dedupeKey: string) => `${connectionId}\u0000${dedupeKey}`;

export class TypeOrmCallWebhookInbox implements CallWebhookInbox {
  private readonly rows: Repository<CallWebhookInboxOrmEntity>;
  private readonly inserts = new CoalescedWrites<CallWebhookDelivery, Outcome>((deliveries) => this.insert(deliveries), {
    maxItems: BATCH_MAX,
    maxInFlight: INSERTS_IN_FLIGHT,
  });
  /** One UPDATE for the marks of all requests answered meanwhile, instead of one per webhook. */
  private readonly marks = new CoalescedWrites<{ id: string; at: Date }>(
    async (marks) => {
      await this.pool.query({ ...MARK_ENQUEUED, values: [marks.map((mark) => mark.id), marks.map((mark) => mark.at)] });
      return [];
    },
    { maxItems: BATCH_MAX, maxInFlight: 1 },
  );

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(CallWebhookInboxOrmEntity);
  }

  /** TypeORM's pool (read per call: it exists once the data source is initialised). */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /** INSERT … ON CONFLICT DO NOTHING (shared with concurrent deliveries); a duplicate answers the existing row's id. */
  async add(delivery: CallWebhookDelivery): Promise<Stored> {
    const [outcome] = await this.inserts.add([delivery]);
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /** Stores deliveries in one statement; a key seen twice in the batch is a duplicate of its first delivery. */
  private async insert(deliveries: readonly CallWebhookDelivery[]): Promise<Outcome[]> {
    const unique = new Map<string, CallWebhookDelivery>();
    for (const delivery of deliveries) if (!unique.has(keyOf(delivery.connectionId, delivery.dedupeKey))) unique.set(keyOf(delivery.connectionId, delivery.dedupeKey), delivery);
    const batch = [...unique.values()];
    const inserted = new Map<string, string>();
    try {
      const columns = (pick: (delivery: CallWebhookDelivery) => unknown) => batch.map(pick);
      const result = await this.pool.query<Row>({
        ...INSERT_DELIVERIES,
        values: [
          columns((d) => d.accountId),
          columns((d) => d.connectionId),
          columns((d) => d.provider),
          columns((d) => d.kind),
          columns((d) => d.dedupeKey),
          columns((d) => JSON.stringify(d.payload)),
          columns((d) => d.receivedAt),
        ],
      });
      for (const row of result.rows) inserted.set(keyOf(row.connection_id, row.dedupe_key), String(row.id));
    } catch (error: unknown) {
      // A row's data refused (e.g. a key too long) must not fail the deliveries that came with it.
      if (batch.length === 1 || !isDataError(error)) throw error;
      return Promise.all(deliveries.map((delivery) => this.insertOne(delivery).catch((failure: unknown) => ({ error: failure }))));
    }
    const missing = batch.filter((delivery) => !inserted.has(keyOf(delivery.connectionId, delivery.dedupeKey)));
    const existing = new Map<string, string>();
    if (missing.length > 0) {
      const found = await this.pool.query<Row>({ ...FIND_EXISTING, values: [missing.map((d) => d.connectionId), missing.map((d) => d.dedupeKey)] });
      for (const row of found.rows) existing.set(keyOf(row.connection_id, row.dedupe_key), String(row.id));
    }
    const claimed = new Set<string>();
    return deliveries.map((delivery) => {
      const key = keyOf(delivery.connectionId, delivery.dedupeKey);
      const id = inserted.get(key);
      if (id !== undefined && !claimed.has(key)) {
        claimed.add(key);
        return { id, duplicate: false };
      }
      const duplicateOf = id ?? existing.get(key);
      if (duplicateOf === undefined) return { error: new Error(`Inbox row of ${delivery.connectionId}/${delivery.dedupeKey} neither inserted nor found`) };
      return { id: duplicateOf, duplicate: true };
    });
  }

  private async insertOne(delivery: CallWebhookDelivery): Promise<Stored> {
    const values = [delivery.accountId, delivery.connectionId, delivery.provider, delivery.kind, delivery.dedupeKey, JSON.stringify(delivery.payload), delivery.receivedAt];
    const inserted = await this.pool.query<Row>({ ...INSERT_DELIVERY, values });
    if (inserted.rows.length > 0) return { id: String(inserted.rows[0].id), duplicate: false };
    const found = await this.pool.query<Row>({ ...FIND_EXISTING, values: [[delivery.connectionId], [delivery.dedupeKey]] });
    if (found.rows.length === 0) throw new Error(`Inbox row of ${delivery.connectionId}/${delivery.dedupeKey} neither inserted nor found`);
    return { id: String(found.rows[0].id), duplicate: true };
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

/** PostgreSQL refused a value (SQLSTATE class 22 data exception, 23 integrity): the statement, not the server. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
