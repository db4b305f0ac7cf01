import { KommoAccountHostPolicy } from '../../src';

/** Accepts exactly the listed hosts (the real rules live in libs/kommo). Records every check. */
export class FakeKommoAccountHostPolicy implements KommoAccountHostPolicy {
  readonly checked: string[] = [];
  private readonly hosts: ReadonlySet<string>;

  constructor(hosts: readonly string[]) {
    this.hosts = new Set(hosts);
  }

  accountHostOf(referer: string): string | null {
    this.checked.push(referer);
    return this.hosts.has(referer) ? referer : null;
  }
}
