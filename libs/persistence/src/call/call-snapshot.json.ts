import { CallModalResult, CallSnapshot, KommoDelivery, KommoDeliveryStatus } from '@app/domain';

/** The JSON form of T: Dates become ISO strings, everything else stays. */
type Json<T> = T extends Date
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? readonly Json<U>[]
      : { readonly [K in keyof T]: Json<T[K]> };

/**
 * What the `call.snapshot` column holds: the domain's `CallSnapshot` minus `version` (the column owns it).
 * Revival below is typed against this shape, so a Date field added to the snapshot fails to compile here
 * until it is revived too.
 */
export type StoredCallSnapshot = Json<Omit<CallSnapshot, 'version'>>;

export function toStoredSnapshot(snapshot: CallSnapshot): StoredCallSnapshot {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { version, ...stored } = snapshot;
  return JSON.parse(JSON.stringify(stored)) as StoredCallSnapshot;
}

export function reviveSnapshot(stored: StoredCallSnapshot, version: number): CallSnapshot {
  return {
    ...stored,
    legs: stored.legs.map((leg) => ({
      ...leg,
      startedAt: dateOrNull(leg.startedAt),
      answeredAt: dateOrNull(leg.answeredAt),
      endedAt: dateOrNull(leg.endedAt),
      terminalSeenAt: dateOrNull(leg.terminalSeenAt),
    })),
    parentProviderCallIds: [...stored.parentProviderCallIds],
    recording: stored.recording ? { ...stored.recording } : null,
    modalResult: stored.modalResult ? reviveModalResult(stored.modalResult) : null,
    eventKeys: [...stored.eventKeys],
    firstOccurredAt: dateOrNull(stored.firstOccurredAt),
    lastOccurredAt: dateOrNull(stored.lastOccurredAt),
    delivery: reviveDelivery(stored.delivery),
    loggedAs: stored.loggedAs ? { ...stored.loggedAs } : null,
    callbackTask: stored.callbackTask ? { ...stored.callbackTask, at: date(stored.callbackTask.at) } : null,
    version,
  };
}

function reviveModalResult(stored: Json<CallModalResult>): CallModalResult {
  const { task, entity, ...rest } = stored;
  // Absent in results saved before the modal linked cards and tasks: kept absent (a round-trip changes nothing).
  return {
    ...rest,
    submittedAt: date(stored.submittedAt),
    ...(entity === undefined ? {} : { entity: entity ? { ...entity } : null }),
    ...(task === undefined ? {} : { task: task ? { ...task, dueAt: date(task.dueAt) } : null }),
  };
}

function reviveDelivery(delivery: Json<KommoDelivery>): KommoDelivery {
  switch (delivery.status) {
    case KommoDeliveryStatus.Pending:
      return { ...delivery };
    case KommoDeliveryStatus.Sending:
      return { ...delivery, since: date(delivery.since), fields: { ...delivery.fields }, lead: delivery.lead ? { ...delivery.lead } : null };
    case KommoDeliveryStatus.Ambiguous:
      return { ...delivery, since: date(delivery.since), fields: { ...delivery.fields }, lead: delivery.lead ? { ...delivery.lead } : null };
    case KommoDeliveryStatus.Sent:
      return { ...delivery, note: { ...delivery.note, entity: { ...delivery.note.entity } }, at: date(delivery.at) };
    case KommoDeliveryStatus.UnknownNumberLead:
      return {
        ...delivery,
        lead: { ...delivery.lead },
        note: delivery.note ? { ...delivery.note, entity: { ...delivery.note.entity } } : null,
        at: date(delivery.at),
      };
    case KommoDeliveryStatus.Skipped:
      return { ...delivery, at: date(delivery.at) };
  }
}

function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`Stored call snapshot holds an invalid date: ${value}`);
  return parsed;
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : date(value);
}
