import { Module } from '@nestjs/common';
import { ProviderAdaptersModule } from '@app/application';
import { CallHistoryProcessor } from './call-history.processor';
import { CallHistoryScheduler } from './call-history.scheduler';

/** Call-history import and provider subscription upkeep (worker only: the processors live here). */
@Module({
  imports: [ProviderAdaptersModule],
  providers: [CallHistoryProcessor, CallHistoryScheduler],
})
export class CallHistoryImportModule {}
