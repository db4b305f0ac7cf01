import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';
import { KommoAccountOrmEntity } from './kommo-account.orm-entity';

@Entity({ name: 'account_settings' })
export class AccountSettingsOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @OneToOne(() => KommoAccountOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: KommoAccountOrmEntity;

  @Column({ name: 'default_responsible_user_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  defaultResponsibleUserId!: number | null;

  @Column({ name: 'unknown_number_policy', type: 'varchar', length: 32 })
  unknownNumberPolicy!: string;

  @Column({ name: 'missed_call_task_delay_minutes', type: 'integer', nullable: true })
  missedCallTaskDelayMinutes!: number | null;

  @Column({ name: 'incoming_lead_pipeline_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  incomingLeadPipelineId!: number | null;

  @Column({ name: 'recording_enabled', type: 'boolean' })
  recordingEnabled!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;

  @Column({ name: 'updated_by_user_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  updatedByUserId!: number | null;
}
