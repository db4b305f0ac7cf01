import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../../entities/bigint.transformer';

/** Provider extension / client identity → Kommo user ("assign extensions to managers"). */
@Entity({ name: 'voip_extension' })
export class VoipExtensionOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  /** The lookup key, unique per account: lower-cased for SIP/client identities, digits as they are (extensionKey()). */
  @PrimaryColumn({ name: 'extension_key', type: 'varchar', length: 255 })
  extensionKey!: string;

  /** As the administrator entered it (trimmed). */
  @Column({ type: 'varchar', length: 255 })
  extension!: string;

  @Column({ name: 'user_id', type: 'bigint', transformer: bigintToNumber })
  userId!: number;

  @Column({ name: 'connection_id', type: 'varchar', length: 64, nullable: true })
  connectionId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
