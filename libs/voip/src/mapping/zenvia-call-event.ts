import { CallDirection, CallEvent, CallState, createCallEvent, VoipProvider } from '@app/domain';
import { classifyPhoneParty, e164Of, identityOf, PhoneParty } from '../phone/phone-party';
import { checkZenviaCallPayload, legOf, ZenviaLeg, zenviaText } from '../zenvia/zenvia-payload';
import { CallEventContext } from './call-event-context';

/** The recording is fetched from Zenvia's API with the connection's token, never from the opaque url_gravacao. */
export const ZENVIA_RECORDING_URL_PREFIX = 'https://voice-api.zenvia.com/chamada/';

const TERMINAL_OF_LEG: Readonly<Record<string, CallState>> = {
  atendida: CallState.Completed,
  'sem resposta': CallState.Missed,
  cancelada: CallState.Missed,
  ocupado: CallState.Busy,
  congestionado: CallState.Failed,
  falha: CallState.Failed,
  'não existe': CallState.Failed,
};

/**
 * A Zenvia call object (webhook or report) as a provider-neutral event (voip.md §3, §7.3). Leg A (`origem`) is
 * called first — the manager's extension or phone in a click-to-call — and leg B (`destino`) is the customer.
 * When A is an external number and B an extension, the call came in (inbound); otherwise it is outbound.
 * Talk time is B's `duracao_falada_segundos`; a call whose A leg never answered is missed. Null for statuses
 * we do not know (those are stored raw as ZenviaUnrecognised and never reach this function).
 */
export function zenviaCallEvent(payload: Readonly<Record<string, unknown>>, context: CallEventContext): CallEvent | null {
  const check = checkZenviaCallPayload(payload);
  if (!check.ok) return null;
  const origin = legOf(payload.origem);
  const destination = legOf(payload.destino);
  const a = partyOf(origin, context.defaultCountry);
  const b = partyOf(destination, context.defaultCountry);
  const inbound = origin.type !== 'ramal' && destination.type === 'ramal';
  const customer = inbound ? a : b;
  // The manager: the extension (ramal) side, or leg A's own phone in a click-to-call to the manager's mobile.
  const agent = identityOf(inbound ? b : a) ?? (inbound ? null : origin.number) ?? zenviaText(payload.ramal_id_origem);

  const general = zenviaText(payload.status_geral);
  const ended = general === 'finalizada' || payload.ativa === false;
  const customerLeg = inbound ? origin : destination;
  const agentLeg = inbound ? destination : origin;
  let state: CallState | null;
  if (ended) {
    if (!inbound && agentLeg.status !== null && agentLeg.status !== 'atendida') state = TERMINAL_OF_LEG[agentLeg.status] ?? CallState.Missed;
    else state = TERMINAL_OF_LEG[customerLeg.status ?? ''] ?? (customerLeg.status === null ? CallState.Missed : CallState.Failed);
    if (inbound && state === CallState.Completed && agentLeg.status !== null && agentLeg.status !== 'atendida') state = CallState.Missed;
  } else if (customerLeg.status === 'atendida' && (inbound ? agentLeg.status === 'atendida' : true)) {
    state = CallState.Answered;
  } else {
    state = CallState.Ringing;
  }
  const created = date(payload.data_criacao) ?? context.receivedAt;
  const answeredAt = state === CallState.Answered || state === CallState.Completed ? date(customerLeg.startedAt) : null;
  const talk = inbound ? (agentLeg.talkSeconds ?? customerLeg.talkSeconds) : customerLeg.talkSeconds;
  const terminal = state !== CallState.Ringing && state !== CallState.Answered;
  const endedAt = terminal ? new Date(created.getTime() + Math.max(0, durationOf(payload)) * 1000) : null;
  const recorded = zenviaText(payload.url_gravacao) !== null;
  return createCallEvent({
    idempotencyKey: `zenvia:${context.connectionId}:${check.dedupeKey}`,
    provider: VoipProvider.Zenvia,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: check.callId,
    direction: inbound ? CallDirection.Inbound : CallDirection.Outbound,
    caller: inbound ? e164Of(customer) : null,
    callee: inbound ? null : e164Of(customer),
    state,
    occurredAt: endedAt ?? created,
    startedAt: created,
    answeredAt,
    endedAt,
    durationSeconds: terminal ? (state === CallState.Completed ? (talk ?? null) : 0) : null,
    recording: recorded && terminal ? { url: `${ZENVIA_RECORDING_URL_PREFIX}${encodeURIComponent(check.callId)}/gravacao`, durationSeconds: state === CallState.Completed ? (talk ?? null) : null } : null,
    agentExtension: agent,
  });
}

function partyOf(leg: ZenviaLeg, defaultCountry: string): PhoneParty {
  if (leg.type === 'ramal' && leg.number) return { kind: 'internal', identity: leg.number };
  return classifyPhoneParty(leg.number, defaultCountry);
}

/** Longest leg duration (seconds since creation) as the call's end. */
function durationOf(payload: Readonly<Record<string, unknown>>): number {
  const seconds = [payload.origem, payload.destino].map((leg) => {
    const value = leg && typeof leg === 'object' ? (leg as Record<string, unknown>).duracao_segundos : null;
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  });
  return Math.round(Math.max(0, ...seconds));
}

function date(value: unknown): Date | null {
  const raw = zenviaText(value);
  if (!raw) return null;
  // Zenvia writes some dates without an offset (webhook examples); those are UTC per the docs ("formato UTC").
  const parsed = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : `${raw}Z`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
