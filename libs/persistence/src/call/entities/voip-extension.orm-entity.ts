import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../../entities/bigint.transformer';

/** Provider extension / client identity → Kommo user ("assign extensions to managers"). */
@Entity({ name: 'voip_extension' })
@Index('voip_extension_match_key_idx', ['accountId', 'matchKey'])
@Index('voip_extension_match_user_idx', ['accountId', 'matchUser'], { where: 'match_user IS NOT NULL' })
export class VoipExtensionOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  /** The lookup key, unique per account: lower-cased for SIP/client identities, digits as they are (extensionKey()). */
  @PrimaryColumn({ name: 'extension_key', type: 'varchar', length: 255 })
  extensionKey!: string;

  /** As the administrator entered it (trimmed). */
  @Column({ type: 'varchar', length: 255 })
  extension!: string;

  /** Canonical spelling compared with reported identities (voipIdentityMatchKey().exact). */
  @Column({ name: 'match_key', type: 'varchar', length: 255 })
  matchKey!: string;

  /** SIP user part / extension digits shared by `1001` and `sip:1001@host` (voipIdentityMatchKey().user). */
  @Column({ name: 'match_user', type: 'varchar', length: 255, nullable: true })
  matchUser!: string | null;

  @Column({ name: 'user_id', type: 'bigint', transformer: bigintToNumber })
  userId!: number;

  @Column({ name: 'connection_id', type: 'varchar', length: 64, nullable: true })
  connectionId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
