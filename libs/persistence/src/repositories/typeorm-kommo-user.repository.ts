import { KommoUser, KommoUserRepository } from '@app/domain';
import { DataSource, Not, In } from 'typeorm';
import { KommoUserOrmEntity } from '../entities/kommo-user.orm-entity';

export class TypeOrmKommoUserRepository implements KommoUserRepository {
  constructor(private readonly dataSource: DataSource) {}

  async replaceForAccount(accountId: number, users: readonly KommoUser[], syncedAt: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows = manager.getRepository(KommoUserOrmEntity);
      const ids = users.map((user) => user.id);
      await rows.delete(ids.length > 0 ? { accountId, userId: Not(In(ids)) } : { accountId });
      if (users.length === 0) return;
      await rows.upsert(
        users.map((user) => ({
          accountId,
          userId: user.id,
          name: user.name,
          email: user.email,
          isAdmin: user.isAdmin,
          isActive: user.isActive,
          syncedAt,
        })),
        ['accountId', 'userId'],
      );
    });
  }

  async findForAccount(accountId: number): Promise<KommoUser[]> {
    const rows = await this.dataSource.getRepository(KommoUserOrmEntity).find({ where: { accountId }, order: { userId: 'ASC' } });
    return rows.map(toDomain);
  }

  async findOne(accountId: number, userId: number): Promise<KommoUser | null> {
    const row = await this.dataSource.getRepository(KommoUserOrmEntity).findOneBy({ accountId, userId });
    return row ? toDomain(row) : null;
  }
}

function toDomain(row: KommoUserOrmEntity): KommoUser {
  return {
    accountId: row.accountId,
    id: row.userId,
    name: row.name,
    email: row.email,
    isAdmin: row.isAdmin,
    isActive: row.isActive,
  };
}
