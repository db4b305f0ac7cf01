import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';

@Entity({ name: 'kommo_account' })
export class KommoAccountOrmEntity {
  /** Kommo's account id (the tenant id everywhere). */
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  id!: number;

  @Column({ type: 'varchar', length: 63 })
  subdomain!: string;

  @Column({ type: 'varchar', length: 255 })
  host!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** Upper-case ISO 3166-1 alpha-2 code Kommo reported at install, or null (unknown). */
  @Column({ type: 'varchar', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  /** AES-256-GCM ciphertext (SecretCipher). */
  @Column({ name: 'access_token_enc', type: 'text', nullable: true })
  accessTokenEnc!: string | null;

  /** AES-256-GCM ciphertext (SecretCipher). */
  @Column({ name: 'refresh_token_enc', type: 'text', nullable: true })
  refreshTokenEnc!: string | null;

  @Column({ name: 'token_expires_at', type: 'timestamptz', nullable: true })
  tokenExpiresAt!: Date | null;

  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt!: Date;

  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true })
  connectedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
