import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Kommo's uninstall hook: GET ?client_uuid&account_id&signature where
 * signature = hex(HMAC-SHA256(client_secret, client_uuid + '|' + account_id)) (kommo-api.md §1.5).
 */
export function isValidUninstallSignature(
  input: { clientUuid: string; accountId: string; signature: string },
  integration: { clientId: string; clientSecret: string },
): boolean {
  if (input.clientUuid !== integration.clientId || !/^[0-9a-f]{64}$/i.test(input.signature)) return false;
  const expected = createHmac('sha256', integration.clientSecret)
    .update(`${input.clientUuid}|${input.accountId}`)
    .digest();
  return timingSafeEqual(expected, Buffer.from(input.signature, 'hex'));
}
