/**
 * Base of every business error. A stable `code` lets the edges (HTTP filter, worker) decide what to do;
 * the domain never speaks HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Retrying the same work later can succeed (e.g. a lock not acquired in time). */
  readonly retryable: boolean = false;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
