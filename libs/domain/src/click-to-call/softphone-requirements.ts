import { VoipConnection, VoipConnectionRepository, VoipProvider } from '../account-settings/voip-connection';
import { CallActionError } from './click-to-call.errors';
import { ManagerDevice, ManagerDevices } from './manager-devices.port';

const FIELD_LABELS: Readonly<Record<string, string>> = {
  apiKeySid: 'API key SID (apiKeySid)',
  apiKeySecret: 'API key secret (apiKeySecret)',
  twimlAppSid: 'TwiML App SID (twimlAppSid)',
  callerId: 'caller ID (callerId)',
};

/** The account's connection, or `not_connected`. */
export async function requireConnection(connections: VoipConnectionRepository, accountId: number): Promise<VoipConnection> {
  const connection = await connections.findForAccount(accountId);
  if (!connection) {
    throw new CallActionError('not_connected', 'This Kommo account has no telephony connection yet: an administrator connects one in the widget settings');
  }
  return connection;
}

/** The browser softphone is Twilio's Voice SDK: a Twilio connection with the named fields set. */
export function requireSoftphoneConnection(connection: VoipConnection, fields: readonly string[]): void {
  if (connection.provider !== VoipProvider.Twilio) {
    throw new CallActionError('not_supported', `The browser softphone works with a Twilio connection; this account uses ${connection.provider}`);
  }
  const missing = fields.filter((field) => !connection.credentials[field]);
  if (missing.length > 0) {
    throw new CallActionError(
      'not_configured',
      `The Twilio connection lacks ${missing.map((field) => FIELD_LABELS[field] ?? field).join(', ')}: an administrator enters ${missing.length === 1 ? 'it' : 'them'} in the widget settings`,
    );
  }
}

/** The user's Twilio client identity from the extension map, or `not_mapped` saying what is needed. */
export async function requireClientIdentity(devices: ManagerDevices, accountId: number, userId: number): Promise<string> {
  const mapped = await devices.devicesOf(accountId, userId);
  const client = mapped.find((device): device is Extract<ManagerDevice, { kind: 'client' }> => device.kind === 'client');
  if (client) return client.identity;
  throw new CallActionError(
    'not_mapped',
    `Your Kommo user has no Twilio client identity in the extension map (needed for the browser softphone: letters, digits and underscores, e.g. client:anna_smith)${describe(mapped)}`,
  );
}

export function describe(mapped: readonly ManagerDevice[]): string {
  if (mapped.length === 0) return '; nothing is mapped to you yet';
  const listed = mapped.map((device) => (device.kind === 'other' ? `${device.mapped} (${device.problem})` : device.mapped));
  return `; mapped to you: ${listed.join(', ')}`;
}
