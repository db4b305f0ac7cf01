/** A Kommo API answer we could not use. `retryable` says whether the same request may succeed later. */
export class KommoApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(`Kommo API ${status ?? 'network error'}: ${detail}`);
    this.name = 'KommoApiError';
  }
}
