/**
 * Our signed, revocable recording URL for a call, served by our proxy which streams the call's best recording
 * from the provider. Keyed by call id, so the link stays the same when a better recording arrives.
 */
export interface RecordingLinks {
  linkFor(accountId: number, callId: string): string;
}
