export * from './in-memory-call.repository';
export * from './fake-kommo';
export * from './fakes';
export * from './call-events';
export * from './call-pipeline.harness';
