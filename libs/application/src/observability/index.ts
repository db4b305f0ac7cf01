export * from './redact';
export * from './app-logger';
export * from './app-metrics';
export * from './readiness';
export * from './observability.module';
