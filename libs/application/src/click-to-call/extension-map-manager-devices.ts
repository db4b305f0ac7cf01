import { e164, ManagerDevice, ManagerDevices } from '@app/domain';
import { TypeOrmExtensionDirectory } from '@app/persistence';
import { normalizeVoipIdentity } from '@app/voip';
import { AccountPhoneCountries } from '../phone-country/account-phone-countries';

/**
 * The extension map read as devices, with the same edge normalisation the map is saved with
 * (normalizeVoipIdentity): a phone number (E.164), a `sip:` URI, a Twilio client identity, or something the
 * requested call cannot use (a PBX extension, a legacy entry) — kept to tell the manager what is mapped.
 */
export class ExtensionMapManagerDevices implements ManagerDevices {
  constructor(
    private readonly directory: TypeOrmExtensionDirectory,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  async devicesOf(accountId: number, userId: number): Promise<readonly ManagerDevice[]> {
    const entries = (await this.directory.listForAccount(accountId)).filter((entry) => entry.userId === userId);
    const country = await this.phoneCountries.countryOf(accountId);
    return entries.map((entry) => classifyDevice(entry.extension, country));
  }

  async userOfClientIdentity(accountId: number, identity: string): Promise<number | null> {
    return this.directory.findUserId(accountId, /^client:/i.test(identity) ? identity : `client:${identity}`);
  }
}

export function classifyDevice(mapped: string, defaultCountry: string): ManagerDevice {
  const normalized = normalizeVoipIdentity(mapped, defaultCountry);
  if (!normalized.ok) return { kind: 'other', mapped, problem: normalized.problem };
  const { kind, value } = normalized.identity;
  switch (kind) {
    case 'phone':
      return { kind: 'phone', e164: e164(value), mapped };
    case 'sip':
      return { kind: 'sip', uri: value, mapped };
    case 'client':
      return { kind: 'client', identity: value, mapped };
    case 'extension':
      return { kind: 'other', mapped, problem: 'a PBX extension' };
  }
}
