/**
 * Provider extension / client identity → Kommo user (the "assign extensions to managers" table). Matches any
 * spelling of an identity (pickExtensionMatch): exact first, else by SIP user part when one manager has it.
 */
export interface ExtensionDirectory {
  /** `callId`, when the lookup is for a call, lets the adapter warn once per call about an ambiguous identity. */
  findUserId(accountId: number, extension: string, callId?: string): Promise<number | null>;
}
