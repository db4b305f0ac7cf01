export * from './kommo-caller-directory.adapter';
export * from './cached-caller-directory';
export * from './kommo-call-notifications.adapter';
