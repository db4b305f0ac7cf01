// Runs once before the integration/e2e suites: a fresh test database whose schema comes from the migrations.
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/persistence/src/data-source.options';
import { prepareTestDatabase } from './prepare-database';

// eslint-disable-next-line no-restricted-syntax -- Jest's globalSetup must be a default export
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kommo_voip_test';
  process.env.DATABASE_URL = databaseUrl;
  await prepareTestDatabase(databaseUrl);
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
