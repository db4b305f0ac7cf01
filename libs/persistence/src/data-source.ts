// Entry point of the TypeORM CLI only (`npm run typeorm -- ...`); the apps build their own from validated config.
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required for the TypeORM CLI');

export const dataSource = new DataSource(buildDataSourceOptions(databaseUrl));
