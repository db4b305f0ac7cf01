import { CallDirection, CallState, KommoCallStatus, kommoCallStatusOf, kommoNoteTypeOf, TERMINAL_STATES } from './index';

describe('Kommo call mapping', () => {
  it.each([
    [CallState.Completed, CallDirection.Inbound, KommoCallStatus.ConversationTookPlace],
    [CallState.Completed, CallDirection.Outbound, KommoCallStatus.ConversationTookPlace],
    [CallState.Voicemail, CallDirection.Inbound, KommoCallStatus.LeftMessage],
    [CallState.Voicemail, CallDirection.Outbound, KommoCallStatus.LeftMessage],
    [CallState.Busy, CallDirection.Inbound, KommoCallStatus.LineBusy],
    [CallState.Busy, CallDirection.Outbound, KommoCallStatus.LineBusy],
    [CallState.Missed, CallDirection.Inbound, KommoCallStatus.DidNotGetThrough],
    [CallState.Missed, CallDirection.Outbound, KommoCallStatus.NotAvailable],
    [CallState.Failed, CallDirection.Inbound, KommoCallStatus.DidNotGetThrough],
    [CallState.Failed, CallDirection.Outbound, KommoCallStatus.DidNotGetThrough],
  ] as const)('%s %s → call_status %i', (outcome, direction, status) => {
    expect(kommoCallStatusOf(outcome, direction)).toBe(status);
  });

  it('maps every outcome to one of Kommo’s documented values 1..7', () => {
    for (const outcome of TERMINAL_STATES) {
      for (const direction of Object.values(CallDirection)) {
        expect(kommoCallStatusOf(outcome, direction)).toBeGreaterThanOrEqual(1);
        expect(kommoCallStatusOf(outcome, direction)).toBeLessThanOrEqual(7);
      }
    }
  });

  it('maps direction to the note type', () => {
    expect(kommoNoteTypeOf(CallDirection.Inbound)).toBe('call_in');
    expect(kommoNoteTypeOf(CallDirection.Outbound)).toBe('call_out');
  });
});
