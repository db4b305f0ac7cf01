import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  it('joins a pass in progress instead of starting a second one, reports failures and runs again after them', async () => {
    let release: () => void = () => undefined;
    let runs = 0;
    const errors: unknown[] = [];
    const sut = new PeriodicPass(
      60_000,
      () => {
        runs += 1;
        if (runs === 2) return Promise.reject(new Error('database unavailable'));
        return new Promise<void>((resolve) => (release = resolve));
      },
      (error) => errors.push(error),
    );

    const first = sut.runOnce();
    const joined = sut.runOnce();
    expect(joined).toBe(first);
    release();
    await first;
    await sut.runOnce(); // fails: reported, not thrown
    expect(errors).toEqual([new Error('database unavailable')]);
    const third = sut.runOnce();
    release();
    await third;
    expect(runs).toBe(3);
  });

  it('stop waits for the pass in progress', async () => {
    let finished = false;
    const sut = new PeriodicPass(60_000, () => new Promise<void>((resolve) => setTimeout(() => ((finished = true), resolve()), 30)), () => undefined);
    sut.start();
    void sut.runOnce();
    await sut.stop();
    expect(finished).toBe(true);
  });
});
