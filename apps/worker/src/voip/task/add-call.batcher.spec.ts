import { AddCallItemResult } from '@app/domain';
import { AddCallBatcher } from './add-call.batcher';

describe('AddCallBatcher', () => {
  const logged = (callId: string): AddCallItemResult => ({ callId, outcome: 'logged', retryable: false });

  it('sends calls of one account together once the batch is full', async () => {
    const batches: string[][] = [];
    const sut = new AddCallBatcher(async (_account, ids) => (batches.push([...ids]), { results: ids.map(logged) }), { maxBatch: 3, flushMs: 10_000, maxWaitMs: 10_000 });

    const results = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => sut.submit(1, id)));

    expect(batches).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
    expect(results.map((result) => result.callId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('sends a partial batch after the window, and keeps accounts apart', async () => {
    const batches: [number, string[]][] = [];
    const sut = new AddCallBatcher(async (account, ids) => (batches.push([account, [...ids]]), { results: ids.map(logged) }), { maxBatch: 50, flushMs: 20, maxWaitMs: 20 });

    await Promise.all([sut.submit(1, 'a'), sut.submit(2, 'x'), sut.submit(1, 'b')]);

    expect(batches).toEqual([
      [1, ['a', 'b']],
      [2, ['x']],
    ]);
  });

  it('gives each job its own result, and fails every job of a batch that failed as a whole', async () => {
    let fail = false;
    const sut = new AddCallBatcher(
      async (_account, ids) => {
        if (fail) throw new Error('Kommo timeout');
        return { results: ids.map((id) => ({ callId: id, outcome: id === 'b' ? 'incoming_lead_created' : 'logged', retryable: id === 'c' })) };
      },
      { maxBatch: 3, flushMs: 5, maxWaitMs: 5 },
    );

    const results = await Promise.all(['a', 'b', 'c'].map((id) => sut.submit(1, id)));
    expect(results.map((result) => [result.outcome, result.retryable])).toEqual([
      ['logged', false],
      ['incoming_lead_created', false],
      ['logged', true],
    ]);

    fail = true;
    const failed = await Promise.allSettled([sut.submit(1, 'd'), sut.submit(1, 'e')]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('keeps a partial batch open while more calls are coming, up to the longest wait', async () => {
    const batches: string[][] = [];
    let backlog = true;
    const sut = new AddCallBatcher(async (_account, ids) => (batches.push([...ids]), { results: ids.map(logged) }), {
      maxBatch: 50,
      flushMs: 20,
      maxWaitMs: 1_000,
      moreComing: async () => backlog,
    });
    const first = sut.submit(1, 'a');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([]); // two windows passed, still waiting for the burst
    const second = sut.submit(1, 'b');
    backlog = false;
    await Promise.all([first, second]);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('sends anyway once the longest wait is reached', async () => {
    const batches: string[][] = [];
    const sut = new AddCallBatcher(async (_account, ids) => (batches.push([...ids]), { results: ids.map(logged) }), {
      maxBatch: 50,
      flushMs: 10,
      maxWaitMs: 40,
      moreComing: async () => true,
    });
    const started = Date.now();
    await sut.submit(1, 'a');
    expect(batches).toEqual([['a']]);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('halves the batch size of an account after a 504 on a large batch and grows back below the size that failed', async () => {
    const batches: number[] = [];
    const sut = new AddCallBatcher(
      async (_account, ids) => {
        batches.push(ids.length);
        if (ids.length > 10) throw Object.assign(new Error('Gateway Timeout'), { status: 504 });
        return { results: ids.map(logged) };
      },
      { maxBatch: 40, flushMs: 5, maxWaitMs: 5, tooLarge: (error) => (error as { status?: number }).status === 504 },
    );
    const burst = (from: number, count: number) => Promise.allSettled(Array.from({ length: count }, (_, index) => sut.submit(1, `c${from + index}`)));

    await burst(0, 40);
    expect(sut.sizeFor(1)).toBe(20);
    await burst(100, 40);
    expect(sut.sizeFor(1)).toBe(10);
    const results = await burst(200, 40);
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(batches).toEqual([40, 20, 20, 10, 10, 10, 10]);
    expect(sut.sizeFor(1)).toBe(15); // halfway to the ceiling (20), not back to 40
    expect(sut.sizeFor(2)).toBe(40); // other accounts unaffected

    // It converges: a few more failed probes, then every batch goes through.
    batches.length = 0;
    for (let round = 0; round < 8; round += 1) await burst(1000 + round * 100, 40);
    const failedProbes = batches.filter((size) => size > 10).length;
    expect(failedProbes).toBeLessThanOrEqual(6); // batches in flight together fail together
    expect(batches.slice(-12).every((size) => size <= 10)).toBe(true);
    expect(sut.sizeFor(1)).toBe(10);
  });

  it('forgets the size that failed after a while and tries full batches again', async () => {
    let failAbove = 10;
    const sut = new AddCallBatcher(
      async (_account, ids) => {
        if (ids.length > failAbove) throw Object.assign(new Error('Gateway Timeout'), { status: 504 });
        return { results: ids.map(logged) };
      },
      { maxBatch: 40, flushMs: 5, maxWaitMs: 5, tooLarge: (error) => (error as { status?: number }).status === 504, tooLargeMemoryMs: 30 },
    );
    const burst = (from: number, count: number) => Promise.allSettled(Array.from({ length: count }, (_, index) => sut.submit(1, `c${from + index}`)));
    await burst(0, 40);
    expect(sut.sizeFor(1)).toBe(20);
    failAbove = 1000; // Kommo is healthy again
    await new Promise((resolve) => setTimeout(resolve, 40));
    await burst(100, 20); // 20 → 40
    expect(sut.sizeFor(1)).toBe(40);
  });
});
