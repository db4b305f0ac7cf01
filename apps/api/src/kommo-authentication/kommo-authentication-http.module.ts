import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { KommoAuthenticationModule } from '@app/application';
import { KommoInstallStrategy } from './kommo-install.strategy';
import { KommoOAuthController } from './kommo-oauth.controller';

/** HTTP side of the KommoAuthentication spec node: install start, OAuth callback, uninstall hook. */
@Module({
  imports: [KommoAuthenticationModule, PassportModule.register({ session: false })],
  controllers: [KommoOAuthController],
  providers: [KommoInstallStrategy],
})
export class KommoAuthenticationHttpModule {}
