import { KommoHttp, KommoResponse } from './kommo-http';
import { accountCountryOf, KommoOAuthClient } from './kommo-oauth.client';

describe('accountCountryOf (Kommo account `country`, format UNCONFIRMED)', () => {
  it.each([
    ['BR', 'BR'],
    ['br', 'BR'],
    ['Us', 'US'],
    [' mx ', 'MX'],
  ])('reads %j as the alpha-2 code %s', (raw, expected) => {
    expect(accountCountryOf(raw)).toBe(expected);
  });

  it.each([[''], ['Brazil'], ['BRA'], ['pt-BR'], ['B1'], [null], [undefined], [55], [{ code: 'BR' }]])('treats %j as unknown', (raw) => {
    expect(accountCountryOf(raw)).toBeNull();
  });
});

describe('KommoOAuthClient.fetchAccount', () => {
  const config = { clientId: 'id', clientSecret: 'secret', redirectUri: 'https://x', accountDomains: ['kommo.com'], authorizationUrl: 'https://x', requestTimeoutMs: 2000, apiBaseUrlOverride: null };
  const answering = (body: unknown): KommoHttp => {
    const response: KommoResponse = { status: 200, body, headers: {} } as unknown as KommoResponse;
    return { send: () => Promise.resolve(response) } as unknown as KommoHttp;
  };

  it('returns the account with its country upper-cased', async () => {
    const sut = new KommoOAuthClient(answering({ id: 31000002, subdomain: 'acme', name: 'Acme', country: 'br' }), config);

    expect(await sut.fetchAccount('acme.kommo.com', 't')).toEqual({ id: 31000002, subdomain: 'acme', name: 'Acme', country: 'BR' });
  });

  it('answers a null country when Kommo sends none or one we do not recognise', async () => {
    const missing = new KommoOAuthClient(answering({ id: 1, subdomain: 'a', name: 'A' }), config);
    const spelled = new KommoOAuthClient(answering({ id: 1, subdomain: 'a', name: 'A', country: 'Brazil' }), config);

    expect((await missing.fetchAccount('a.kommo.com', 't')).country).toBeNull();
    expect((await spelled.fetchAccount('a.kommo.com', 't')).country).toBeNull();
  });
});
