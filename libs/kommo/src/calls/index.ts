export { KommoRawApiClient, KommoWriteRefusedError } from './kommo-raw-api.client';
export * from './kommo-call-log.adapter';
export * from './kommo-incoming-leads.adapter';
export * from './kommo-contact-owner-lookup.adapter';
export * from './kommo-contact-creator.adapter';
export * from './kommo-tasks.client';
export * from './kommo-cards.adapter';
export * from './kommo-call-result-writes.adapter';
