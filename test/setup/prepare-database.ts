import { Client } from 'pg';

/** Drops and recreates the test database, so every run starts from an empty schema and replays all migrations. */
export async function prepareTestDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const dbName = url.pathname.replace(/^\//, '');
  if (!/^[a-z0-9_]+_test$/.test(dbName)) throw new Error(`Refusing to recreate "${dbName}": test databases end in _test`);
  const admin = new URL(url.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${dbName}"`);
  } finally {
    await client.end();
  }
}
