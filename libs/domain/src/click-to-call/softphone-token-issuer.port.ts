import { VoipConnection } from '../account-settings/voip-connection';

export interface SoftphoneToken {
  /** A credential: never logged. */
  readonly token: string;
  readonly identity: string;
  readonly expiresAt: Date;
  readonly ttlSeconds: number;
}

/** Mints the browser softphone's short-lived access token (Twilio: AccessToken + VoiceGrant). */
export interface SoftphoneTokenIssuer {
  issue(connection: VoipConnection, identity: string, ttlSeconds: number): SoftphoneToken;
}
