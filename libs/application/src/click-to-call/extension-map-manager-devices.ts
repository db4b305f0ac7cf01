import { ManagerDevice, ManagerDevices } from '@app/domain';
import { TypeOrmExtensionDirectory } from '@app/persistence';
import { classifyPhoneParty, TWILIO_CLIENT_IDENTITY } from '@app/voip';

/**
 * The extension map read as devices (phone numbers parsed here, at the edge): `client:name` or a bare
 * identity with a letter/underscore → a Twilio client; `sip:` → SIP; a valid number → phone; else `other`.
 */
export class ExtensionMapManagerDevices implements ManagerDevices {
  constructor(
    private readonly directory: TypeOrmExtensionDirectory,
    private readonly defaultCountry: string,
  ) {}

  async devicesOf(accountId: number, userId: number): Promise<readonly ManagerDevice[]> {
    const entries = (await this.directory.listForAccount(accountId)).filter((entry) => entry.userId === userId);
    return entries.map((entry) => classifyDevice(entry.extension, this.defaultCountry));
  }

  async userOfClientIdentity(accountId: number, identity: string): Promise<number | null> {
    const bare = identity.replace(/^client:/i, '');
    return (await this.directory.findUserId(accountId, `client:${bare}`)) ?? (await this.directory.findUserId(accountId, bare));
  }
}

export function classifyDevice(mapped: string, defaultCountry: string): ManagerDevice {
  const value = mapped.trim();
  if (/^client:/i.test(value)) {
    const identity = value.slice('client:'.length);
    return TWILIO_CLIENT_IDENTITY.test(identity)
      ? { kind: 'client', identity, mapped: value }
      : { kind: 'other', mapped: value, problem: 'a Twilio client identity has only letters, digits and underscores' };
  }
  if (/^sips?:/i.test(value)) return { kind: 'sip', uri: value, mapped: value };
  if (TWILIO_CLIENT_IDENTITY.test(value) && /[A-Za-z_]/.test(value)) return { kind: 'client', identity: value, mapped: value };
  const party = classifyPhoneParty(value, defaultCountry);
  if (party.kind === 'pstn' && value.startsWith('+')) return { kind: 'phone', e164: party.e164, mapped: value };
  if (party.kind === 'pstn') return { kind: 'other', mapped: value, problem: 'write a phone number in E.164 form, e.g. +14155550100' };
  return { kind: 'other', mapped: value, problem: /[A-Za-z]/.test(value) ? 'a Twilio client identity has only letters, digits and underscores' : 'an extension, not a phone number or identity' };
}
