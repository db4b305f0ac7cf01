import type { Logger as TypeOrmLogger } from 'typeorm';

/** Where a database problem is reported (the app passes its logger; secrets are its concern, payloads are ours). */
export type DatabaseLogSink = (level: 'error' | 'warn', message: string) => void;

const MAX_SQL_CHARS = 160;

/**
 * TypeORM's error logging without the query parameters: those carry webhook payloads (phone numbers, caller
 * names) and encrypted secrets. A failed query is reported with the database's message and the start of its SQL.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  constructor(private readonly sink: DatabaseLogSink) {}

  logQueryError(error: string | Error, query: string): void {
    const reason = typeof error === 'string' ? error : error.message;
    this.sink('error', `query failed: ${reason} — ${sqlHead(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.sink('warn', `slow query (${time} ms): ${sqlHead(query)}`);
  }

  logMigration(message: string): void {
    this.sink('warn', message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.sink('warn', String(message));
  }

  logQuery(): void {
    // Not logged: every query would be noise, and its parameters are payloads.
  }

  logSchemaBuild(): void {
    // Migrations own the schema; nothing is built at runtime.
  }
}

function sqlHead(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SQL_CHARS ? `${flat.slice(0, MAX_SQL_CHARS)}…` : flat;
}
