import { FixedClock } from '../../test/fakes';
import { KommoAccount, KommoAccountStatus, KommoTokenGrant } from './kommo-account';

const GRANT: KommoTokenGrant = { accessToken: 'access-a', refreshToken: 'refresh-a', expiresInSeconds: 3600 };

describe('KommoAccount', () => {
  let clock: FixedClock;
  let sut: KommoAccount;

  beforeEach(() => {
    clock = new FixedClock('2026-01-15T10:00:00.000Z');
    sut = KommoAccount.connect({ id: 7, subdomain: 'acme', host: 'acme.kommo.com', name: 'Acme', grant: GRANT, now: clock.now() });
  });

  it('connects with the grant, its expiry computed from now, and token version 1', () => {
    expect(sut.snapshot()).toEqual({
      id: 7,
      subdomain: 'acme',
      host: 'acme.kommo.com',
      name: 'Acme',
      country: null,
      status: KommoAccountStatus.Connected,
      tokens: { accessToken: 'access-a', refreshToken: 'refresh-a', expiresAt: new Date('2026-01-15T11:00:00.000Z') },
      tokenVersion: 1,
      statusReason: null,
      statusChangedAt: clock.now(),
      connectedAt: clock.now(),
    });
  });

  it('keeps the country it connected with, replaces it on reconnect, and keeps it when the reconnect has none', () => {
    const account = KommoAccount.connect({ id: 8, subdomain: 'b', host: 'b.kommo.com', name: 'B', country: 'BR', grant: GRANT, now: clock.now() });
    expect(account.country).toBe('BR');

    account.reconnect({ subdomain: 'b', host: 'b.kommo.com', name: 'B', country: null, grant: GRANT, now: clock.now() });
    expect(account.country).toBe('BR');

    account.reconnect({ subdomain: 'b', host: 'b.kommo.com', name: 'B', country: 'MX', grant: GRANT, now: clock.now() });
    expect(account.country).toBe('MX');
  });

  it('restores and snapshots copies: later changes do not leak into the props they came from', () => {
    const snapshot = sut.snapshot();
    sut.storeGrant({ ...GRANT, accessToken: 'access-b' }, clock.now());
    expect(snapshot.tokenVersion).toBe(1);
    expect(snapshot.tokens?.accessToken).toBe('access-a');

    const restored = KommoAccount.restore(snapshot);
    restored.markNeedsReauth('revoked', clock.now());
    expect(snapshot.status).toBe(KommoAccountStatus.Connected);
    expect(snapshot.tokens).not.toBeNull();
  });

  it('stores a new grant and bumps the token version on every write', () => {
    clock.advance(30 * 60_000);
    sut.storeGrant({ accessToken: 'access-b', refreshToken: 'refresh-b', expiresInSeconds: 60 }, clock.now());

    expect(sut.tokens).toEqual({ accessToken: 'access-b', refreshToken: 'refresh-b', expiresAt: new Date('2026-01-15T10:31:00.000Z') });
    expect(sut.tokenVersion).toBe(2);
  });

  describe('accessTokenExpiresWithin', () => {
    const margin = 5 * 60_000;

    it('is false while the expiry is beyond the margin', () => {
      clock.set('2026-01-15T10:54:59.999Z');
      expect(sut.accessTokenExpiresWithin(clock.now(), margin)).toBe(false);
    });

    it('is true when the expiry is exactly at the margin', () => {
      clock.set('2026-01-15T10:55:00.000Z');
      expect(sut.accessTokenExpiresWithin(clock.now(), margin)).toBe(true);
    });

    it('is true once expired, even with no margin', () => {
      clock.set('2026-01-15T11:00:00.001Z');
      expect(sut.accessTokenExpiresWithin(clock.now(), 0)).toBe(true);
    });

    it('is true when there are no tokens', () => {
      sut.markNeedsReauth('revoked', clock.now());
      expect(sut.accessTokenExpiresWithin(clock.now(), 0)).toBe(true);
    });
  });

  it('needs re-authorisation: keeps no tokens, records why and when, bumps the version', () => {
    clock.advance(1000);
    sut.markNeedsReauth('invalid_grant', clock.now());

    expect(sut.status).toBe(KommoAccountStatus.NeedsReauth);
    expect(sut.tokens).toBeNull();
    expect(sut.statusReason).toBe('invalid_grant');
    expect(sut.statusChangedAt).toEqual(clock.now());
    expect(sut.tokenVersion).toBe(2);
  });

  it('disconnects: wipes tokens, records the reason, bumps the version', () => {
    clock.advance(1000);
    sut.disconnect('uninstalled in Kommo', clock.now());

    expect(sut.status).toBe(KommoAccountStatus.Disconnected);
    expect(sut.tokens).toBeNull();
    expect(sut.statusReason).toBe('uninstalled in Kommo');
    expect(sut.statusChangedAt).toEqual(clock.now());
    expect(sut.tokenVersion).toBe(2);
    expect(sut.connectedAt).toEqual(new Date('2026-01-15T10:00:00.000Z'));
  });

  it('reconnects after needs_reauth with the new names, host and grant', () => {
    sut.markNeedsReauth('invalid_grant', clock.now());
    clock.advance(60_000);

    sut.reconnect({ subdomain: 'acme2', host: 'acme2.amocrm.ru', name: 'Acme 2', grant: { ...GRANT, accessToken: 'access-c' }, now: clock.now() });

    expect(sut.status).toBe(KommoAccountStatus.Connected);
    expect(sut.statusReason).toBeNull();
    expect(sut.subdomain).toBe('acme2');
    expect(sut.host).toBe('acme2.amocrm.ru');
    expect(sut.name).toBe('Acme 2');
    expect(sut.tokens?.accessToken).toBe('access-c');
    expect(sut.connectedAt).toEqual(clock.now());
    expect(sut.statusChangedAt).toEqual(clock.now());
    expect(sut.tokenVersion).toBe(3);
  });
});
