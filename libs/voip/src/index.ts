export * from './voip-webhook-urls';
export * from './voip-credential-formats';
export * from './twilio/twilio-signature';
export * from './generic-pbx/generic-pbx-signature';
export * from './phone/phone-party';
export * from './mapping/call-event-context';
export * from './mapping/twilio-call-event';
export * from './mapping/generic-pbx-call-event';
