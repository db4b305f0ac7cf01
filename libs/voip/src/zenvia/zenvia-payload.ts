/**
 * Zenvia Voice (ex-TotalVoice) call payloads: the `status_tempo_real` and `chamada_fim` webhooks and the call
 * report share the call object (voip.md §3): `id`, `status_geral`, and the two legs `origem` (A, called first)
 * and `destino` (B). Zenvia signs nothing and sends no event id.
 */
type Json = Readonly<Record<string, unknown>>;

/** status_geral values the docs list. */
export const ZENVIA_CALL_STATUSES: readonly string[] = ['criada', 'curso', 'finalizada'];
/** Leg status values the docs list (the last two appear in webhook examples only). */
export const ZENVIA_LEG_STATUSES: readonly string[] = [
  'atendida',
  'sem resposta',
  'ocupado',
  'congestionado',
  'falha',
  'cancelada',
  'não existe',
  'preparando',
  'chamando',
];

export type ZenviaPayloadCheck =
  | { readonly ok: true; readonly callId: string; readonly dedupeKey: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown_status'; readonly detail: string; readonly dedupeKey: string | null };

/**
 * What a Zenvia delivery is: a call object we understand (with its dedupe key `id:status_geral:A:B`, voip.md
 * §7.3, + whether a recording is there), one with a status we do not know (stored raw and reported), or junk.
 */
export function checkZenviaCallPayload(payload: unknown): ZenviaPayloadCheck {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'malformed', detail: 'the body must be a JSON object', dedupeKey: null };
  const call = payload as Json;
  const id = zenviaText(call.id);
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { ok: false, reason: 'malformed', detail: 'the call id ("id") is missing or not an id', dedupeKey: null };
  const general = zenviaText(call.status_geral);
  const origin = legOf(call.origem);
  const destination = legOf(call.destino);
  const dedupeKey = `${id}:${general ?? '-'}:${origin.status ?? '-'}:${destination.status ?? '-'}:${zenviaText(call.url_gravacao) ? 'rec' : '-'}`;
  const unknown = [
    general !== null && !ZENVIA_CALL_STATUSES.includes(general) ? `status_geral "${general}"` : null,
    origin.status !== null && !ZENVIA_LEG_STATUSES.includes(origin.status) ? `origem.status "${origin.status}"` : null,
    destination.status !== null && !ZENVIA_LEG_STATUSES.includes(destination.status) ? `destino.status "${destination.status}"` : null,
  ].filter((problem): problem is string => problem !== null);
  if (general === null && origin.status === null && destination.status === null) {
    return { ok: false, reason: 'unknown_status', detail: 'no status_geral and no leg status', dedupeKey };
  }
  if (unknown.length > 0) return { ok: false, reason: 'unknown_status', detail: `unknown ${unknown.join(', ')}`, dedupeKey };
  return { ok: true, callId: id, dedupeKey };
}

export interface ZenviaLeg {
  readonly number: string | null;
  readonly type: string | null;
  readonly status: string | null;
  readonly startedAt: string | null;
  readonly talkSeconds: number | null;
}

export function legOf(value: unknown): ZenviaLeg {
  const leg = value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
  const talk = leg.duracao_falada_segundos;
  return {
    number: zenviaText(leg.numero),
    type: zenviaText(leg.tipo),
    status: zenviaText(leg.status)?.toLowerCase() ?? null,
    startedAt: zenviaText(leg.data_inicio),
    talkSeconds: typeof talk === 'number' && Number.isSafeInteger(talk) && talk >= 0 ? talk : null,
  };
}

export function zenviaText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
