import { DomainError } from '../shared/domain-error';

export class NotAccountAdminError extends DomainError {
  readonly code = 'SETTINGS.NOT_ACCOUNT_ADMIN';
  constructor() {
    super('Only an administrator of the Kommo account can change the integration settings');
  }
}

export class InvalidSettingsError extends DomainError {
  readonly code = 'SETTINGS.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings: ${problems.join('; ')}`);
  }
}
