import { e164 } from '@app/domain';
import { storedPhoneIsNumber } from '../phone/phone-match';
import { normalizeVoipIdentity, voipIdentityAliases } from './voip-identity';

describe('normalizeVoipIdentity', () => {
  const ok = (raw: string, country = 'US') => {
    const result = normalizeVoipIdentity(raw, country);
    if (!result.ok) throw new Error(`${raw}: ${result.problem}`);
    return result.identity;
  };

  it('normalises phone numbers to E.164 with the default country', () => {
    expect(ok('(415) 555-0111')).toEqual({ kind: 'phone', value: '+14155550111' });
    expect(ok('+55 11 91234-5678')).toEqual({ kind: 'phone', value: '+5511912345678' });
    expect(ok('11 91234-5678', 'BR')).toEqual({ kind: 'phone', value: '+5511912345678' });
  });

  it('keeps SIP URIs (scheme and host lower-cased), client identities without their prefix, and PBX extensions', () => {
    expect(ok('SIP:Alice@PBX.Example.com:5060')).toEqual({ kind: 'sip', value: 'sip:Alice@pbx.example.com:5060' });
    expect(ok('client:manager_1002')).toEqual({ kind: 'client', value: 'manager_1002' });
    expect(ok('manager_1002')).toEqual({ kind: 'client', value: 'manager_1002' });
    expect(ok('101')).toEqual({ kind: 'extension', value: '101' });
    expect(ok('12345678')).toEqual({ kind: 'extension', value: '12345678' });
  });

  it('refuses anything else with a reason', () => {
    for (const bad of ['', 'manager-1002', 'client:a b', 'sip:nohost', '7', '+1 555', 'a'.repeat(122), 'ann@example.com']) {
      const result = normalizeVoipIdentity(bad, 'US');
      expect(result.ok).toBe(false);
    }
  });

  it('knows the spellings call events use for an identity', () => {
    expect(voipIdentityAliases('sip:1001@pbx.example.com', 'US')).toEqual(expect.arrayContaining(['sip:1001@pbx.example.com', '1001']));
    expect(voipIdentityAliases('client:Ann', 'US')).toEqual(expect.arrayContaining(['ann']));
  });
});

describe('storedPhoneIsNumber', () => {
  it('matches stored human formats on the E.164 number, not on a digit suffix', () => {
    expect(storedPhoneIsNumber('8 (916) 123-45-67', e164('+79161234567'))).toBe(true);
    expect(storedPhoneIsNumber('0044 20 7946 0958', e164('+442079460958'))).toBe(true);
    expect(storedPhoneIsNumber('212.555.0142', e164('+12125550142'))).toBe(true);
    expect(storedPhoneIsNumber('+1 (415) 555-0100', e164('+13125550100'))).toBe(false);
    expect(storedPhoneIsNumber('555-0100', e164('+14155550100'))).toBe(false);
  });
});
