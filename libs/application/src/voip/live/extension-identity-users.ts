import { IdentityUsers } from '@app/domain';
import { TypeOrmExtensionDirectory } from '@app/persistence';
import { voipIdentityAliases } from '@app/voip';
import { AccountPhoneCountries } from '../../phone-country/account-phone-countries';

/**
 * Identity reported by a provider → the mapped manager, accepting the spellings one identity takes in call events
 * (`sip:1001@pbx` is reported as `1001`, `client:alice` as `alice`; case-insensitive like the extension keys).
 */
export class ExtensionIdentityUsers implements IdentityUsers {
  constructor(
    private readonly extensions: TypeOrmExtensionDirectory,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  async userIdOf(accountId: number, identities: readonly string[]): Promise<number | null> {
    if (identities.length === 0) return null;
    const country = await this.phoneCountries.countryOf(accountId);
    const byAlias = new Map<string, number>();
    for (const entry of await this.extensions.listForAccount(accountId)) {
      for (const alias of voipIdentityAliases(entry.extension, country)) if (!byAlias.has(alias)) byAlias.set(alias, entry.userId);
    }
    for (const identity of identities) {
      const userId = byAlias.get(identity.trim().toLowerCase()) ?? byAlias.get(identity.trim().replace(/^client:/i, '').toLowerCase());
      if (userId !== undefined) return userId;
    }
    return null;
  }
}
