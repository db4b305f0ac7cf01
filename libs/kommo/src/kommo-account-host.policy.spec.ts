import { KommoAccountHostRules } from './kommo-account-host.policy';

describe('KommoAccountHostRules', () => {
  const sut = new KommoAccountHostRules(['kommo.com', 'amocrm.ru', 'amocrm.com']);

  it.each(['acme.kommo.com', 'x.amocrm.ru', 'acme-2.amocrm.com', '1.kommo.com', `${'a'.repeat(63)}.kommo.com`])(
    'accepts the account host %p',
    (host) => {
      expect(sut.accountHostOf(host)).toBe(host);
    },
  );

  it('normalises case and surrounding blanks', () => {
    expect(sut.accountHostOf('  ACME.Kommo.COM ')).toBe('acme.kommo.com');
  });

  it.each([
    'evil.com',
    'acme.kommo.com.evil.com',
    'https://acme.kommo.com',
    'acme.kommo.com:443',
    'user@acme.kommo.com',
    'www.kommo.com',
    'WWW.kommo.com',
    'acme.kommo.com/path',
    'acme.kommo.com?x=1',
    'acme.kommo.com#frag',
    '',
    '   ',
    'kommo.com',
    '.kommo.com',
    'a.b.kommo.com',
    'acme.kommo.com.',
    'acme-.kommo.com',
    '-acme.kommo.com',
    'ac_me.kommo.com',
    'acmekommo.com',
    'acme.kommoxcom',
    'acme.evilkommo.com',
    `${'a'.repeat(64)}.kommo.com`,
    'acme.kommo.com\nevil.com',
  ])('refuses %p', (referer) => {
    expect(sut.accountHostOf(referer)).toBeNull();
  });

  it('only knows the configured domains', () => {
    const kommoOnly = new KommoAccountHostRules(['kommo.com']);

    expect(kommoOnly.accountHostOf('x.amocrm.ru')).toBeNull();
    expect(kommoOnly.accountHostOf('x.kommo.com')).toBe('x.kommo.com');
  });

  it('treats the dots of configured domains literally', () => {
    expect(new KommoAccountHostRules([' Kommo.com ']).accountHostOf('acme.kommoXcom')).toBeNull();
  });
});
