import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../../entities/bigint.transformer';

/**
 * One Call aggregate (libs/domain Call) as its snapshot, written compare-and-set on `version`.
 * The other columns are derived from the aggregate on every save, for queries only; the snapshot is the truth.
 */
@Entity({ name: 'call' })
@Index('call_answered_by_number', ['accountId', 'customerNumber'], { where: 'is_answered' })
export class CallOrmEntity {
  /** Our call id (Kommo's `uniq`). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  /** `CallSnapshot` without `version`, Dates as ISO strings (see call-snapshot.json.ts). */
  @Column({ type: 'jsonb' })
  snapshot!: Record<string, unknown>;

  /** Number of saves so far; the compare-and-set key. */
  @Column({ type: 'integer' })
  version!: number;

  /** E.164 of the customer side, when known. */
  @Column({ name: 'customer_number', type: 'varchar', length: 16, nullable: true })
  customerNumber!: string | null;

  @Column({ name: 'is_answered', type: 'boolean' })
  isAnswered!: boolean;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
