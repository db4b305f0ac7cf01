import { VoipProvider } from '../../../src/account-settings/voip-connection';
import { Call, CallRepository, CallSnapshot, CallVersionConflictError, E164 } from '../../../src/call';

/** Calls as snapshots, with the adapter's contract: compare-and-set on version, unique leg ids per account+provider. */
export class InMemoryCallRepository implements CallRepository {
  private readonly rows = new Map<string, CallSnapshot>();
  saves = 0;
  conflicts = 0;
  /** Runs before each save is checked (simulate a concurrent writer). */
  beforeSave: ((call: Call) => Promise<void> | void) | null = null;

  async findById(accountId: number, callId: string): Promise<Call | null> {
    const row = this.rows.get(callId);
    return row && row.accountId === accountId ? Call.fromSnapshot(row) : null;
  }

  async findByProviderCallId(accountId: number, provider: VoipProvider, providerCallId: string): Promise<Call | null> {
    for (const row of this.rows.values()) {
      if (row.accountId !== accountId || row.provider !== provider) continue;
      const call = Call.fromSnapshot(row);
      if (call.providerCallIds.includes(providerCallId)) return call;
    }
    return null;
  }

  async save(call: Call): Promise<void> {
    if (this.beforeSave) await this.beforeSave(call);
    const stored = this.rows.get(call.id);
    const storedVersion = stored?.version ?? 0;
    if (storedVersion !== call.version) return this.conflict(call);
    if (!stored) {
      for (const row of this.rows.values()) {
        if (row.accountId !== call.accountId || row.provider !== call.provider) continue;
        const taken = Call.fromSnapshot(row).providerCallIds;
        if (call.providerCallIds.some((id) => taken.includes(id))) return this.conflict(call);
      }
    }
    this.saves += 1;
    this.rows.set(call.id, { ...call.toSnapshot(), version: call.version + 1 });
    call.markSaved();
  }

  async existsAnsweredCallWithNumber(accountId: number, customerNumber: E164, after: Date): Promise<boolean> {
    return this.all(accountId).some((call) => {
      const at = call.answeredAt ?? call.startedAt;
      return call.isAnswered && call.customerNumber === customerNumber && at !== null && at.getTime() > after.getTime();
    });
  }

  /** Test helpers. */
  all(accountId?: number): Call[] {
    return [...this.rows.values()]
      .filter((row) => accountId === undefined || row.accountId === accountId)
      .map((row) => Call.fromSnapshot(row));
  }

  get(callId: string): Call {
    const row = this.rows.get(callId);
    if (!row) throw new Error(`no call ${callId}`);
    return Call.fromSnapshot(row);
  }

  /** Stores a call as is (version taken from the snapshot). */
  put(call: Call): void {
    this.rows.set(call.id, call.toSnapshot());
  }

  private conflict(call: Call): never {
    this.conflicts += 1;
    throw new CallVersionConflictError(call.id);
  }
}
