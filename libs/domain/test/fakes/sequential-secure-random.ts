import { SecureRandom } from '../../src';

/** Predictable "random" tokens: `random-1`, `random-2`, ... Records the entropy asked for. */
export class SequentialSecureRandom implements SecureRandom {
  readonly requestedBytes: number[] = [];
  private counter = 0;

  constructor(private readonly prefix = 'random') {}

  token(bytes: number): string {
    this.requestedBytes.push(bytes);
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /** How many tokens were handed out. */
  get issued(): number {
    return this.counter;
  }
}
