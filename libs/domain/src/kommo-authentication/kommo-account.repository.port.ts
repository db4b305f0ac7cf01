import { KommoAccount } from './kommo-account';

export interface KommoAccountRepository {
  findById(id: number): Promise<KommoAccount | null>;
  findAll(): Promise<KommoAccount[]>;
  /** Inserts or fully updates the account (status, names, tokens). */
  save(account: KommoAccount): Promise<void>;
  /**
   * Writes the account only if its stored token version is still `expectedTokenVersion`
   * (optimistic concurrency for token rotation). Returns false when another writer won.
   */
  saveIfTokenVersion(account: KommoAccount, expectedTokenVersion: number): Promise<boolean>;
}
