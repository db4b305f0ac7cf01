import { VoipProvider } from '@app/domain';
import { voipWebhookUrls } from './voip-webhook-urls';

const BASE = 'https://voip.example.com';

describe('voipWebhookUrls', () => {
  it('gives Twilio its voice, status and recording callbacks and the TwiML App Voice URL under the path key', () => {
    expect(voipWebhookUrls(VoipProvider.Twilio, BASE, 'pk1')).toEqual({
      voiceUrl: 'https://voip.example.com/voip/twilio/pk1/voice',
      statusCallbackUrl: 'https://voip.example.com/voip/twilio/pk1/status',
      recordingStatusCallbackUrl: 'https://voip.example.com/voip/twilio/pk1/recording',
      twimlAppVoiceUrl: 'https://voip.example.com/voip/twilio/pk1/outbound',
    });
  });

  it('gives the generic PBX one events URL', () => {
    expect(voipWebhookUrls(VoipProvider.GenericPbx, BASE, 'pk1')).toEqual({ eventsUrl: 'https://voip.example.com/voip/pbx/pk1/events' });
  });

  it('gives RingCentral and Zenvia one webhook URL each', () => {
    expect(voipWebhookUrls(VoipProvider.RingCentral, BASE, 'pk1')).toEqual({
      webhookUrl: 'https://voip.example.com/voip/ringcentral/pk1/webhook',
    });
    expect(voipWebhookUrls(VoipProvider.Zenvia, BASE, 'pk1')).toEqual({ webhookUrl: 'https://voip.example.com/voip/zenvia/pk1/webhook' });
  });

  it('keeps a path prefix and drops trailing slashes of the base URL', () => {
    expect(voipWebhookUrls(VoipProvider.GenericPbx, 'https://example.com/integrations/kommo//', 'pk1')).toEqual({
      eventsUrl: 'https://example.com/integrations/kommo/voip/pbx/pk1/events',
    });
  });

  it.each(Object.values(VoipProvider))('gives %p at least one absolute URL, each containing the path key', (provider) => {
    const urls = Object.values(voipWebhookUrls(provider, BASE, 'secret-path-key'));

    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(new URL(url).origin).toBe(BASE);
      expect(url).toContain('/secret-path-key/');
    }
  });

  it('gives different path keys different URLs', () => {
    expect(voipWebhookUrls(VoipProvider.Zenvia, BASE, 'a')).not.toEqual(voipWebhookUrls(VoipProvider.Zenvia, BASE, 'b'));
  });
});
