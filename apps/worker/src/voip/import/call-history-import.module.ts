import { Module } from '@nestjs/common';
import { ProviderAdaptersModule, VoipTaskModule } from '@app/application';
import { CallHistoryProcessor } from './call-history.processor';
import { CallHistoryScheduler } from './call-history.scheduler';

/** Call-history import and provider subscription upkeep (worker only: the processors live here). */
@Module({
  imports: [ProviderAdaptersModule, VoipTaskModule],
  providers: [CallHistoryProcessor, CallHistoryScheduler],
})
export class CallHistoryImportModule {}
