import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../../entities/bigint.transformer';

/** Our record of the callback tasks we created in Kommo for missed calls. At most one open per caller. */
@Entity({ name: 'callback_task' })
@Index('callback_task_one_open_per_phone', ['accountId', 'phone'], { unique: true, where: 'completed_at IS NULL' })
export class CallbackTaskOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @PrimaryColumn({ name: 'kommo_task_id', type: 'bigint', transformer: bigintToNumber })
  kommoTaskId!: number;

  /** The caller, E.164. */
  @Column({ type: 'varchar', length: 16 })
  phone!: string;

  /** Our call id of the missed call. */
  @Column({ name: 'missed_call_id', type: 'varchar', length: 64 })
  missedCallId!: string;

  @Column({ name: 'missed_at', type: 'timestamptz' })
  missedAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
