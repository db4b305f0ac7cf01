import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Call, CallDirection, CallState, VoipProvider } from '@app/domain';
import { checkZenviaCallPayload } from '../zenvia/zenvia-payload';
import { zenviaCallEvent } from './zenvia-call-event';

/** Conformance: the call objects of Zenvia's docs (status_tempo_real, chamada_fim, report): test/fixtures/providers/zenvia. */
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/providers/zenvia', name), 'utf8')) as Record<string, unknown>;
const CONTEXT = { accountId: 31000001, connectionId: 'conn-zv', defaultCountry: 'BR', receivedAt: new Date('2026-11-24T17:00:00Z') };

describe('zenviaCallEvent', () => {
  it('maps a finished click-to-call (chamada_fim): outbound to leg B, talk time of B, the ramal as agent, recording via the API', () => {
    expect(zenviaCallEvent(fixture('chamada-fim.json'), CONTEXT)).toMatchObject({
      idempotencyKey: 'zenvia:conn-zv:37785949:finalizada:atendida:atendida:rec',
      provider: VoipProvider.Zenvia,
      providerCallId: '37785949',
      direction: CallDirection.Outbound,
      caller: null,
      callee: '+5511987654321',
      state: CallState.Completed,
      durationSeconds: 28,
      startedAt: new Date('2026-11-24T16:48:19Z'),
      answeredAt: new Date('2026-11-24T16:48:29Z'),
      recording: { url: 'https://voice-api.zenvia.com/chamada/37785949/gravacao', durationSeconds: 28 },
      agentExtension: '4000',
    });
  });

  it.each([
    ['status-tempo-real-chamando.json', CallState.Ringing],
    ['status-tempo-real-atendida.json', CallState.Answered],
    ['chamada-fim-sem-resposta.json', CallState.Missed],
    ['chamada-fim-ocupado.json', CallState.Busy],
    ['chamada-fim-manager-did-not-answer.json', CallState.Missed],
  ])('maps %s to %s', (name, state) => {
    const event = zenviaCallEvent(fixture(name), CONTEXT)!;
    expect(event.state).toBe(state);
    if (state === CallState.Missed || state === CallState.Busy) expect(event.durationSeconds).toBe(0);
  });

  it('status updates then chamada_fim, in any order, make one answered call', () => {
    const events = ['chamada-fim.json', 'status-tempo-real-chamando.json', 'status-tempo-real-atendida.json'].map((name) => zenviaCallEvent(fixture(name), CONTEXT)!);
    const call = Call.start({ id: 'z1', accountId: CONTEXT.accountId, provider: VoipProvider.Zenvia, providerCallId: '37785949' });
    for (const event of events) call.apply(event);
    expect(call).toMatchObject({ outcome: CallState.Completed, durationSeconds: 28, customerNumber: '+5511987654321', agentExtension: '4000' });
  });

  it('reads an inbound call (external A, ramal B) with the customer as caller', () => {
    const payload = fixture('chamada-fim.json');
    payload.origem = { ...(payload.destino as object) };
    payload.destino = { ...(fixture('chamada-fim.json').origem as object) };
    expect(zenviaCallEvent(payload, CONTEXT)).toMatchObject({ direction: CallDirection.Inbound, caller: '+5511987654321', callee: null, agentExtension: '4000' });
  });

  it('does not interpret a payload with a status the docs do not list', () => {
    expect(checkZenviaCallPayload(fixture('unknown-status.json'))).toMatchObject({ ok: false, reason: 'unknown_status', detail: 'unknown status_geral "transferida", origem.status "em espera"' });
    expect(zenviaCallEvent(fixture('unknown-status.json'), CONTEXT)).toBeNull();
  });

  it('tells junk from a call object', () => {
    expect(checkZenviaCallPayload([])).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkZenviaCallPayload({ status_geral: 'curso' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkZenviaCallPayload({ id: 5 })).toMatchObject({ ok: false, reason: 'unknown_status' });
    expect(checkZenviaCallPayload(fixture('status-tempo-real-chamando.json'))).toEqual({ ok: true, callId: '37785949', dedupeKey: '37785949:curso:chamando:preparando:-' });
  });
});
