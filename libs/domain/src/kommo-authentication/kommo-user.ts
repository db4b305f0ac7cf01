/** A user of a Kommo account, as last synced from Kommo. */
export interface KommoUser {
  readonly accountId: number;
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly isAdmin: boolean;
  readonly isActive: boolean;
}

export interface KommoUserRepository {
  /** Replaces the account's users with `users` (users gone from Kommo are removed). */
  replaceForAccount(accountId: number, users: readonly KommoUser[], syncedAt: Date): Promise<void>;
  findForAccount(accountId: number): Promise<KommoUser[]>;
  findOne(accountId: number, userId: number): Promise<KommoUser | null>;
}

/** Kommo's user directory of an account (needs an admin-authorised token). */
export interface KommoUserDirectory {
  listUsers(accountId: number): Promise<KommoUser[]>;
}
