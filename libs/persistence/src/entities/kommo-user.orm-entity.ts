import { Column, Entity, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from './bigint.transformer';
import { KommoAccountOrmEntity } from './kommo-account.orm-entity';

@Entity({ name: 'kommo_user' })
export class KommoUserOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @PrimaryColumn({ name: 'user_id', type: 'bigint', transformer: bigintToNumber })
  userId!: number;

  @ManyToOne(() => KommoAccountOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: KommoAccountOrmEntity;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email!: string | null;

  @Column({ name: 'is_admin', type: 'boolean' })
  isAdmin!: boolean;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt!: Date;
}
