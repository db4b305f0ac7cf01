import { DataSourceOptions } from 'typeorm';
import { ORM_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** One builder for the apps and the TypeORM CLI. `synchronize` is off everywhere: migrations own the schema. */
export function buildDataSourceOptions(databaseUrl: string, options: { migrationsRun?: boolean } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ORM_ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: options.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}
