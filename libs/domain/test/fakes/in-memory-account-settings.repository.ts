import { AccountSettings, AccountSettingsRepository } from '../../src';

export class InMemoryAccountSettingsRepository implements AccountSettingsRepository {
  private readonly rows = new Map<number, AccountSettings>();
  saves = 0;

  async find(accountId: number): Promise<AccountSettings | null> {
    const row = this.rows.get(accountId);
    return row ? { ...row } : null;
  }

  async save(settings: AccountSettings): Promise<void> {
    this.saves += 1;
    this.rows.set(settings.accountId, { ...settings });
  }
}
