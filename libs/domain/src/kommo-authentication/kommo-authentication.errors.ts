import { DomainError } from '../shared/domain-error';

export class InstallStateInvalidError extends DomainError {
  readonly code = 'KOMMO.INSTALL_STATE_INVALID';
  constructor() {
    super('The install request is missing its state, or the state is unknown, expired or already used. Start the installation again.');
  }
}

export class ForeignRefererError extends DomainError {
  readonly code = 'KOMMO.FOREIGN_REFERER';
  constructor(referer: string) {
    super(`"${referer}" is not a Kommo account domain`);
  }
}

export class AuthorizationDeniedError extends DomainError {
  readonly code = 'KOMMO.AUTHORIZATION_DENIED';
  constructor() {
    super('Access was not granted in Kommo');
  }
}

/** Kommo refused the authorization code (expired, used, wrong redirect URI...). */
export class AuthorizationCodeRejectedError extends DomainError {
  readonly code = 'KOMMO.AUTHORIZATION_CODE_REJECTED';
  constructor(detail: string) {
    super(`Kommo rejected the authorization code: ${detail}`);
  }
}

/** Kommo refused our refresh token: the grant is gone and an admin must authorise again. */
export class InvalidGrantError extends DomainError {
  readonly code = 'KOMMO.INVALID_GRANT';
  constructor(detail: string) {
    super(`Kommo rejected the refresh token: ${detail}`);
  }
}

/** Kommo could not be reached or answered 5xx/429: try again later. */
export class KommoUnavailableError extends DomainError {
  readonly code = 'KOMMO.UNAVAILABLE';
  override readonly retryable = true;
  constructor(detail: string) {
    super(`Kommo is unavailable: ${detail}`);
  }
}

export class AccountNotConnectedError extends DomainError {
  readonly code = 'KOMMO.ACCOUNT_NOT_CONNECTED';
  constructor(readonly accountId: number) {
    super(`Kommo account ${accountId} is not connected`);
  }
}

/** Kommo refuses everything for this account (403 block): its work waits, parked. */
export class AccountBlockedError extends DomainError {
  readonly code = 'KOMMO.ACCOUNT_BLOCKED';
  constructor(readonly accountId: number) {
    super(`Kommo blocked account ${accountId} for this integration (403 on every request)`);
  }
}

export class AccountNeedsReauthError extends DomainError {
  readonly code = 'KOMMO.ACCOUNT_NEEDS_REAUTH';
  constructor(readonly accountId: number) {
    super(`Kommo account ${accountId} must be authorised again by an administrator`);
  }
}

export class UninstallSignatureInvalidError extends DomainError {
  readonly code = 'KOMMO.UNINSTALL_SIGNATURE_INVALID';
  constructor() {
    super('Invalid uninstall signature');
  }
}
