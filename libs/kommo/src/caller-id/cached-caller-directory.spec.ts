import { CallerMatch, e164 } from '@app/domain';
import { CachedCallerDirectory } from './cached-caller-directory';

const PHONE = e164('+14155550100');
const JOHN: CallerMatch = { name: 'John', entity: { type: 'contact', id: 1, name: 'John' }, activeLead: null, responsibleUserId: 2 };

describe('CachedCallerDirectory', () => {
  let now: number;
  let lookups: number;
  let answer: () => Promise<CallerMatch | null>;
  const sut = () => new CachedCallerDirectory({ findByPhone: () => ((lookups += 1), answer()) }, 30_000, 10_000, () => now);

  beforeEach(() => {
    now = 0;
    lookups = 0;
    answer = async () => JOHN;
  });

  it('shares one lookup per account and number for 30 s (in flight too), then asks again', async () => {
    const cache = sut();
    const [a, b] = await Promise.all([cache.findByPhone(1, PHONE), cache.findByPhone(1, PHONE)]);
    expect([a, b]).toEqual([JOHN, JOHN]);
    await cache.findByPhone(2, PHONE); // another account: its own lookup
    expect(lookups).toBe(2);
    now = 30_001;
    await cache.findByPhone(1, PHONE);
    expect(lookups).toBe(3);
  });

  it('does not keep failures', async () => {
    const cache = sut();
    answer = () => Promise.reject(new Error('Kommo 503'));
    await expect(cache.findByPhone(1, PHONE)).rejects.toThrow('503');
    answer = async () => null;
    await expect(cache.findByPhone(1, PHONE)).resolves.toBeNull();
    expect(lookups).toBe(2);
  });
});
