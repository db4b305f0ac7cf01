export * from './voip-webhook-urls';
export * from './voip-credential-formats';
export * from './twilio/twilio-signature';
export * from './generic-pbx/generic-pbx-signature';
