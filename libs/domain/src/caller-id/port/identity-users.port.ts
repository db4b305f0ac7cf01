/** Which manager an identity reported in a call event is (spellings of one identity match, e.g. a SIP user). */
export interface IdentityUsers {
  /** The user of the first identity that is mapped; null if none is. `callId` scopes the ambiguity warning. */
  userIdOf(accountId: number, identities: readonly string[], callId?: string): Promise<number | null>;
}
