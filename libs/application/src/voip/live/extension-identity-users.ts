import { IdentityUsers } from '@app/domain';
import { TypeOrmExtensionDirectory } from '@app/persistence';
import { normalizeVoipIdentity } from '@app/voip';
import { AccountPhoneCountries } from '../../phone-country/account-phone-countries';

/**
 * Identity reported by a provider → the mapped manager, accepting the spellings one identity takes in call events
 * (`sip:1001@pbx` reported as `1001` or `sip:1001@10.0.0.5;transport=udp`, `client:alice` as `alice`; see
 * voipIdentityMatchKey). A phone number in national format is read in the account's phone country.
 * One indexed query for all the identities.
 */
export class ExtensionIdentityUsers implements IdentityUsers {
  constructor(
    private readonly extensions: TypeOrmExtensionDirectory,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  async userIdOf(accountId: number, identities: readonly string[], callId?: string): Promise<number | null> {
    if (identities.length === 0) return null;
    const country = await this.phoneCountries.countryOf(accountId);
    return this.extensions.findUserIdAmong(accountId, identities.map((identity) => asPhone(identity, country)), callId);
  }
}

/** A number in national format is read in the account's phone country; anything else is left as reported. */
function asPhone(identity: string, country: string): string {
  if (!/^[\d\s().-]{9,}$/.test(identity.trim())) return identity;
  const normalized = normalizeVoipIdentity(identity, country);
  return normalized.ok && normalized.identity.kind === 'phone' ? normalized.identity.value : identity;
}
