import { KommoAccount, KommoAccountProps, KommoAccountRepository } from '../../src';

/**
 * Stores snapshots, never the caller's live object (like a database row), and honours
 * `saveIfTokenVersion` exactly like the SQL `UPDATE ... WHERE id = ? AND token_version = ?`.
 */
export class InMemoryKommoAccountRepository implements KommoAccountRepository {
  private readonly rows = new Map<number, KommoAccountProps>();
  /** Every successful write, in order (id + token version written). */
  readonly writes: { id: number; tokenVersion: number; conditional: boolean }[] = [];
  /** Conditional writes refused because another writer won. */
  rejectedConditionalWrites = 0;

  /** Seeds a row directly (no write recorded). */
  seed(account: KommoAccount): void {
    this.rows.set(account.id, copy(account.snapshot()));
  }

  async findById(id: number): Promise<KommoAccount | null> {
    const row = this.rows.get(id);
    return row ? KommoAccount.restore(copy(row)) : null;
  }

  async findAll(): Promise<KommoAccount[]> {
    return [...this.rows.values()].sort((a, b) => a.id - b.id).map((row) => KommoAccount.restore(copy(row)));
  }

  async save(account: KommoAccount): Promise<void> {
    this.rows.set(account.id, copy(account.snapshot()));
    this.writes.push({ id: account.id, tokenVersion: account.tokenVersion, conditional: false });
  }

  async saveIfTokenVersion(account: KommoAccount, expectedTokenVersion: number): Promise<boolean> {
    const stored = this.rows.get(account.id);
    if (!stored || stored.tokenVersion !== expectedTokenVersion) {
      this.rejectedConditionalWrites += 1;
      return false;
    }
    this.rows.set(account.id, copy(account.snapshot()));
    this.writes.push({ id: account.id, tokenVersion: account.tokenVersion, conditional: true });
    return true;
  }

  /** The stored row, as a detached copy. */
  stored(id: number): KommoAccountProps | undefined {
    const row = this.rows.get(id);
    return row && copy(row);
  }
}

function copy(props: KommoAccountProps): KommoAccountProps {
  return {
    ...props,
    tokens: props.tokens && { ...props.tokens, expiresAt: new Date(props.tokens.expiresAt.getTime()) },
    statusChangedAt: new Date(props.statusChangedAt.getTime()),
    connectedAt: props.connectedAt && new Date(props.connectedAt.getTime()),
  };
}
