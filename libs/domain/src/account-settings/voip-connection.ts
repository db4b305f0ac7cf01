export enum VoipProvider {
  Twilio = 'twilio',
  GenericPbx = 'generic_pbx',
  RingCentral = 'ringcentral',
  Zenvia = 'zenvia',
}

export interface VoipCredentialSpec {
  /** Fields the administrator must enter. */
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Secrets we generate and show once (e.g. the signing secret a PBX uses to sign its webhooks). */
  readonly generated: readonly string[];
}

/** What each provider's connection needs. Values are secrets: stored encrypted, never returned in clear. */
export const VOIP_CREDENTIALS: Readonly<Record<VoipProvider, VoipCredentialSpec>> = {
  [VoipProvider.Twilio]: { required: ['accountSid', 'authToken'], optional: ['apiKeySid', 'apiKeySecret', 'twimlAppSid', 'callerId'], generated: [] },
  // recordingHost: the host the PBX's recording_url points to (the only host our recording proxy fetches from).
  [VoipProvider.GenericPbx]: { required: [], optional: ['recordingHost'], generated: ['signingSecret'] },
  // clientId/clientSecret: the RingCentral app (ours or the customer's); jwt: the customer's JWT credential for it.
  // callerId: number shown to the customer on RingOut (docs/ringcentral.md).
  [VoipProvider.RingCentral]: { required: ['clientId', 'clientSecret', 'jwt'], optional: ['callerId'], generated: [] },
  // accessToken: the Zenvia Voice API token (Access-Token header); callerId: bina_destino on click-to-call (docs/zenvia.md).
  [VoipProvider.Zenvia]: { required: ['accessToken'], optional: ['callerId'], generated: [] },
};

export type VoipCredentials = Readonly<Record<string, string>>;

/** The account's telephony connection. `pathKey` is the unguessable part of its webhook URLs. */
export interface VoipConnection {
  readonly id: string;
  readonly accountId: number;
  readonly provider: VoipProvider;
  readonly pathKey: string;
  readonly credentials: VoipCredentials;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface VoipConnectionRepository {
  findForAccount(accountId: number): Promise<VoipConnection | null>;
  /** Webhook routing: the connection whose (unguessable) path key this is. */
  findByPathKey(pathKey: string): Promise<VoipConnection | null>;
  /** Inserts or replaces the account's connection. */
  save(connection: VoipConnection): Promise<void>;
  /** Forgets the connection and its credentials (uninstall). */
  removeForAccount(accountId: number): Promise<void>;
}

/** Shows enough of a secret to recognise it, never enough to use it. */
export function maskSecret(value: string): string {
  const visible = value.length >= 12 ? value.slice(-4) : '';
  return `${'•'.repeat(8)}${visible}`;
}
