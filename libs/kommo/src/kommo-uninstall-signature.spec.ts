import { createHmac } from 'node:crypto';
import { isValidUninstallSignature } from './kommo-uninstall-signature';

const INTEGRATION = { clientId: '3f2b9c1e-8d4a-4c7b-9e6f-1a2b3c4d5e6f', clientSecret: 'client-secret-0123456789' };
const sign = (clientUuid: string, accountId: string, secret = INTEGRATION.clientSecret) =>
  createHmac('sha256', secret).update(`${clientUuid}|${accountId}`).digest('hex');

describe('isValidUninstallSignature', () => {
  const valid = { clientUuid: INTEGRATION.clientId, accountId: '42', signature: sign(INTEGRATION.clientId, '42') };

  it('accepts Kommo’s signature of client_uuid|account_id', () => {
    expect(isValidUninstallSignature(valid, INTEGRATION)).toBe(true);
  });

  it('accepts the signature in upper-case hex', () => {
    expect(isValidUninstallSignature({ ...valid, signature: valid.signature.toUpperCase() }, INTEGRATION)).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    const signature = sign(INTEGRATION.clientId, '42', 'another-secret-0123456789');
    expect(isValidUninstallSignature({ ...valid, signature }, INTEGRATION)).toBe(false);
  });

  it('refuses a signature of another account', () => {
    expect(isValidUninstallSignature({ ...valid, accountId: '43' }, INTEGRATION)).toBe(false);
  });

  it('refuses another integration’s client_uuid even when correctly signed', () => {
    const otherUuid = '00000000-0000-4000-8000-000000000000';
    expect(isValidUninstallSignature({ clientUuid: otherUuid, accountId: '42', signature: sign(otherUuid, '42') }, INTEGRATION)).toBe(false);
  });

  it.each(['', 'zz'.repeat(32), valid.signature.slice(0, 62), `${valid.signature}00`, `${valid.signature.slice(0, 63)}g`])(
    'refuses the malformed signature %p without throwing',
    (signature) => {
      expect(isValidUninstallSignature({ ...valid, signature }, INTEGRATION)).toBe(false);
    },
  );

  it('refuses a one-bit change', () => {
    const last = valid.signature.at(-1) === '0' ? '1' : '0';
    expect(isValidUninstallSignature({ ...valid, signature: `${valid.signature.slice(0, 63)}${last}` }, INTEGRATION)).toBe(false);
  });
});
