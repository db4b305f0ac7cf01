import { LockNotAcquiredError } from '../../src';
import { settle } from './async';
import { InMemoryDistributedLock } from './in-memory-distributed-lock';

describe('InMemoryDistributedLock', () => {
  const options = { ttlMs: 1000, waitMs: 1000 };
  let sut: InMemoryDistributedLock;

  beforeEach(() => {
    sut = new InMemoryDistributedLock();
  });

  it('serialises holders of the same key in arrival order', async () => {
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name}:start`);
      await settle(3);
      events.push(`${name}:end`);
      return name;
    };

    const results = await Promise.all([sut.run('k', options, work('a')), sut.run('k', options, work('b')), sut.run('k', options, work('c'))]);

    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(sut.maxConcurrentHolders).toBe(1);
    expect(sut.isHeld('k')).toBe(false);
  });

  it('lets different keys run at the same time', async () => {
    await Promise.all([sut.run('a', options, () => settle(3)), sut.run('b', options, () => settle(3))]);

    expect(sut.maxConcurrentHolders).toBe(2);
  });

  it('releases the key when the work fails', async () => {
    await expect(sut.run('k', options, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    await expect(sut.run('k', options, async () => 'next')).resolves.toBe('next');
  });

  it('gives up after waitMs with LockNotAcquiredError', async () => {
    let release!: () => void;
    const holder = sut.run('k', options, () => new Promise<void>((resolve) => (release = resolve)));

    await expect(sut.run('k', { ttlMs: 1000, waitMs: 5 }, async () => 'never')).rejects.toBeInstanceOf(LockNotAcquiredError);
    expect(sut.waiting('k')).toBe(0);
    release();
    await holder;
    expect(sut.isHeld('k')).toBe(false);
  });
});
