import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigSection, InfrastructureModule } from '@app/application';
import { AccountsListCommand } from './commands/accounts-list.command';
import { MigrateCommand } from './commands/migrate.command';

@Module({})
export class CliModule {
  static readonly CONFIG_SECTIONS: readonly ConfigSection[] = ['database', 'redis', 'secrets'];

  static register(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [InfrastructureModule.forRoot(config)], providers: [MigrateCommand, AccountsListCommand] };
  }
}
