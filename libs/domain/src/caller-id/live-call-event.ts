import { CallDirection } from '../call/call-event';
import { E164 } from '../call/e164';
import { CallerMatch } from './caller';

export type LiveCallPhase = 'ringing' | 'answered' | 'ended';

export interface LiveEntityLink {
  readonly type: 'contact' | 'company' | 'lead';
  readonly id: number;
  readonly name: string;
  readonly url: string;
}

/** The caller as the widget's popup shows it (links open Kommo's cards). */
export interface LiveCallerView {
  readonly name: string | null;
  readonly entity: LiveEntityLink | null;
  readonly activeLead: { readonly id: number; readonly name: string; readonly url: string } | null;
  readonly incomingLead: { readonly uid: string | null; readonly url: string | null } | null;
  readonly unknown: boolean;
  readonly createContactUrl: string;
}

/** `event: call` of the widget's live channel (GET /widget/live). */
export interface LiveCallEvent {
  /** Our Call aggregate id (Kommo's `uniq`; what GET /widget/calls/:callId accepts). */
  readonly callId: string;
  /** The provider's id of the call's root leg (Twilio parent CallSid). */
  readonly providerCallId: string;
  readonly phase: LiveCallPhase;
  readonly direction: 'inbound' | 'outbound';
  readonly phone: E164 | null;
  readonly caller: LiveCallerView;
  readonly managerUserId: number | null;
  readonly durationSeconds: number | null;
  readonly at: string;
}

/** Pushes call events to managers' open widgets (any api process serves any widget). */
export interface LiveCallEvents {
  /**
   * Sends `event` to each user's channel, at most once per (call, phase, user) whatever the number of processes
   * or retries. Returns the users it was sent to now.
   */
  publishOnce(accountId: number, userIds: readonly number[], event: LiveCallEvent): Promise<number[]>;
}

/** What the Voice URL learnt at ringing time, kept for the later phases of the same call. */
export interface LiveCallContext {
  readonly callId: string;
  readonly providerCallId: string;
  readonly direction: CallDirection;
  readonly phone: E164 | null;
  readonly caller: LiveCallerView;
  /** The users the TwiML rang. */
  readonly ringTargets: readonly number[];
}

export interface LiveCallContexts {
  save(accountId: number, context: LiveCallContext): Promise<void>;
  find(accountId: number, callId: string): Promise<LiveCallContext | null>;
}

/** Kommo's own call notification (`POST /api/v2/events`, kommo-api.md §7.1). */
export interface KommoCallNotifications {
  notifyIncomingCall(accountId: number, phone: E164, userIds: readonly number[]): Promise<void>;
}

/** Kommo card links of the account host (`demo.kommo.com`). */
export function liveCallerView(host: string, phone: E164 | null, match: CallerMatch | null, incomingLead: LiveCallerView['incomingLead'] = null): LiveCallerView {
  const base = `https://${host}`;
  const createContactUrl = `${base}/contacts/add/?phone=${encodeURIComponent(phone ?? '')}`;
  if (!match) return { name: null, entity: null, activeLead: null, incomingLead, unknown: true, createContactUrl };
  const plural = match.entity.type === 'contact' ? 'contacts' : 'companies';
  return {
    name: match.name,
    entity: { ...match.entity, url: `${base}/${plural}/detail/${match.entity.id}` },
    activeLead: match.activeLead && { id: match.activeLead.id, name: match.activeLead.name, url: `${base}/leads/detail/${match.activeLead.id}` },
    incomingLead: null,
    unknown: false,
    createContactUrl,
  };
}
