import { CoalescedWrites } from './coalesced-writes';

describe('CoalescedWrites', () => {
  function recorder(fail: (batch: readonly number[]) => boolean = () => false) {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    let gate: Promise<void> | null = null;
    const write = async (items: readonly number[]) => {
      batches.push([...items]);
      if (gate) await gate;
      if (fail(items)) throw new Error(`batch ${items.join(',')} failed`);
      return items.map((item) => item * 10);
    };
    const hold = () => {
      gate = new Promise((resolve) => (release = resolve));
    };
    const open = () => {
      gate = null;
      release();
    };
    return { batches, write, hold, open };
  }

  it('writes the calls of one event-loop turn in one batch', async () => {
    const { batches, write } = recorder();
    const sut = new CoalescedWrites(write, { maxItems: 100, maxInFlight: 1 });

    const results = await Promise.all([sut.add([1]), sut.add([2, 3]), sut.add([4])]);

    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(results).toEqual([[10], [20, 30], [40]]);
  });

  it('calls made while a batch is in flight go out together in the next one', async () => {
    const { batches, write, hold, open } = recorder();
    const sut = new CoalescedWrites(write, { maxItems: 100, maxInFlight: 1 });
    hold();
    const first = sut.add([1]);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [sut.add([2]), sut.add([3])];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);

    open();
    await Promise.all([first, ...later]);

    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('runs up to maxInFlight batches at once; later calls wait for a free slot', async () => {
    const { batches, write, hold, open } = recorder();
    const sut = new CoalescedWrites(write, { maxItems: 100, maxInFlight: 2 });
    hold();
    const calls = [sut.add([1])];
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(sut.add([2]));
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(sut.add([3]), sut.add([4]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2]]);

    open();
    expect(await Promise.all(calls)).toEqual([[10], [20], [30], [40]]);
    expect(batches).toEqual([[1], [2], [3, 4]]);
  });

  it('never exceeds maxItems per batch (one larger call still goes alone)', async () => {
    const { batches, write } = recorder();
    const sut = new CoalescedWrites(write, { maxItems: 3, maxInFlight: 1 });

    await Promise.all([sut.add([1, 2]), sut.add([3, 4]), sut.add([5, 6, 7, 8]), sut.add([9])]);

    expect(batches).toEqual([[1, 2], [3, 4], [5, 6, 7, 8], [9]]);
  });

  it('a failed batch rejects its own callers only', async () => {
    const { write } = recorder((batch) => batch.includes(2));
    const sut = new CoalescedWrites(write, { maxItems: 2, maxInFlight: 1 });

    const results = await Promise.allSettled([sut.add([1, 2]), sut.add([3])]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  });
});
