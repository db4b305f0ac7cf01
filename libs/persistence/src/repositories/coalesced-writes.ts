/**
 * Coalesces many small writes into few statements: calls made in the same event-loop turn, or while
 * `maxInFlight` statements are already running, go out together in the next one. No timer: an idle system writes
 * at once, a busy one in batches as large as the load (up to `maxItems`). `write` answers one result per item, in
 * order; each caller's promise settles with its own items' results (or its batch's error).
 */
export class CoalescedWrites<T, R = void> {
  private pending: { items: readonly T[]; resolve: (results: R[]) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: { readonly maxItems: number; readonly maxInFlight: number },
  ) {}

  add(items: readonly T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (!this.scheduled && this.inFlight < this.options.maxInFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.launch();
        });
      }
    });
  }

  private launch(): void {
    while (this.pending.length > 0 && this.inFlight < this.options.maxInFlight) {
      let size = 0;
      let count = 0;
      while (count < this.pending.length && (count === 0 || size + this.pending[count].items.length <= this.options.maxItems)) {
        size += this.pending[count].items.length;
        count += 1;
      }
      this.inFlight += 1;
      void this.run(this.pending.splice(0, count)).finally(() => {
        this.inFlight -= 1;
        this.launch();
      });
    }
  }

  private async run(batch: typeof this.pending): Promise<void> {
    try {
      const results = await this.write(batch.flatMap((call) => call.items));
      let offset = 0;
      for (const call of batch) {
        call.resolve(results.slice(offset, offset + call.items.length));
        offset += call.items.length;
      }
    } catch (error: unknown) {
      for (const call of batch) call.reject(error);
    }
  }
}
