import { KommoAccountHostPolicy } from '@app/domain';

const SUBDOMAIN = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/**
 * `referer` is a bare host such as `acme.kommo.com` (no scheme, port, path or credentials).
 * Anything else is refused, so our client secret is only ever sent to a Kommo account host.
 */
export class KommoAccountHostRules implements KommoAccountHostPolicy {
  private readonly pattern: RegExp;

  constructor(accountDomains: readonly string[]) {
    const domains = accountDomains.map((domain) => domain.trim().toLowerCase().replace(/\./g, '\\.'));
    this.pattern = new RegExp(`^${SUBDOMAIN}\\.(?:${domains.join('|')})$`);
  }

  accountHostOf(referer: string): string | null {
    const host = referer.trim().toLowerCase();
    if (host.length > 255 || host.startsWith('www.')) return null;
    return this.pattern.test(host) ? host : null;
  }
}
