import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { KOMMO_CLIENT_CONFIG } from '@app/application';
import { StartKommoInstallUseCase } from '@app/domain';
import type { KommoClientConfig } from '@app/kommo';
import type { Request } from 'express';
import {
  Metadata,
  StateStore,
  StateStoreStoreCallback,
  StateStoreVerifyCallback,
  Strategy as OAuth2Strategy,
  StrategyOptions,
} from 'passport-oauth2';

/** Kommo's authorization page wants `mode`: with post_message the consent popup redirects to us in place. */
class KommoAuthorizationRedirect extends OAuth2Strategy {
  override authorizationParams(): object {
    return { mode: 'post_message' };
  }
}

/** passport-oauth2's state store backed by our one-time states (issued by StartKommoInstallUseCase). */
class OneTimeStateStore implements StateStore {
  constructor(private readonly startInstall: StartKommoInstallUseCase) {}

  store(req: Request, callback: StateStoreStoreCallback): void;
  store(req: Request, meta: Metadata, callback: StateStoreStoreCallback): void;
  store(_req: Request, metaOrCallback: unknown, callback?: StateStoreStoreCallback): void {
    const done = (callback ?? metaOrCallback) as StateStoreStoreCallback;
    this.startInstall.execute().then(
      ({ state }) => done(null, state),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), undefined),
    );
  }

  verify(req: Request, state: string, callback: StateStoreVerifyCallback): void;
  verify(req: Request, state: string, meta: Metadata, callback: StateStoreVerifyCallback): void;
  verify(_req: Request, _state: string, metaOrCallback: unknown, callback?: StateStoreVerifyCallback): void {
    // Never used: callbacks are not handled by passport (see below).
    const done = (callback ?? metaOrCallback) as StateStoreVerifyCallback;
    done(new Error('not used'), false, undefined);
  }
}

/**
 * passport-oauth2 builds the redirect to Kommo's authorization page (`client_id`, `state`, `mode`);
 * its state store is our one-time Redis state. The callback is NOT handled by passport: Kommo's token
 * endpoint lives on each account's host (from `referer`), which must be checked before the client
 * secret is sent, and the widget-install flow has no state — see KommoOAuthController.callback.
 */
@Injectable()
export class KommoInstallStrategy extends PassportStrategy(KommoAuthorizationRedirect, 'kommo-install') {
  constructor(@Inject(KOMMO_CLIENT_CONFIG) config: KommoClientConfig, startInstall: StartKommoInstallUseCase) {
    const options: StrategyOptions = {
      authorizationURL: config.authorizationUrl,
      // Unused (no code exchange through passport); passport-oauth2 requires a value.
      tokenURL: config.authorizationUrl,
      clientID: config.clientId,
      clientSecret: config.clientSecret,
      callbackURL: config.redirectUri,
      store: new OneTimeStateStore(startInstall),
    };
    super(options);
  }

  validate(): never {
    throw new Error('The Kommo callback is handled by KommoOAuthController, not by passport');
  }
}
