import { createHmac, timingSafeEqual } from 'node:crypto';
import { RecordingLinks } from '@app/domain';

/**
 * Our recording URLs, the only ones Kommo's player ever gets: `<base>/recordings/<account>/<call>.mp3?sig=…`.
 * The HMAC binds the URL to the account and call; the proxy also refuses accounts that are no longer
 * connected, so uninstalling revokes every link. Keyed by call id: the link stays the same when a better
 * recording arrives.
 */
export class SignedRecordingLinks implements RecordingLinks {
  constructor(
    private readonly publicBaseUrl: string,
    private readonly key: Buffer,
  ) {}

  linkFor(accountId: number, callId: string): string {
    return `${this.publicBaseUrl}/recordings/${accountId}/${encodeURIComponent(callId)}.mp3?sig=${this.signature(accountId, callId)}`;
  }

  isValid(accountId: number, callId: string, signature: string | undefined): boolean {
    if (!signature) return false;
    const expected = Buffer.from(this.signature(accountId, callId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(accountId: number, callId: string): string {
    return createHmac('sha256', this.key).update(`recording|${accountId}|${callId}`).digest('base64url');
  }
}

/** Hosts we fetch recordings from, per provider (no SSRF: nothing else is ever requested). */
export const RECORDING_MEDIA_HOSTS: Readonly<Record<string, readonly string[]>> = {
  twilio: ['api.twilio.com'],
};

/** The provider media URL if it is an https URL on one of the provider's media hosts; otherwise null. */
export function allowedRecordingUrl(provider: string, url: string, extraHosts: readonly string[] = []): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const hosts = [...(RECORDING_MEDIA_HOSTS[provider] ?? []), ...extraHosts].map((host) => host.toLowerCase());
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port !== '') return null;
  return hosts.includes(parsed.hostname.toLowerCase()) ? parsed : null;
}
