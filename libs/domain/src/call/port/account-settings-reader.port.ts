import { AccountSettings } from '../../account-settings/account-settings';

/** Read side of the account settings (`AccountSettingsRepository` fits). null = defaults. */
export interface AccountSettingsReader {
  find(accountId: number): Promise<AccountSettings | null>;
}
