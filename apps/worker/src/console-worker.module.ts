import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigSection, InfrastructureModule } from '@app/application';
import { WorkerHealthModule } from './health/worker-health.module';
import { CallHistoryImportModule } from './voip/import/call-history-import.module';
import { VoipTaskConsumerModule } from './voip/task/voip-task-consumer.module';

/** Spec node Console/Worker: root of the worker process (its only listener: health and metrics). */
@Module({})
export class ConsoleWorkerModule {
  static readonly CONFIG_SECTIONS: readonly ConfigSection[] = ['database', 'redis', 'kommo', 'secrets'];

  static register(config: AppConfig): DynamicModule {
    return { module: ConsoleWorkerModule, imports: [InfrastructureModule.forRoot(config, { kommoTraffic: 'background' }), VoipTaskConsumerModule, CallHistoryImportModule, WorkerHealthModule] };
  }
}
