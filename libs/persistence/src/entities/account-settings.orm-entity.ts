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

  @Column({ name: 'smart_forwarding_enabled', type: 'boolean', default: true })
  smartForwardingEnabled!: boolean;

  /** Kommo user ids; empty = every active mapped manager. */
  @Column({ name: 'default_ring_group', type: 'bigint', array: true, default: () => "'{}'" })
  defaultRingGroup!: string[];

  @Column({ name: 'ring_seconds', type: 'integer', default: 25 })
  ringSeconds!: number;

  @Column({ name: 'kommo_call_notifications', type: 'boolean', default: false })
  kommoCallNotifications!: boolean;

  @Column({ name: 'open_lead_on_answer', type: 'boolean', default: true })
  openLeadOnAnswer!: boolean;

  @Column({ name: 'call_result_modal', type: 'boolean', default: true })
  callResultModal!: boolean;

  @Column({ name: 'auto_redial', type: 'boolean', default: false })
  autoRedial!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;

  @Column({ name: 'updated_by_user_id', type: 'bigint', nullable: true, transformer: bigintToNumber })
  updatedByUserId!: number | null;
}
