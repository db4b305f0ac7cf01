import { DomainError } from '../shared/domain-error';

export class InvalidE164Error extends DomainError {
  readonly code = 'CALL.INVALID_E164';
  constructor(readonly value: string) {
    super(`"${value}" is not an E.164 phone number (normalise it at the edge)`);
  }
}

/** A call event that breaks the model's invariants: a bug in the adapter that built it; retrying cannot help. */
export class InvalidCallEventError extends DomainError {
  readonly code = 'CALL.INVALID_EVENT';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid call event: ${problems.join('; ')}`);
  }
}

/** Someone else saved the call since we loaded it (optimistic concurrency). Load again and redo. */
export class CallVersionConflictError extends DomainError {
  readonly code = 'CALL.VERSION_CONFLICT';
  override readonly retryable = true;
  constructor(readonly callId: string) {
    super(`Call ${callId} was changed concurrently`);
  }
}

/** A ledger transition the state machine forbids (a bug: e.g. resending while the last attempt is ambiguous). */
export class IllegalDeliveryTransitionError extends DomainError {
  readonly code = 'CALL.ILLEGAL_DELIVERY_TRANSITION';
  constructor(from: string, action: string) {
    super(`Kommo delivery ledger: cannot ${action} while ${from}`);
  }
}

export class CallBatchTooLargeError extends DomainError {
  readonly code = 'CALL.BATCH_TOO_LARGE';
  constructor(size: number, max: number) {
    super(`A Kommo call batch holds at most ${max} calls, got ${size}`);
  }
}

/**
 * Thrown by Kommo adapters ONLY when they are sure a write had no effect (429, connection refused, 401 before
 * the request was processed, a 4xx for the whole request). Any other failure of a write is treated as
 * ambiguous: the domain reconciles (reads back) before it writes again.
 */
export class KommoWriteNotAppliedError extends DomainError {
  readonly code = 'KOMMO.WRITE_NOT_APPLIED';
  override readonly retryable = true;
  constructor(detail: string) {
    super(`Kommo did not apply the write: ${detail}`);
  }
}

export class InvalidModalResultError extends DomainError {
  readonly code = 'CALL.INVALID_MODAL_RESULT';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid call result: ${problems.join('; ')}`);
  }
}
