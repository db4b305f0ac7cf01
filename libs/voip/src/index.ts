export * from './voip-webhook-urls';
export * from './voip-credential-formats';
