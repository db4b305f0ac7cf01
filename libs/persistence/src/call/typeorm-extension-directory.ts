import { DomainError, ExtensionDirectory, ExtensionMatch, pickExtensionMatch } from '@app/domain';
import { voipIdentityMatchKey } from '@app/voip';
import { DataSource } from 'typeorm';
import { VoipExtensionOrmEntity } from './entities/voip-extension.orm-entity';

export interface VoipExtensionEntry {
  /** Extension number ("101") or SIP / client identity ("client:alice", "alice@pbx.example.com"). */
  readonly extension: string;
  readonly userId: number;
  readonly connectionId: string | null;
}

export interface StoredVoipExtension extends VoipExtensionEntry {
  readonly updatedAt: Date;
}

export class InvalidExtensionMappingError extends DomainError {
  readonly code = 'VOIP.INVALID_EXTENSION_MAPPING';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid extension mapping: ${problems.join('; ')}`);
  }
}

/**
 * The lookup key of an extension. Digit extensions ("101", "0101", "*7") match exactly; anything else is a
 * SIP / client identity and matches case-insensitively ("Client:Alice" = "client:alice").
 */
export function extensionKey(extension: string): string {
  const trimmed = extension.trim();
  return /^[0-9*#+]+$/.test(trimmed) ? trimmed : trimmed.toLowerCase();
}

/** Where an ambiguous identity is reported (a warn-level log line in the apps); ids and identities only. */
export type AmbiguousExtensionSink = (event: { accountId: number; identity: string; userIds: readonly number[]; callId: string | null }) => void;

const WARNED_CALLS_KEPT = 1_000;

/** Extension → Kommo user, per account (`voip_extension`), plus the admin page's list / replace. */
export class TypeOrmExtensionDirectory implements ExtensionDirectory {
  /** Calls already warned about (bounded, insertion-ordered): the ambiguity is logged once per call per process. */
  private readonly warnedCalls = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly onAmbiguous: AmbiguousExtensionSink = () => undefined,
  ) {}

  /** The manager credited for a reported identity (any spelling; see pickExtensionMatch), or null. */
  async findUserId(accountId: number, extension: string, callId?: string): Promise<number | null> {
    return this.findUserIdAmong(accountId, [extension], callId);
  }

  /** The manager of the first identity (in order) that matches; one indexed query for all of them. */
  async findUserIdAmong(accountId: number, identities: readonly string[], callId?: string): Promise<number | null> {
    const matches = await this.matchAll(accountId, identities);
    for (const [identity, match] of matches) {
      if (match.kind === 'matched') return match.userId;
      if (match.kind === 'ambiguous') this.warnAmbiguous(accountId, identity, match.userIds, callId ?? null);
    }
    return null;
  }

  /** Each identity's match, in the order given (identities without a key are left out). */
  async matchAll(accountId: number, identities: readonly string[]): Promise<Map<string, ExtensionMatch>> {
    const keyed = new Map<string, NonNullable<ReturnType<typeof voipIdentityMatchKey>>>();
    for (const identity of identities) {
      const key = voipIdentityMatchKey(identity);
      if (key && !keyed.has(identity)) keyed.set(identity, key);
    }
    const result = new Map<string, ExtensionMatch>();
    if (keyed.size === 0) return result;
    const exactKeys = [...new Set([...keyed.values()].map((key) => key.exact))];
    const userKeys = [...new Set([...keyed.values()].flatMap((key) => (key.user === null ? [] : [key.user])))];
    const rows: { user_id: string; match_key: string; match_user: string | null }[] = await this.dataSource.query(
      `SELECT user_id, match_key, match_user FROM voip_extension
        WHERE account_id = $1 AND (match_key = ANY($2::varchar[]) OR match_user = ANY($3::varchar[]))`,
      [accountId, exactKeys, userKeys],
    );
    for (const [identity, key] of keyed) {
      const candidates = rows
        .filter((row) => row.match_key === key.exact || (key.user !== null && row.match_user === key.user))
        .map((row) => ({ userId: Number(row.user_id), exact: row.match_key === key.exact }));
      result.set(identity, pickExtensionMatch(candidates));
    }
    return result;
  }

  private warnAmbiguous(accountId: number, identity: string, userIds: readonly number[], callId: string | null): void {
    if (callId !== null) {
      const seen = `${accountId}/${callId}`;
      if (this.warnedCalls.has(seen)) return;
      this.warnedCalls.add(seen);
      if (this.warnedCalls.size > WARNED_CALLS_KEPT) this.warnedCalls.delete(this.warnedCalls.values().next().value as string);
    }
    this.onAmbiguous({ accountId, identity, userIds, callId });
  }

  async listForAccount(accountId: number): Promise<StoredVoipExtension[]> {
    const rows = await this.dataSource
      .getRepository(VoipExtensionOrmEntity)
      .find({ where: { accountId }, order: { extensionKey: 'ASC' } });
    return rows.map((row) => ({
      extension: row.extension,
      userId: row.userId,
      connectionId: row.connectionId,
      updatedAt: row.updatedAt,
    }));
  }

  /**
   * Replaces the account's whole mapping atomically (one transaction, serialised per account). Throws
   * `InvalidExtensionMappingError` for an empty extension, a bad user id, or two entries with the same key.
   */
  async replaceForAccount(accountId: number, entries: readonly VoipExtensionEntry[]): Promise<void> {
    const problems = validate(entries);
    if (problems.length > 0) throw new InvalidExtensionMappingError(problems);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('voip_extension:' || $1::text, 0))`, [accountId]);
      const rows = manager.getRepository(VoipExtensionOrmEntity);
      await rows.delete({ accountId });
      if (entries.length === 0) return;
      const now = new Date();
      await rows.insert(
        entries.map((entry) => ({
          accountId,
          extensionKey: extensionKey(entry.extension),
          extension: entry.extension.trim(),
          ...matchColumnsOf(entry.extension),
          userId: entry.userId,
          connectionId: entry.connectionId,
          updatedAt: now,
        })),
      );
    });
  }
}

/** The match key columns of a stored identity (voipIdentityMatchKey); the raw key when it has none. */
function matchColumnsOf(extension: string): { matchKey: string; matchUser: string | null } {
  const key = voipIdentityMatchKey(extension);
  return key ? { matchKey: key.exact, matchUser: key.user } : { matchKey: extensionKey(extension), matchUser: null };
}

function validate(entries: readonly VoipExtensionEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = extensionKey(entry.extension);
    if (!key) problems.push('an extension is empty');
    else if (key.length > 255) problems.push(`extension "${key.slice(0, 20)}…" is longer than 255 characters`);
    else if (seen.has(key)) problems.push(`extension "${entry.extension.trim()}" is listed twice`);
    seen.add(key);
    if (!Number.isSafeInteger(entry.userId) || entry.userId <= 0) problems.push(`user id of "${entry.extension.trim()}" must be a positive integer`);
    if (entry.connectionId !== null && !entry.connectionId.trim()) problems.push(`connection id of "${entry.extension.trim()}" is empty`);
  }
  return problems;
}
