import { CallerMatch, responsibleManagerOf } from '../caller-id/caller';
import { MappedIdentity } from './port/manager-identities.port';

/** How the caller lookup went: `skipped` = smart forwarding off, or no usable caller number. */
export type CallerLookupOutcome = 'found' | 'not_found' | 'timeout' | 'error' | 'skipped';

/**
 * Why these targets ring: the caller's responsible manager; the ring group (smart forwarding off, unknown caller,
 * lookup too slow, or the responsible manager has no active mapped identity); nobody → voicemail.
 */
export type InboundRouteReason = 'responsible_manager' | 'ring_group' | 'voicemail';

export interface RingTarget {
  readonly userId: number;
  readonly identity: string;
}

export interface InboundRoute {
  readonly reason: InboundRouteReason;
  readonly targets: readonly RingTarget[];
  readonly caller: CallerMatch | null;
  readonly lookup: CallerLookupOutcome;
}

export interface InboundRouteInput {
  readonly mapped: readonly MappedIdentity[];
  /** Ids of the account's active users. */
  readonly activeUserIds: ReadonlySet<number>;
  /** The account's default ring group; [] = every active mapped manager. */
  readonly ringGroup: readonly number[];
  readonly caller: CallerMatch | null;
  readonly lookup: CallerLookupOutcome;
}

/**
 * Smart forwarding's fallback chain (pure): the responsible manager's identities → the ring group's → every active
 * mapped manager's (when the group has nobody reachable) → nobody (voicemail). Inactive users never ring.
 */
export function decideInboundRoute(input: InboundRouteInput): InboundRoute {
  const reachable = input.mapped.filter((entry) => input.activeUserIds.has(entry.userId));
  const identitiesOf = (userIds: readonly number[]): RingTarget[] => {
    const wanted = new Set(userIds);
    return reachable.filter((entry) => wanted.has(entry.userId)).map((entry) => ({ userId: entry.userId, identity: entry.extension }));
  };
  const base = { caller: input.caller, lookup: input.lookup };
  const owner = input.caller ? responsibleManagerOf(input.caller) : null;
  if (owner !== null) {
    const targets = identitiesOf([owner]);
    if (targets.length > 0) return { ...base, reason: 'responsible_manager', targets };
  }
  const group = input.ringGroup.length > 0 ? identitiesOf(input.ringGroup) : [];
  const targets = group.length > 0 ? group : reachable.map((entry) => ({ userId: entry.userId, identity: entry.extension }));
  return targets.length > 0 ? { ...base, reason: 'ring_group', targets } : { ...base, reason: 'voicemail', targets: [] };
}
