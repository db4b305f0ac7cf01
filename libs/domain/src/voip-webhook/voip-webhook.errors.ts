import { DomainError } from '../shared/domain-error';

/**
 * Neither the inbox (PostgreSQL) nor the spool (Redis) could store a verified delivery: it was not
 * acknowledged, so the provider still holds it (Twilio retries only with connection overrides). Counted
 * as at-risk; the edge answers 503.
 */
export class CallWebhookNotStoredError extends DomainError {
  readonly code = 'VOIP.WEBHOOK_NOT_STORED';
  override readonly retryable = true;

  constructor(readonly inboxFailure: string, readonly spoolFailure: string) {
    super('The delivery could not be stored (inbox and spool unavailable); send it again later');
  }
}
