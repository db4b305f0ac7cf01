import type { VoipConnection, VoipProvider } from '../account-settings/voip-connection';

/**
 * "Making a call inside Kommo" without the browser softphone: the provider first rings the manager's own
 * device (phone, SIP, extension), then bridges the customer. One adapter per provider (Twilio REST Calls,
 * RingCentral RingOut, Zenvia /chamada, …), chosen by the connection's provider.
 */
export interface ClickToCallGateway {
  readonly provider: VoipProvider;
  placeCall(request: ClickToCallRequest): Promise<ClickToCallPlaced>;
}

export interface ClickToCallRequest {
  readonly connection: VoipConnection;
  /** The manager's mapped VoIP identity (E.164 number, `sip:` URI, extension or client identity). */
  readonly managerIdentity: string;
  /** The customer's number, already normalised to E.164 at the edge. */
  readonly customerE164: string;
  /** Number shown to the customer (E.164), when the account configured one. */
  readonly callerIdE164: string | null;
}

export interface ClickToCallPlaced {
  /** The provider's id of the call it created (Twilio CallSid, RingCentral session id, …). */
  readonly providerCallId: string;
}

/** Why the provider refused or failed to place the call — always shown to the manager, never swallowed. */
export class ClickToCallFailed extends Error {
  constructor(
    readonly reason: 'provider_rejected' | 'provider_unreachable' | 'not_configured',
    message: string,
    /** The provider's own error code (e.g. Twilio's 21211), shown to the manager with the message. */
    readonly providerCode: string | null = null,
    /** The provider did not answer in time (as opposed to answering with an error). */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ClickToCallFailed';
  }
}
