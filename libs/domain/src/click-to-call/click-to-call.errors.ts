import { DomainError } from '../shared/domain-error';

/**
 * Why a manager's call action (click-to-call, softphone, call result) was refused. The reason is the machine
 * code the widget shows a message for; the message says what to fix. Never swallowed.
 */
export type CallActionFailure =
  /** The number cannot be dialled (the message says why). */
  | 'invalid_number'
  /** The user has no suitable identity in the extension map (the message names the kind needed). */
  | 'not_mapped'
  /** The connection lacks a field this action needs (callerId, twimlAppSid, API key — named). */
  | 'not_configured'
  /** The account has no VoIP connection. */
  | 'not_connected'
  /** The connection's provider cannot do this (yet). */
  | 'not_supported'
  /** The provider refused (its own code and message are carried). */
  | 'provider_error'
  /** The provider could not be reached or did not answer in time. */
  | 'provider_unreachable'
  | 'not_found'
  | 'forbidden'
  | 'invalid_request';

export class CallActionError extends DomainError {
  readonly code: CallActionFailure;

  constructor(
    readonly reason: CallActionFailure,
    message: string,
    readonly details: { readonly providerCode?: string | null; readonly timedOut?: boolean } = {},
  ) {
    super(message);
    this.code = reason;
  }
}
