import { ClickToCallFailed, ClickToCallGateway, ClickToCallPlaced, ClickToCallRequest, VoipProvider } from '@app/domain';
import { voipWebhookUrls } from '../voip-webhook-urls';
import { TwilioRestCallsClient, TwilioRestOptions } from './twilio-rest-calls.client';

/** Seconds Twilio rings the manager's own device before giving up (REST `Timeout`, default 60). */
const MANAGER_RING_SECONDS = 30;

/** The route that bridges the customer once the manager answered (served by the api). */
export function twilioOutboundBridgeUrl(publicBaseUrl: string, pathKey: string, customerE164: string): string {
  const { twimlAppVoiceUrl } = voipWebhookUrls(VoipProvider.Twilio, publicBaseUrl, pathKey);
  return `${twimlAppVoiceUrl}-bridge?to=${encodeURIComponent(customerE164)}`;
}

/**
 * Click-to-call through Twilio's REST Calls resource (voip.md §1.7): call the manager's own device with our
 * caller ID; when they answer, Twilio fetches our outbound-bridge TwiML, which dials the customer. Both legs
 * report to our status URL, so the call is logged like any other (as call_out, credited to the manager).
 */
export class TwilioClickToCallGateway implements ClickToCallGateway {
  readonly provider = VoipProvider.Twilio;
  private readonly client: TwilioRestCallsClient;

  constructor(
    private readonly publicBaseUrl: string,
    rest: TwilioRestOptions,
  ) {
    this.client = new TwilioRestCallsClient(rest);
  }

  async placeCall(request: ClickToCallRequest): Promise<ClickToCallPlaced> {
    const { connection } = request;
    const { accountSid, authToken, apiKeySid, apiKeySecret } = connection.credentials;
    if (!request.callerIdE164) {
      throw new ClickToCallFailed('not_configured', 'The Twilio connection has no caller ID (callerId): an administrator enters the number customers should see');
    }
    if (!accountSid || !(authToken || (apiKeySid && apiKeySecret))) {
      throw new ClickToCallFailed('not_configured', 'The Twilio connection lacks its Account SID and Auth Token (or API key)');
    }
    const urls = voipWebhookUrls(VoipProvider.Twilio, this.publicBaseUrl, connection.pathKey);
    const created = await this.client.create({
      accountSid,
      username: apiKeySid && apiKeySecret ? apiKeySid : accountSid,
      password: apiKeySid && apiKeySecret ? apiKeySecret : (authToken ?? ''),
      to: request.managerIdentity,
      from: request.callerIdE164,
      url: twilioOutboundBridgeUrl(this.publicBaseUrl, connection.pathKey, request.customerE164),
      statusCallback: urls.statusCallbackUrl,
      timeoutSeconds: MANAGER_RING_SECONDS,
    });
    return { providerCallId: created.sid };
  }
}
