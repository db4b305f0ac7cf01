/** One row of the account's extension map (identities normalised at the edge). */
export interface MappedIdentity {
  readonly extension: string;
  readonly userId: number;
}

/** The extension map, read whole (the Voice URL rings identities, not users). */
export interface ManagerIdentities {
  listForAccount(accountId: number): Promise<readonly MappedIdentity[]>;
}
