/** What one import run did; shown by the CLI, the worker log and the admin's status. */
export interface CallImportReport {
  readonly connectionId: string;
  readonly accountId: number;
  readonly provider: string;
  readonly since: string;
  readonly until: string;
  /** Entries the provider listed in the window. */
  readonly seen: number;
  /** Calls that were missing here and were fed to the pipeline now. */
  readonly backfilled: number;
  /** Known calls whose recording only the log had: fed so the note gets its recording. */
  readonly recordingsBackfilled: number;
  /** Calls we already had (logged or on their way). */
  readonly alreadyKnown: number;
  /** Still in progress at the provider: left for a later run. */
  readonly inProgress: number;
  /** The provider call ids backfilled (for the report; capped). */
  readonly backfilledCallIds: readonly string[];
}

/** Per connection: how far the call log has been reconciled, and how the last run went. */
export interface CallImportState {
  readonly connectionId: string;
  readonly accountId: number;
  /** Every call that started before this was looked at (the next run starts a little before it). */
  readonly importedUntil: Date | null;
  readonly lastRunAt: Date | null;
  readonly lastReport: CallImportReport | null;
  readonly lastError: string | null;
}

export interface CallImportStateRepository {
  find(connectionId: string): Promise<CallImportState | null>;
  save(state: CallImportState): Promise<void>;
}
