import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../../entities/bigint.transformer';
import { CallOrmEntity } from './call.orm-entity';

/**
 * Every provider call id a call answers to (its legs and the parents they name). The primary key makes a
 * provider call id belong to at most one call per account and provider: two racing first inserts of one
 * customer call cannot both commit.
 */
@Entity({ name: 'call_leg' })
export class CallLegOrmEntity {
  @PrimaryColumn({ name: 'account_id', type: 'bigint', transformer: bigintToNumber })
  accountId!: number;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  provider!: string;

  @PrimaryColumn({ name: 'provider_call_id', type: 'varchar', length: 255 })
  providerCallId!: string;

  @Index('call_leg_call_id')
  @Column({ name: 'call_id', type: 'varchar', length: 64 })
  callId!: string;

  @ManyToOne(() => CallOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'call_id' })
  call?: CallOrmEntity;
}
