import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';

/** Verified provider deliveries, written before we acknowledge (see CallWebhookInbox). */
@Entity({ name: 'call_webhook_inbox' })
@Index(['connectionId', 'dedupeKey'], { unique: true })
@Index('call_webhook_inbox_not_enqueued', ['receivedAt'], { where: 'enqueued_at IS NULL' })
export class CallWebhookInboxOrmEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @Column({ name: 'connection_id', type: 'varchar', length: 64 })
  connectionId!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 255 })
  dedupeKey!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt!: Date | null;
}
