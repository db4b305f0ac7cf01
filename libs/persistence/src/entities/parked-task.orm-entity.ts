import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';

@Entity({ name: 'parked_task' })
@Index(['accountId', 'taskName', 'dedupeKey'], { unique: true })
export class ParkedTaskOrmEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @Column({ name: 'task_name', type: 'varchar', length: 100 })
  taskName!: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 255 })
  dedupeKey!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'parked_at', type: 'timestamptz' })
  parkedAt!: Date;
}
