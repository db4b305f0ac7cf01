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
    const sut = new CoalescedWrites(write, 100);

    await Promise.all([sut.add([1]), sut.add([2, 3]), sut.add([4])]);

    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('calls made while a batch is in flight go out together in the next one', async () => {
    const { batches, write, hold, open } = recorder();
    const sut = new CoalescedWrites(write, 100);
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

  it('never exceeds maxItems per batch (one larger call still goes alone)', async () => {
    const { batches, write } = recorder();
    const sut = new CoalescedWrites(write, 3);

    await Promise.all([sut.add([1, 2]), sut.add([3, 4]), sut.add([5, 6, 7, 8]), sut.add([9])]);

    expect(batches).toEqual([[1, 2], [3, 4], [5, 6, 7, 8], [9]]);
  });

  it('a failed batch rejects its own callers only', async () => {
    const { write } = recorder((batch) => batch.includes(2));
    const sut = new CoalescedWrites(write, 2);

    const results = await Promise.allSettled([sut.add([1, 2]), sut.add([3])]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  });
});
