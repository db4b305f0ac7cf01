import {
  DeliverySkipReason,
  IllegalDeliveryTransitionError,
  isClaimExpired,
  isDelivered,
  KommoCallFields,
  KommoCallStatus,
  KommoDelivery,
  KommoDeliveryLedger as L,
  KommoDeliveryStatus as S,
  KommoWriteTarget as T,
  PENDING_DELIVERY,
} from './index';

const now = new Date('2026-01-15T10:00:00.000Z');
const fields: KommoCallFields = { callStatus: KommoCallStatus.ConversationTookPlace, durationSeconds: 60, hasRecording: false, callResult: null };
const note = { entity: { type: 'contact' as const, id: 1 }, noteId: 9 };
const lead = { unsortedUid: 'u1', leadId: 77 };

const states: Record<string, KommoDelivery> = {
  pending: PENDING_DELIVERY,
  sending: L.claim(PENDING_DELIVERY, T.CallsApi, fields, now),
  sendingLead: L.claim(PENDING_DELIVERY, T.IncomingLead, fields, now),
  sendingNote: L.claim(PENDING_DELIVERY, T.PendingLeadNote, fields, now, lead),
  ambiguous: L.ambiguous(L.claim(PENDING_DELIVERY, T.CallsApi, fields, now), 'timeout', now),
  sent: L.sent(L.claim(PENDING_DELIVERY, T.CallsApi, fields, now), note, now),
  lead: L.incomingLead(L.claim(PENDING_DELIVERY, T.IncomingLead, fields, now), lead, null, now),
  skipped: L.skip(PENDING_DELIVERY, DeliverySkipReason.UnknownNumberIgnored, now),
};

const actions: Record<string, (d: KommoDelivery) => KommoDelivery> = {
  claim: (d) => L.claim(d, T.CallsApi, fields, now),
  notApplied: (d) => L.notApplied(d, '429'),
  ambiguous: (d) => L.ambiguous(d, 'timeout', now),
  sent: (d) => L.sent(d, note, now),
  incomingLead: (d) => L.incomingLead(d, lead, null, now),
  reconciledNotFound: (d) => L.reconciledNotFound(d),
  skip: (d) => L.skip(d, DeliverySkipReason.NoCustomerNumber, now),
  withLeadNote: (d) => L.withLeadNote(d, note),
};

/** The allowed edges; everything else must throw. */
const allowed: Record<string, string[]> = {
  pending: ['claim', 'skip'],
  sending: ['notApplied', 'ambiguous', 'sent'],
  sendingLead: ['notApplied', 'ambiguous', 'incomingLead'],
  sendingNote: ['notApplied', 'ambiguous', 'incomingLead'],
  ambiguous: ['sent', 'reconciledNotFound'],
  sent: [],
  lead: ['withLeadNote'],
  skipped: [],
};

describe('Kommo delivery ledger', () => {
  for (const [stateName, state] of Object.entries(states)) {
    for (const [actionName, action] of Object.entries(actions)) {
      const ok = allowed[stateName].includes(actionName);
      it(`${stateName} ${ok ? 'allows' : 'forbids'} ${actionName}`, () => {
        if (ok) expect(() => action(state)).not.toThrow();
        else expect(() => action(state)).toThrow(IllegalDeliveryTransitionError);
      });
    }
  }

  it('never resends after an ambiguous failure: ambiguous → claim is forbidden until reconciled', () => {
    expect(() => L.claim(states.ambiguous, T.CallsApi, fields, now)).toThrow(IllegalDeliveryTransitionError);
    const restarted = L.reconciledNotFound(states.ambiguous);
    expect(restarted).toEqual({ status: S.Pending, attempts: 1, lastError: 'timeout' });
    expect(L.claim(restarted, T.CallsApi, fields, now)).toMatchObject({ status: S.Sending, attempts: 2 });
  });

  it('records the note of a reconciled call', () => {
    expect(L.sent(states.ambiguous, note, now)).toEqual({ status: S.Sent, note, attempts: 1, at: now });
  });

  it('counts attempts and keeps the last error', () => {
    const once = L.notApplied(L.claim(PENDING_DELIVERY, T.CallsApi, fields, now), '429');
    expect(once).toEqual({ status: S.Pending, attempts: 1, lastError: '429' });
    expect(L.claim(once, T.CallsApi, fields, now)).toMatchObject({ attempts: 2 });
  });

  it('tells a created incoming lead from a note on an earlier pending one', () => {
    expect(states.lead).toMatchObject({ status: S.UnknownNumberLead, createdLead: true, lead });
    expect(L.incomingLead(states.sendingNote, lead, note, now)).toMatchObject({ createdLead: false, note });
  });

  it('a note on a pending lead must name the lead (to reconcile it), other targets must not', () => {
    expect(() => L.claim(PENDING_DELIVERY, T.PendingLeadNote, fields, now)).toThrow(IllegalDeliveryTransitionError);
    expect(() => L.claim(PENDING_DELIVERY, T.CallsApi, fields, now, lead)).toThrow(IllegalDeliveryTransitionError);
  });

  it('expires only claims older than the lease', () => {
    const later = new Date(now.getTime() + 60_000);
    expect(isClaimExpired(states.sending, later, 120_000)).toBe(false);
    expect(() => L.expireClaim(states.sending, later, 120_000)).toThrow(IllegalDeliveryTransitionError);
    const muchLater = new Date(now.getTime() + 120_000);
    expect(L.expireClaim(states.sending, muchLater, 120_000)).toMatchObject({ status: S.Ambiguous, target: T.CallsApi });
  });

  it('knows which states are delivered', () => {
    expect(Object.entries(states).filter(([, d]) => isDelivered(d)).map(([name]) => name)).toEqual(['sent', 'lead', 'skipped']);
  });
});
