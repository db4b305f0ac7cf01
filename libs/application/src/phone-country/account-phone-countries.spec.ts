import { AccountPhoneCountries } from './account-phone-countries';

describe('AccountPhoneCountries', () => {
  let stored: Map<number, string | null>;
  let lookups: number[];
  let failNext: Error | null;
  let now: number;
  let sut: AccountPhoneCountries;

  beforeEach(() => {
    stored = new Map([
      [31000001, 'US'],
      [31000002, 'BR'],
      [31000003, null],
    ]);
    lookups = [];
    failNext = null;
    now = 1_000_000;
    sut = new AccountPhoneCountries(
      async (accountId) => {
        lookups.push(accountId);
        if (failNext) {
          const error = failNext;
          failNext = null;
          throw error;
        }
        return stored.get(accountId) ?? null;
      },
      'MX',
      60_000,
      () => now,
    );
  });

  it("answers each account's stored Kommo country", async () => {
    expect(await sut.countryOf(31000002)).toBe('BR');
    expect(await sut.countryOf(31000001)).toBe('US');
  });

  it('falls back to the default country for an account without one, and for an unknown account', async () => {
    expect(await sut.countryOf(31000003)).toBe('MX');
    expect(await sut.countryOf(99)).toBe('MX');
  });

  it('asks the store once per account within the ttl, again after it', async () => {
    await sut.countryOf(31000002);
    stored.set(31000002, 'PT');
    now += 59_999;
    expect(await sut.countryOf(31000002)).toBe('BR');
    expect(lookups).toEqual([31000002]);

    now += 1;
    expect(await sut.countryOf(31000002)).toBe('PT');
    expect(lookups).toEqual([31000002, 31000002]);
  });

  it('shares one lookup between concurrent misses', async () => {
    const answers = await Promise.all([sut.countryOf(31000002), sut.countryOf(31000002), sut.countryOf(31000001)]);

    expect(answers).toEqual(['BR', 'BR', 'US']);
    expect(lookups).toEqual([31000002, 31000001]);
  });

  it('does not cache a failed lookup', async () => {
    failNext = new Error('db down');

    await expect(sut.countryOf(31000002)).rejects.toThrow('db down');
    expect(await sut.countryOf(31000002)).toBe('BR');
    expect(lookups).toEqual([31000002, 31000002]);
  });
});
