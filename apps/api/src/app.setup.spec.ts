import { loadAppConfig } from '@app/application';
import { isAllowedOrigin } from './app.setup';

describe('isAllowedOrigin', () => {
  const config = loadAppConfig(
    { KOMMO_ACCOUNT_DOMAINS: 'kommo.com,amocrm.ru,amocrm.com', CORS_EXTRA_ORIGINS: 'http://127.0.0.1:8090,https://sandbox.example.com' },
    [],
  );

  it.each(['https://acme.kommo.com', 'https://x.amocrm.ru', 'https://acme-2.amocrm.com', 'https://1.kommo.com'])(
    'allows the Kommo account origin %p',
    (origin) => {
      expect(isAllowedOrigin(origin, config)).toBe(true);
    },
  );

  it.each([
    'http://acme.kommo.com',
    'https://acme.kommo.com:443',
    'https://acme.kommo.com:8443',
    'https://acme.kommo.com.evil.com',
    'https://acmekommo.com',
    'https://evil-kommo.com',
    'https://kommo.com',
    'https://www.kommo.com',
    'https://www.amocrm.ru',
    'https://a.b.kommo.com',
    'https://-acme.kommo.com',
    'https://acme.kommo.com.',
    'https://acme.kommo.com/',
    'https://acme.kommo.com/path',
    'https://user@acme.kommo.com',
    'https://ACME.kommo.com',
    'wss://acme.kommo.com',
    'https://evil.com',
    'null',
    '',
  ])('refuses %p', (origin) => {
    expect(isAllowedOrigin(origin, config)).toBe(false);
  });

  it('allows the configured extra origins exactly', () => {
    expect(isAllowedOrigin('http://127.0.0.1:8090', config)).toBe(true);
    expect(isAllowedOrigin('https://sandbox.example.com', config)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8091', config)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1', config)).toBe(false);
  });

  it('only knows the configured account domains', () => {
    const kommoOnly = loadAppConfig({ KOMMO_ACCOUNT_DOMAINS: 'kommo.com' }, []);

    expect(isAllowedOrigin('https://acme.kommo.com', kommoOnly)).toBe(true);
    expect(isAllowedOrigin('https://acme.amocrm.ru', kommoOnly)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:8090', kommoOnly)).toBe(false);
  });
});
