import { VoipProvider } from '../../account-settings/voip-connection';
import { Call } from '../call';
import { E164 } from '../e164';

export interface CallRepository {
  findById(accountId: number, callId: string): Promise<Call | null>;
  /** The call having a leg with this provider call id, or naming it as a parent (Twilio ParentCallSid). */
  findByProviderCallId(accountId: number, provider: VoipProvider, providerCallId: string): Promise<Call | null>;
  /**
   * Compare-and-set: stores `call.toSnapshot()` only if the stored version still equals `call.version`
   * (0 = insert; an insert also fails if another call already holds one of `call.providerCallIds` for that
   * account and provider), then calls `call.markSaved()`. Otherwise throws `CallVersionConflictError`.
   */
  save(call: Call): Promise<void>;
  /** Whether a call with this customer number was answered after `after` (answeredAt, else startedAt). */
  existsAnsweredCallWithNumber(accountId: number, customerNumber: E164, after: Date): Promise<boolean>;
}
