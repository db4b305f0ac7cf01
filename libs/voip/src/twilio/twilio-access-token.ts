import { SoftphoneToken, SoftphoneTokenIssuer, VoipConnection } from '@app/domain';
import AccessToken from 'twilio/lib/jwt/AccessToken';

export interface SoftphoneTokenInput {
  readonly accountSid: string;
  readonly apiKeySid: string;
  readonly apiKeySecret: string;
  /** The TwiML App whose Voice URL places the softphone's outgoing calls (our /outbound route). */
  readonly twimlAppSid: string;
  /** Twilio client identity: letters, digits and underscores only, ≤ 121 characters (voip.md §1.8). */
  readonly identity: string;
  readonly ttlSeconds: number;
}

export interface MintedSoftphoneToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export const TWILIO_CLIENT_IDENTITY = /^[A-Za-z0-9_]{1,121}$/;

/**
 * A Voice SDK access token (voip.md §1.8) from the official `twilio` package: HS256 signed with the API key
 * secret, `iss` = API key SID, `sub` = Account SID, VoiceGrant with outgoing = our TwiML App and incoming allowed.
 * The token is a credential: callers must never log it.
 */
export function mintSoftphoneToken(input: SoftphoneTokenInput): MintedSoftphoneToken {
  if (!TWILIO_CLIENT_IDENTITY.test(input.identity)) throw new Error('A Twilio client identity allows only letters, digits and underscores');
  const accessToken = new AccessToken(input.accountSid, input.apiKeySid, input.apiKeySecret, { identity: input.identity, ttl: input.ttlSeconds });
  accessToken.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: input.twimlAppSid, incomingAllow: true }));
  const token = accessToken.toJwt('HS256');
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  return { token, expiresAt: new Date(payload.exp * 1000) };
}

/** The domain's SoftphoneTokenIssuer for Twilio connections (fields checked by the use case first). */
export class TwilioSoftphoneTokenIssuer implements SoftphoneTokenIssuer {
  issue(connection: VoipConnection, identity: string, ttlSeconds: number): SoftphoneToken {
    const { accountSid, apiKeySid, apiKeySecret, twimlAppSid } = connection.credentials;
    const minted = mintSoftphoneToken({
      accountSid: accountSid ?? '',
      apiKeySid: apiKeySid ?? '',
      apiKeySecret: apiKeySecret ?? '',
      twimlAppSid: twimlAppSid ?? '',
      identity,
      ttlSeconds,
    });
    return { token: minted.token, identity, expiresAt: minted.expiresAt, ttlSeconds };
  }
}
