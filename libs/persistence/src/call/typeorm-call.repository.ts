import { Call, CallRepository, CallVersionConflictError, E164, VoipProvider } from '@app/domain';
import { DataSource, EntityManager, QueryFailedError, Repository } from 'typeorm';
import { reviveSnapshot, StoredCallSnapshot, toStoredSnapshot } from './call-snapshot.json';
import { CallOrmEntity } from './entities/call.orm-entity';

/**
 * Calls as snapshots in `call`, plus `call_leg`: one row per provider call id the call answers to (legs and
 * the parents they name), primary key (account_id, provider, provider_call_id). A save is one transaction:
 * compare-and-set on `version` (insert when 0), then claim every provider call id; an id held by another call,
 * a lost version race or a deadlock between racing writers all surface as `CallVersionConflictError`
 * (retryable: reload, apply again, save again). Never a second call for one provider call id.
 */
export class TypeOrmCallRepository implements CallRepository {
  private readonly calls: Repository<CallOrmEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.calls = dataSource.getRepository(CallOrmEntity);
  }

  async findById(accountId: number, callId: string): Promise<Call | null> {
    const row = await this.calls.findOneBy({ accountId, id: callId });
    return row ? toCall(row) : null;
  }

  async findByProviderCallId(accountId: number, provider: VoipProvider, providerCallId: string): Promise<Call | null> {
    const row = await this.calls
      .createQueryBuilder('call')
      .innerJoin('call_leg', 'leg', 'leg.call_id = call.id')
      .where('leg.account_id = :accountId', { accountId })
      .andWhere('leg.provider = :provider', { provider })
      .andWhere('leg.provider_call_id = :providerCallId', { providerCallId })
      .andWhere('call.account_id = :accountId', { accountId })
      .getOne();
    return row ? toCall(row) : null;
  }

  async save(call: Call): Promise<void> {
    const snapshot = call.toSnapshot();
    const derived = [call.customerNumber, call.isAnswered, call.answeredAt, call.startedAt];
    try {
      await this.dataSource.transaction(async (manager) => {
        const stored = JSON.stringify(toStoredSnapshot(snapshot));
        const written =
          snapshot.version === 0
            ? await records(
                manager,
                `INSERT INTO "call" (id, account_id, provider, snapshot, version, customer_number, is_answered, answered_at, started_at)
                 VALUES ($1, $2, $3, $4::jsonb, 1, $5, $6, $7, $8)
                 ON CONFLICT (id) DO NOTHING
                 RETURNING id`,
                [snapshot.id, snapshot.accountId, snapshot.provider, stored, ...derived],
              )
            : await records(
                manager,
                `UPDATE "call"
                 SET snapshot = $4::jsonb, version = version + 1, customer_number = $5, is_answered = $6,
                     answered_at = $7, started_at = $8, updated_at = now()
                 WHERE id = $1 AND account_id = $2 AND version = $3
                 RETURNING id`,
                [snapshot.id, snapshot.accountId, snapshot.version, stored, ...derived],
              );
        if (written.length === 0) throw new CallVersionConflictError(call.id);
        await claimProviderCallIds(manager, call);
      });
    } catch (error) {
      if (error instanceof CallVersionConflictError) throw error;
      if (isConcurrentWriteError(error)) throw new CallVersionConflictError(call.id);
      throw error;
    }
    call.markSaved();
  }

  async existsAnsweredCallWithNumber(accountId: number, customerNumber: E164, after: Date): Promise<boolean> {
    const found = await this.calls
      .createQueryBuilder('call')
      .select('1')
      .where('call.account_id = :accountId', { accountId })
      .andWhere('call.customer_number = :customerNumber', { customerNumber })
      .andWhere('call.is_answered')
      .andWhere('COALESCE(call.answered_at, call.started_at) > :after', { after })
      .limit(1)
      .getRawOne<unknown>();
    return found !== undefined && found !== null;
  }
}

/**
 * Inserts the call's provider call ids that are new (sorted, so racing writers lock in the same order) and
 * checks that every one of them belongs to this call. One held by another call → conflict (rolls back).
 */
async function claimProviderCallIds(manager: EntityManager, call: Call): Promise<void> {
  const ids = [...call.providerCallIds];
  await manager.query(
    `INSERT INTO call_leg (account_id, provider, provider_call_id, call_id)
     SELECT $1, $2, id, $3 FROM unnest($4::varchar[]) AS id ORDER BY id
     ON CONFLICT (account_id, provider, provider_call_id) DO NOTHING`,
    [call.accountId, call.provider, call.id, ids],
  );
  const foreign = await records(
    manager,
    `SELECT provider_call_id FROM call_leg
     WHERE account_id = $1 AND provider = $2 AND provider_call_id = ANY($3::varchar[]) AND call_id <> $4
     LIMIT 1`,
    [call.accountId, call.provider, ids, call.id],
  );
  if (foreign.length > 0) throw new CallVersionConflictError(call.id);
}

/** Rows of a statement, whatever its command (TypeORM shapes UPDATE … RETURNING results differently). */
async function records(manager: EntityManager, sql: string, parameters: unknown[]): Promise<Record<string, unknown>[]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('records() must run inside a transaction');
  const result = await runner.query(sql, parameters, true);
  return result.records as Record<string, unknown>[];
}

/** unique_violation, deadlock_detected, serialization_failure: another writer won a race on this call. */
function isConcurrentWriteError(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === '40P01' || code === '40001';
}

function toCall(row: CallOrmEntity): Call {
  return Call.fromSnapshot(reviveSnapshot(row.snapshot as unknown as StoredCallSnapshot, row.version));
}
