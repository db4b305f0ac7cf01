import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';

@Command({ name: 'migrate', description: 'Apply pending database migrations (each in its own transaction)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run(_params: string[], options: { dryRun?: boolean }): Promise<void> {
    if (options.dryRun) {
      const pending = await this.dataSource.showMigrations();
      process.stdout.write(pending ? 'There are pending migrations\n' : 'The schema is up to date\n');
      return;
    }
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length === 0) process.stdout.write('The schema is up to date\n');
    for (const migration of applied) process.stdout.write(`applied ${migration.name}\n`);
  }

  @Option({ flags: '--dry-run', description: 'Only say whether migrations are pending' })
  parseDryRun(): boolean {
    return true;
  }
}
