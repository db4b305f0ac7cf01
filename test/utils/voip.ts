import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TestStack } from './test-stack';

export interface ConnectedVoip {
  readonly connection: { readonly webhookUrls: Record<string, string> };
  readonly generatedSecrets: Record<string, string>;
}

/** The account's admin configures its telephony in the settings window (PUT /widget/voip-connection). */
export async function connectVoip(
  stack: TestStack,
  input: { accountId: number; adminId: number; provider: 'twilio' | 'generic_pbx'; credentials?: Record<string, string> },
): Promise<ConnectedVoip> {
  const token = await stack.sandbox.jwt(input.accountId, input.adminId);
  const response = await fetch(`${stack.apiUrl}/widget/voip-connection`, {
    method: 'PUT',
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: input.provider, credentials: input.credentials ?? {} }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ConnectedVoip;
}

/** Posts a webhook exactly as Twilio does: form-encoded, X-Twilio-Signature over the configured URL + sorted params. */
export function postTwilioWebhook(
  url: string,
  authToken: string,
  params: Record<string, string>,
  signature = getExpectedTwilioSignature(authToken, url, params),
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}
