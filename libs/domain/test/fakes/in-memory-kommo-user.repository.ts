import { KommoUser, KommoUserDirectory, KommoUserRepository } from '../../src';

export class InMemoryKommoUserRepository implements KommoUserRepository {
  private readonly byAccount = new Map<number, KommoUser[]>();
  readonly syncedAt = new Map<number, Date>();

  async replaceForAccount(accountId: number, users: readonly KommoUser[], syncedAt: Date): Promise<void> {
    this.byAccount.set(
      accountId,
      users.map((user) => ({ ...user })).sort((a, b) => a.id - b.id),
    );
    this.syncedAt.set(accountId, new Date(syncedAt.getTime()));
  }

  async findForAccount(accountId: number): Promise<KommoUser[]> {
    return (this.byAccount.get(accountId) ?? []).map((user) => ({ ...user }));
  }

  async findOne(accountId: number, userId: number): Promise<KommoUser | null> {
    const user = this.byAccount.get(accountId)?.find((candidate) => candidate.id === userId);
    return user ? { ...user } : null;
  }
}

/** Kommo's user list of each account, as the test sets it. */
export class FakeKommoUserDirectory implements KommoUserDirectory {
  readonly calls: number[] = [];
  private readonly users = new Map<number, KommoUser[]>();
  private failure: Error | null = null;

  setUsers(accountId: number, users: readonly KommoUser[]): void {
    this.users.set(accountId, users.map((user) => ({ ...user })));
  }

  failWith(error: Error | null): void {
    this.failure = error;
  }

  async listUsers(accountId: number): Promise<KommoUser[]> {
    this.calls.push(accountId);
    if (this.failure) throw this.failure;
    return (this.users.get(accountId) ?? []).map((user) => ({ ...user }));
  }
}

/** A Kommo user with sensible defaults. */
export function aKommoUser(overrides: Partial<KommoUser> & Pick<KommoUser, 'accountId' | 'id'>): KommoUser {
  return {
    name: `User ${overrides.id}`,
    email: `user${overrides.id}@example.com`,
    isAdmin: false,
    isActive: true,
    ...overrides,
  };
}
