import { VoipConnection, VoipConnectionRepository } from '../../src';

/** One connection per account, like the table (saving replaces the account's connection). */
export class InMemoryVoipConnectionRepository implements VoipConnectionRepository {
  private readonly rows = new Map<number, VoipConnection>();
  saves = 0;

  async findForAccount(accountId: number): Promise<VoipConnection | null> {
    const row = this.rows.get(accountId);
    return row ? copy(row) : null;
  }

  async findByPathKey(pathKey: string): Promise<VoipConnection | null> {
    const row = [...this.rows.values()].find((connection) => connection.pathKey === pathKey);
    return row ? copy(row) : null;
  }

  async save(connection: VoipConnection): Promise<void> {
    this.saves += 1;
    this.rows.set(connection.accountId, copy(connection));
  }

  async removeForAccount(accountId: number): Promise<void> {
    this.rows.delete(accountId);
  }
}

function copy(connection: VoipConnection): VoipConnection {
  return { ...connection, credentials: { ...connection.credentials } };
}
