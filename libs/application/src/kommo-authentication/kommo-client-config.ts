import { KommoClientConfig } from '@app/kommo';
import { AppConfig } from '../config/app-config';

/** The Kommo HTTP client's settings, from the app's configuration. */
export function kommoClientConfigOf(config: AppConfig): KommoClientConfig {
  return {
    clientId: config.kommo.clientId,
    clientSecret: config.kommo.clientSecret,
    redirectUri: config.kommo.redirectUri,
    accountDomains: config.kommo.accountDomains,
    apiBaseUrlOverride: config.kommo.apiBaseUrlOverride,
    authorizationUrl: config.kommo.authorizationUrl,
    requestTimeoutMs: config.kommo.requestTimeoutMs,
  };
}
