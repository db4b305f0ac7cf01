import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../entities/bigint.transformer';
import { VoipConnectionOrmEntity } from '../entities/voip-connection.orm-entity';

/**
 * Per VoIP connection: its provider push subscription (RingCentral webhooks) and how far its call log has been
 * reconciled. Gone with the connection.
 */
@Entity({ name: 'voip_provider_state' })
export class VoipProviderStateOrmEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 64 })
  connectionId!: string;

  @OneToOne(() => VoipConnectionOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: VoipConnectionOrmEntity;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 128, nullable: true })
  subscriptionId!: string | null;

  @Column({ name: 'subscription_status', type: 'varchar', length: 32, nullable: true })
  subscriptionStatus!: string | null;

  @Column({ name: 'subscription_expires_at', type: 'timestamptz', nullable: true })
  subscriptionExpiresAt!: Date | null;

  @Column({ name: 'subscription_address_hash', type: 'char', length: 64, nullable: true })
  subscriptionAddressHash!: string | null;

  /** The verification token the provider echoes on every delivery, encrypted (AAD-bound to this row). */
  @Column({ name: 'verification_token_enc', type: 'text', nullable: true })
  verificationTokenEnc!: string | null;

  @Column({ name: 'subscription_checked_at', type: 'timestamptz', nullable: true })
  subscriptionCheckedAt!: Date | null;

  @Column({ name: 'subscription_recreated_count', type: 'integer', default: 0 })
  subscriptionRecreatedCount!: number;

  @Column({ name: 'subscription_error', type: 'text', nullable: true })
  subscriptionError!: string | null;

  @Column({ name: 'import_until', type: 'timestamptz', nullable: true })
  importUntil!: Date | null;

  @Column({ name: 'import_last_run_at', type: 'timestamptz', nullable: true })
  importLastRunAt!: Date | null;

  @Column({ name: 'import_last_report', type: 'jsonb', nullable: true })
  importLastReport!: Record<string, unknown> | null;

  @Column({ name: 'import_last_error', type: 'text', nullable: true })
  importLastError!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
