import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
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
  // RingCentral call-log `recording.contentUri` (voip.md §2.4): production and developer sandbox media hosts.
  ringcentral: ['media.ringcentral.com', 'media.devtest.ringcentral.com'],
  // Zenvia: our canonical `/chamada/{id}/gravacao` URL (the opaque url_gravacao host is never fetched).
  zenvia: ['voice-api.zenvia.com'],
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

/**
 * A generic PBX's recording URL, if it is on the host the admin configured for the connection
 * (`recordingHost`, host[:port]). https only, unless the deployment allows PBXs on its private network.
 */
export function allowedPbxRecordingUrl(url: string, recordingHost: string | undefined, allowPrivateNetwork: boolean): URL | null {
  if (!recordingHost) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const schemeOk = parsed.protocol === 'https:' || (allowPrivateNetwork && parsed.protocol === 'http:');
  if (!schemeOk || parsed.username || parsed.password) return null;
  return parsed.host.toLowerCase() === recordingHost.trim().toLowerCase() ? parsed : null;
}

const PRIVATE_NETWORKS = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 4],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  list.addAddress('::', 'ipv6');
  list.addAddress('::1', 'ipv6');
  list.addSubnet('fc00::', 7, 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  return list;
})();

/** Whether a host name resolves only to public addresses (no loopback, private, link-local: no SSRF). */
export async function resolvesToPublicAddresses(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    return false;
  }
  return addresses.length > 0 && addresses.every(({ address, family }) => !PRIVATE_NETWORKS.check(address, family === 6 ? 'ipv6' : 'ipv4'));
}
