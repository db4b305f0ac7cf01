import type { VoipConnection } from '../../../account-settings/voip-connection';
import type { CallRepository } from '../../../call/port/call.repository.port';
import type { Clock } from '../../../shared/clock.port';
import { processCallWebhookTask } from '../../../task/task';
import type { TaskQueue } from '../../../task/task-queue.port';
import type { CallWebhookInbox } from '../../../voip-webhook/call-webhook-inbox.port';
import type { CallHistorySource } from '../../call-history-source.port';
import type { CallImportReport, CallImportStateRepository } from '../../call-import-state.port';

export interface ImportCallHistoryCommand {
  readonly connection: VoipConnection;
  /** Start of the window; default: a little before where the last run ended, else the configured look-back. */
  readonly since?: Date | null;
  /** Called after each call-log entry (CLI progress). */
  readonly onProgress?: (report: CallImportReport) => void;
}

export interface ImportCallHistoryOptions {
  /** Window of a connection's first import. */
  readonly lookbackMs: number;
  /** Kept behind the previous run's end: entries appear in a provider's log with some latency. */
  readonly overlapMs: number;
}

const MAX_LISTED_IDS = 100;

/**
 * Reconciles a connection's call log with what we received (spec: call-history import). Entries we do not
 * have go into the webhook inbox under a deterministic key and down the same worker path as a push delivery,
 * so nothing is logged twice: a known call is skipped, an entry imported before is a duplicate at the inbox,
 * and the pipeline itself merges any event once. Returns what it backfilled.
 */
export class ImportCallHistoryUseCase {
  constructor(
    private readonly sources: readonly CallHistorySource[],
    private readonly calls: CallRepository,
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
    private readonly state: CallImportStateRepository,
    private readonly clock: Clock,
    private readonly options: ImportCallHistoryOptions,
  ) {}

  /** Whether the connection's provider has a call log we can read. */
  supports(connection: VoipConnection): boolean {
    return this.sources.some((source) => source.provider === connection.provider);
  }

  async execute(command: ImportCallHistoryCommand): Promise<CallImportReport> {
    const { connection } = command;
    const source = this.sources.find((candidate) => candidate.provider === connection.provider);
    const previous = await this.state.find(connection.id);
    const until = this.clock.now();
    const since =
      command.since ??
      (previous?.importedUntil
        ? new Date(previous.importedUntil.getTime() - this.options.overlapMs)
        : new Date(until.getTime() - this.options.lookbackMs));
    let report: CallImportReport = {
      connectionId: connection.id,
      accountId: connection.accountId,
      provider: connection.provider,
      since: since.toISOString(),
      until: until.toISOString(),
      seen: 0,
      backfilled: 0,
      recordingsBackfilled: 0,
      alreadyKnown: 0,
      inProgress: 0,
      backfilledCallIds: [],
    };
    if (!source) return report;
    try {
      for await (const record of source.listCalls(connection, { since, until })) {
        report = { ...report, seen: report.seen + 1 };
        if (!record.ended) {
          report = { ...report, inProgress: report.inProgress + 1 };
        } else {
          const known = await this.calls.findByProviderCallId(connection.accountId, connection.provider, record.providerCallId);
          // A call we saw start but never saw end (its last webhook was lost) is completed from the log.
          const needsRecording = known !== null && known.isEnded && record.hasRecording && known.recording === null;
          if (known && known.isEnded && !needsRecording) {
            report = { ...report, alreadyKnown: report.alreadyKnown + 1 };
          } else {
            const { id, duplicate } = await this.inbox.add({
              accountId: connection.accountId,
              connectionId: connection.id,
              provider: connection.provider,
              kind: record.kind,
              dedupeKey: record.dedupeKey,
              payload: record.payload,
              receivedAt: this.clock.now(),
            });
            if (duplicate) {
              report = { ...report, alreadyKnown: report.alreadyKnown + 1 };
            } else {
              // If Redis refuses now, the row stays and the inbox relay enqueues it.
              await this.queue.enqueue(processCallWebhookTask(connection.accountId, id)).catch(() => undefined);
              report = needsRecording
                ? { ...report, recordingsBackfilled: report.recordingsBackfilled + 1 }
                : {
                    ...report,
                    backfilled: report.backfilled + 1,
                    backfilledCallIds: report.backfilledCallIds.length < MAX_LISTED_IDS ? [...report.backfilledCallIds, record.providerCallId] : report.backfilledCallIds,
                  };
            }
          }
        }
        command.onProgress?.(report);
      }
    } catch (error) {
      await this.state.save({
        connectionId: connection.id,
        accountId: connection.accountId,
        importedUntil: previous?.importedUntil ?? null,
        lastRunAt: until,
        lastReport: report,
        lastError: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    // The cursor only moves forward over a window that joins the one already covered.
    const previousEnd = previous?.importedUntil ?? null;
    const contiguous = previousEnd === null || since.getTime() <= previousEnd.getTime();
    await this.state.save({
      connectionId: connection.id,
      accountId: connection.accountId,
      importedUntil: contiguous ? until : previousEnd,
      lastRunAt: until,
      lastReport: report,
      lastError: null,
    });
    return report;
  }
}
