import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigSection, InfrastructureModule, VoipTaskModule } from '@app/application';
import { AccountsListCommand } from './commands/accounts-list.command';
import { AccountsSyncUsersCommand } from './commands/accounts-sync-users.command';
import { MigrateCommand } from './commands/migrate.command';
import { QueuesPauseCommand, QueuesResumeCommand, QueuesStatusCommand } from './commands/queues.commands';
import { TasksRetryFailedCommand } from './commands/tasks-retry-failed.command';

@Module({})
export class CliModule {
  static readonly CONFIG_SECTIONS: readonly ConfigSection[] = ['database', 'redis', 'secrets'];

  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [InfrastructureModule.forRoot(config), VoipTaskModule],
      providers: [
        MigrateCommand,
        AccountsListCommand,
        AccountsSyncUsersCommand,
        TasksRetryFailedCommand,
        QueuesStatusCommand,
        QueuesPauseCommand,
        QueuesResumeCommand,
      ],
    };
  }
}
