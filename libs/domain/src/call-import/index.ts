// Call-history import and reconciliation (issue 7): provider call logs → the webhook inbox → the call pipeline.
export * from './call-history-source.port';
export * from './call-import-state.port';
export * from './provider-subscription.port';
export * from './use-case/import-call-history/import-call-history.use-case';
