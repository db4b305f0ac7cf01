/**
 * Coalesces many small writes into few statements: calls made while a statement is in flight (or in the same
 * event-loop turn) wait and go out together in the next one. No timer: an idle system writes at once, a busy one
 * in batches as large as the load (up to `maxItems`). Each caller's promise settles with its own batch.
 */
export class CoalescedWrites<T> {
  private pending: { items: readonly T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly maxItems: number,
  ) {}

  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      let size = 0;
      let count = 0;
      while (count < this.pending.length && (count === 0 || size + this.pending[count].items.length <= this.maxItems)) {
        size += this.pending[count].items.length;
        count += 1;
      }
      const batch = this.pending.splice(0, count);
      try {
        await this.write(batch.flatMap((call) => call.items));
        for (const call of batch) call.resolve();
      } catch (error: unknown) {
        for (const call of batch) call.reject(error);
      }
    }
    this.running = false;
  }
}
