import { createHash } from 'node:crypto';
import { VoipConnection, VoipConnectionRepository, VoipProvider } from '@app/domain';
import { DataSource, Not, Repository } from 'typeorm';
import { SecretCipher } from '../crypto/secret-cipher';
import { VoipConnectionOrmEntity } from '../entities/voip-connection.orm-entity';

export class TypeOrmVoipConnectionRepository implements VoipConnectionRepository {
  private readonly rows: Repository<VoipConnectionOrmEntity>;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(VoipConnectionOrmEntity);
  }

  async findForAccount(accountId: number): Promise<VoipConnection | null> {
    const row = await this.rows.findOneBy({ accountId });
    return row ? this.toDomain(row) : null;
  }

  /** Webhook routing: the connection whose path key is `pathKey` (looked up by hash). */
  async findByPathKey(pathKey: string): Promise<VoipConnection | null> {
    const row = await this.rows.findOneBy({ pathKeyHash: hashPathKey(pathKey) });
    return row ? this.toDomain(row) : null;
  }

  async save(connection: VoipConnection): Promise<void> {
    await this.rows.manager.transaction(async (manager) => {
      const rows = manager.getRepository(VoipConnectionOrmEntity);
      await rows.delete({ accountId: connection.accountId, id: Not(connection.id) });
      await rows.upsert(
        {
          id: connection.id,
          accountId: connection.accountId,
          provider: connection.provider,
          pathKeyHash: hashPathKey(connection.pathKey),
          pathKeyEnc: this.cipher.encrypt(connection.pathKey, context(connection.id, 'path_key')),
          credentialsEnc: this.cipher.encrypt(JSON.stringify(connection.credentials), context(connection.id, 'credentials')),
          createdAt: connection.createdAt,
          updatedAt: connection.updatedAt,
        },
        ['id'],
      );
    });
  }

  async removeForAccount(accountId: number): Promise<void> {
    await this.rows.delete({ accountId });
  }

  private toDomain(row: VoipConnectionOrmEntity): VoipConnection {
    const credentials = JSON.parse(this.cipher.decrypt(row.credentialsEnc, context(row.id, 'credentials'))) as Record<string, string>;
    return {
      id: row.id,
      accountId: row.accountId,
      provider: row.provider as VoipProvider,
      pathKey: this.cipher.decrypt(row.pathKeyEnc, context(row.id, 'path_key')),
      credentials,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

export function hashPathKey(pathKey: string): string {
  return createHash('sha256').update(pathKey, 'utf8').digest('hex');
}

function context(connectionId: string, column: string): string {
  return `voip_connection:${connectionId}:${column}`;
}

