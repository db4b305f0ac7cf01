import { DataSourceOptions } from 'typeorm';
import { ORM_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { DatabaseLogSink, QueryErrorLogger } from './query-error-logger';

/** One builder for the apps and the TypeORM CLI. `synchronize` is off everywhere: migrations own the schema. */
export function buildDataSourceOptions(databaseUrl: string, options: { migrationsRun?: boolean; log?: DatabaseLogSink } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ORM_ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: options.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    // Failed queries are reported without their parameters (payloads, phone numbers).
    logger: new QueryErrorLogger(options.log ?? ((level, message) => process.stderr.write(`[database] ${level}: ${message}\n`))),
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}
