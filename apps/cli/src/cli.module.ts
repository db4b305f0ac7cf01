import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigSection, InfrastructureModule, ProviderAdaptersModule, VoipTaskModule } from '@app/application';
import { AccountsListCommand } from './commands/accounts-list.command';
import { AccountsSyncUsersCommand } from './commands/accounts-sync-users.command';
import { CallsImportCommand } from './commands/calls-import.command';
import { DoctorCommand } from './commands/doctor.command';
import { MigrateCommand } from './commands/migrate.command';
import { QueuesPauseCommand, QueuesResumeCommand, QueuesStatusCommand } from './commands/queues.commands';
import { SimulateCommand } from './commands/simulate.command';
import { TasksReplayCommand } from './commands/tasks-replay.command';
import { TasksRetryFailedCommand } from './commands/tasks-retry-failed.command';

@Module({})
export class CliModule {
  static readonly CONFIG_SECTIONS: readonly ConfigSection[] = ['database', 'redis', 'secrets'];

  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [InfrastructureModule.forRoot(config), VoipTaskModule, ProviderAdaptersModule],
      providers: [
        MigrateCommand,
        AccountsListCommand,
        AccountsSyncUsersCommand,
        CallsImportCommand,
        TasksRetryFailedCommand,
        QueuesStatusCommand,
        QueuesPauseCommand,
        QueuesResumeCommand,
        TasksReplayCommand,
        DoctorCommand,
        SimulateCommand,
      ],
    };
  }
}
