import { DomainError, ExtensionDirectory } from '@app/domain';
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

/** Extension → Kommo user, per account (`voip_extension`), plus the admin page's list / replace. */
export class TypeOrmExtensionDirectory implements ExtensionDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async findUserId(accountId: number, extension: string): Promise<number | null> {
    const key = extensionKey(extension);
    if (!key) return null;
    const row = await this.dataSource.getRepository(VoipExtensionOrmEntity).findOneBy({ accountId, extensionKey: key });
    return row ? row.userId : null;
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
          userId: entry.userId,
          connectionId: entry.connectionId,
          updatedAt: now,
        })),
      );
    });
  }
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
