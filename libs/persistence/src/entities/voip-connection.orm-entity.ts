import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';
import { KommoAccountOrmEntity } from './kommo-account.orm-entity';

@Entity({ name: 'voip_connection' })
export class VoipConnectionOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index({ unique: true })
  @Column({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @OneToOne(() => KommoAccountOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: KommoAccountOrmEntity;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  /** sha256 of the webhook path key: webhooks are routed by it without storing the key in clear. */
  @Index({ unique: true })
  @Column({ name: 'path_key_hash', type: 'char', length: 64 })
  pathKeyHash!: string;

  /** The path key itself, encrypted, to show the webhook URLs to the administrator. */
  @Column({ name: 'path_key_enc', type: 'text' })
  pathKeyEnc!: string;

  /** JSON object of credentials, encrypted as a whole. */
  @Column({ name: 'credentials_enc', type: 'text' })
  credentialsEnc!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
