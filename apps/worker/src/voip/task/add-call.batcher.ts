import { AddCallItemResult } from '@app/domain';

export interface AddCallBatcherOptions {
  /** Kommo takes up to 50 calls per POST /api/v4/calls in our use (its hard cap is 250). */
  readonly maxBatch: number;
  /** How long the first call of a batch waits for others of the same account. */
  readonly flushMs: number;
  /**
   * While more calls are on their way (a burst is still being processed), a partial batch waits for
   * another window instead of leaving — up to this age. Keeps bursts at full batches, single calls fast.
   */
  readonly maxWaitMs: number;
  /** Whether more work is queued that may add calls to the batch (e.g. queue backlogs). */
  readonly moreComing?: () => Promise<boolean>;
  /**
   * A failure meaning "this batch is too big for Kommo now" (a 504 on a large batch): the account's batch
   * size is halved (down to 1) and grows back after batches that went through.
   */
  readonly tooLarge?: (error: unknown) => boolean;
  /**
   * How long a size Kommo found too large stays the account's ceiling (default 10 min): batches grow back
   * towards it (halfway at each full batch that went through) but not to it, so an account does not pay a failed
   * batch — and a read-back of all its calls — every other request. After this time the full size is tried again.
   */
  readonly tooLargeMemoryMs?: number;
}

interface BatchSize {
  size: number;
  /** The smallest batch size that failed as too large, and until when that is remembered. */
  ceiling: number | null;
  ceilingUntil: number;
}

type RunBatch = (accountId: number, callIds: readonly string[]) => Promise<{ results: AddCallItemResult[] }>;

interface Waiting {
  readonly callId: string;
  resolve(result: AddCallItemResult): void;
  reject(error: unknown): void;
}

/**
 * Gathers AddCall jobs of one account that run at the same time into one Kommo request: the batch
 * leaves when it is full or after a short window. Each job still gets its own result (and its own retry).
 */
export class AddCallBatcher {
  private readonly open = new Map<number, { items: Waiting[]; timer: ReturnType<typeof setTimeout>; openedAt: number }>();
  /** Current batch size per account (absent = maxBatch, no ceiling). */
  private readonly sizes = new Map<number, BatchSize>();

  constructor(
    private readonly run: RunBatch,
    private readonly options: AddCallBatcherOptions,
  ) {}

  submit(accountId: number, callId: string): Promise<AddCallItemResult> {
    return new Promise<AddCallItemResult>((resolve, reject) => {
      let batch = this.open.get(accountId);
      if (!batch) {
        batch = { items: [], timer: setTimeout(() => void this.windowEnded(accountId), this.options.flushMs), openedAt: Date.now() };
        this.open.set(accountId, batch);
      }
      batch.items.push({ callId, resolve, reject });
      if (batch.items.length >= this.sizeFor(accountId)) this.flush(accountId);
    });
  }

  /** Sends every open batch now (shutdown). */
  flushAll(): void {
    for (const accountId of [...this.open.keys()]) this.flush(accountId);
  }

  private async windowEnded(accountId: number): Promise<void> {
    const batch = this.open.get(accountId);
    if (!batch) return;
    const canWait = Date.now() - batch.openedAt + this.options.flushMs <= this.options.maxWaitMs;
    if (canWait && this.options.moreComing && (await this.options.moreComing().catch(() => false))) {
      if (this.open.get(accountId) === batch) batch.timer = setTimeout(() => void this.windowEnded(accountId), this.options.flushMs);
      return;
    }
    this.flush(accountId);
  }

  /** The batch size now used for an account. */
  sizeFor(accountId: number): number {
    return this.sizes.get(accountId)?.size ?? this.options.maxBatch;
  }

  /** A batch of `sent` calls went through: a full batch grows the size (to the ceiling, or doubling without one). */
  private grow(accountId: number, sent: number): void {
    const state = this.sizes.get(accountId);
    if (!state) return;
    if (state.ceiling !== null && state.ceilingUntil <= Date.now()) state.ceiling = null;
    if (sent < state.size) return; // a partial batch says nothing about larger ones
    if (state.ceiling === null) state.size = Math.min(this.options.maxBatch, state.size * 2);
    else state.size = Math.max(state.size, Math.min(state.ceiling - 1, Math.floor((state.size + state.ceiling) / 2)));
    if (state.size >= this.options.maxBatch && state.ceiling === null) this.sizes.delete(accountId);
  }

  /** Kommo found a batch of `sent` calls too large: halve, and remember `sent` as the ceiling for a while. */
  private shrink(accountId: number, sent: number): void {
    const state = this.sizes.get(accountId) ?? { size: this.options.maxBatch, ceiling: null, ceilingUntil: 0 };
    state.size = Math.max(1, Math.min(state.size, Math.floor(sent / 2)));
    state.ceiling = state.ceiling === null || state.ceilingUntil <= Date.now() ? sent : Math.min(state.ceiling, sent);
    state.ceilingUntil = Date.now() + (this.options.tooLargeMemoryMs ?? 600_000);
    this.sizes.set(accountId, state);
  }

  private flush(accountId: number): void {
    const batch = this.open.get(accountId);
    if (!batch) return;
    this.open.delete(accountId);
    clearTimeout(batch.timer);
    const callIds = batch.items.map((item) => item.callId);
    this.run(accountId, callIds).then(
      ({ results }) => {
        this.grow(accountId, callIds.length);
        const byId = new Map(results.map((result) => [result.callId, result]));
        for (const item of batch.items) {
          const result = byId.get(item.callId);
          if (result) item.resolve(result);
          else item.reject(new Error(`AddCall returned no result for call ${item.callId}`));
        }
      },
      (error: unknown) => {
        // Half of the batch that failed (batches of one size failing together halve it once).
        if (this.options.tooLarge?.(error)) this.shrink(accountId, callIds.length);
        for (const item of batch.items) item.reject(error);
      },
    );
  }
}
