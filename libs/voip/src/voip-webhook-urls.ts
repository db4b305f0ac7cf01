import { VoipProvider } from '@app/domain';

/**
 * Per-connection webhook URLs the administrator pastes into the provider's console.
 * The tenant is resolved from `pathKey` (unguessable) plus the provider's signature, never from the body.
 */
export function voipWebhookUrls(provider: VoipProvider, publicBaseUrl: string, pathKey: string): Record<string, string> {
  const base = `${publicBaseUrl.replace(/\/+$/, '')}/voip`;
  switch (provider) {
    case VoipProvider.Twilio:
      return {
        voiceUrl: `${base}/twilio/${pathKey}/voice`,
        statusCallbackUrl: `${base}/twilio/${pathKey}/status`,
        recordingStatusCallbackUrl: `${base}/twilio/${pathKey}/recording`,
        // The Voice URL of the account's TwiML App (browser softphone calls; its SID is the connection's twimlAppSid).
        twimlAppVoiceUrl: `${base}/twilio/${pathKey}/outbound`,
      };
    case VoipProvider.GenericPbx:
      return { eventsUrl: `${base}/pbx/${pathKey}/events` };
    case VoipProvider.RingCentral:
      return { webhookUrl: `${base}/ringcentral/${pathKey}/webhook` };
    case VoipProvider.Zenvia:
      return { webhookUrl: `${base}/zenvia/${pathKey}/webhook` };
  }
}
