import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@app/application';
import type { AppConfig } from '@app/application';
import { VoipConnection, VoipProvider } from '@app/domain';
import { isValidTwilioSignature } from '@app/voip';
import type { Request } from 'express';
import { ProcessWebhookHandler } from './process-webhook.handler';

export type TwilioParams = Record<string, string | string[]>;

/**
 * The checks every Twilio request to us passes (same as TwilioWebhookController's): the tenant from the
 * unguessable path key, form-encoded body, X-Twilio-Signature over our public URL + path + query with the
 * connection's Auth Token, and an AccountSid that belongs to the connection.
 */
@Injectable()
export class TwilioRequestVerifier {
  constructor(
    private readonly handler: ProcessWebhookHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(pathKey: string, signature: string | undefined, request: Request, body: unknown): Promise<{ connection: VoipConnection; params: TwilioParams }> {
    const connection = await this.handler.connectionFor(VoipProvider.Twilio, pathKey);
    if (!request.is('application/x-www-form-urlencoded')) throw new BadRequestException('Twilio requests are form-encoded');
    const params = (body && typeof body === 'object' ? body : {}) as TwilioParams;
    const publicUrl = `${this.config.publicBaseUrl}${request.originalUrl}`;
    if (!isValidTwilioSignature({ authToken: connection.credentials.authToken ?? '', signature, publicUrl, params })) {
      throw new ForbiddenException('Invalid X-Twilio-Signature');
    }
    if (params.AccountSid !== connection.credentials.accountSid) throw new ForbiddenException('AccountSid does not belong to this connection');
    return { connection, params };
  }
}
