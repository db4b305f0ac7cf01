import { Inject } from '@nestjs/common';
import { CLOCK, PROVIDER_STATE_REPOSITORY, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { ImportCallHistoryUseCase } from '@app/domain';
import type { CallImportReport, Clock, VoipConnectionRepository } from '@app/domain';
import type { TypeOrmVoipProviderStateRepository } from '@app/persistence';
import { Command, CommandRunner, Option } from 'nest-commander';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: an ISO date-time (2026-11-24T08:00:00Z), a duration back from now (90m, 6h, 2d, 1w) or ISO 8601 (PT6H, P2D). */
export function parseSince(value: string, now: Date): Date {
  const raw = value.trim();
  const short = /^(\d{1,6})([smhdw])$/i.exec(raw);
  if (short) return new Date(now.getTime() - Number(short[1]) * UNIT_MS[short[2].toLowerCase()]);
  const iso = /^P(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$/i.exec(raw);
  if (iso && raw.length > 1 && !/T$/i.test(raw)) {
    const [, w = '0', d = '0', h = '0', m = '0', s = '0'] = iso;
    return new Date(now.getTime() - (Number(w) * UNIT_MS.w + Number(d) * UNIT_MS.d + Number(h) * UNIT_MS.h + Number(m) * UNIT_MS.m + Number(s) * UNIT_MS.s));
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
    const date = new Date(raw);
    if (!Number.isNaN(date.getTime())) {
      if (date.getTime() > now.getTime()) throw new Error(`--since ${raw} is in the future`);
      return date;
    }
  }
  throw new Error(`--since must be an ISO date-time (2026-11-24T08:00:00Z) or a duration (90m, 6h, 2d, PT6H), got "${value}"`);
}

export interface CallsImportDeps {
  readonly importCallHistory: ImportCallHistoryUseCase;
  readonly connections: VoipConnectionRepository;
  readonly state: Pick<TypeOrmVoipProviderStateRepository, 'listConnections'>;
}

/**
 * Pulls the call log of one account's connection (or every connection) since a point in time and feeds the
 * calls we do not have through the pipeline (the worker logs them); prints progress and what was backfilled.
 */
export async function importCalls(
  deps: CallsImportDeps,
  options: { since: Date; accountId?: number },
  write: (line: string) => void,
): Promise<CallImportReport[]> {
  const targets = options.accountId === undefined ? await deps.state.listConnections() : [{ accountId: options.accountId }];
  const reports: CallImportReport[] = [];
  for (const { accountId } of targets) {
    const connection = await deps.connections.findForAccount(accountId);
    if (!connection) {
      if (options.accountId !== undefined) throw new Error(`Account ${accountId} has no VoIP connection`);
      continue;
    }
    if (!deps.importCallHistory.supports(connection)) {
      write(`account ${accountId} (${connection.provider}): no call log to import from\n`);
      continue;
    }
    write(`account ${accountId} (${connection.provider}): reading the call log since ${options.since.toISOString()}\n`);
    let lastPrinted = 0;
    const report = await deps.importCallHistory.execute({
      connection,
      since: options.since,
      onProgress: (progress) => {
        if (progress.seen - lastPrinted >= 100) {
          lastPrinted = progress.seen;
          write(`  … ${progress.seen} calls read, ${progress.backfilled} backfilled\n`);
        }
      },
    });
    reports.push(report);
    write(
      `account ${accountId}: ${report.seen} calls in the log, ${report.backfilled} backfilled, ${report.recordingsBackfilled} recordings backfilled, ` +
        `${report.alreadyKnown} already known, ${report.inProgress} still in progress\n`,
    );
    for (const id of report.backfilledCallIds) write(`  backfilled ${id}\n`);
  }
  if (targets.length === 0) write('No VoIP connections yet.\n');
  return reports;
}

@Command({
  name: 'calls:import',
  description: "Reconcile with the provider's call log: calls we missed are logged in Kommo (by the worker), nothing twice",
})
export class CallsImportCommand extends CommandRunner {
  constructor(
    private readonly importCallHistory: ImportCallHistoryUseCase,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(PROVIDER_STATE_REPOSITORY) private readonly state: TypeOrmVoipProviderStateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async run(_params: string[], options: { since?: string; account?: number; json?: boolean }): Promise<void> {
    if (!options.since) throw new Error('--since is required (e.g. --since 6h or --since 2026-11-24T08:00:00Z)');
    const since = parseSince(options.since, this.clock.now());
    const reports = await importCalls(
      { importCallHistory: this.importCallHistory, connections: this.connections, state: this.state },
      { since, accountId: options.account },
      (line) => {
        if (!options.json) process.stdout.write(line);
      },
    );
    if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  }

  @Option({ flags: '--since <when>', description: 'ISO date-time, or a duration back from now: 90m, 6h, 2d, PT6H', required: true })
  parseSinceOption(value: string): string {
    parseSince(value, this.clock.now());
    return value;
  }

  @Option({ flags: '--account <id>', description: 'Only this Kommo account id' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--json', description: 'Print the reports as JSON' })
  parseJson(): boolean {
    return true;
  }
}
