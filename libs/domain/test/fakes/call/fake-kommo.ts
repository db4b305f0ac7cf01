import {
  CallbackTasks,
  CallDirection,
  ContactCreator,
  ContactOwnerLookup,
  CreateIncomingLeadResult,
  E164,
  IncomingLeads,
  KommoCallLog,
  KommoCallLogResult,
  KommoCallNoteReadBack,
  KommoWriteWindow,
  KommoCallRecord,
  KommoEntityRef,
  KommoNoteRef,
  KommoWriteNotAppliedError,
  NewCallbackTask,
  NewFollowUpTask,
  OpenCallbackTask,
  PendingIncomingLead,
  CallResultWrites,
} from '../../../src/call';

export interface FakeContact {
  readonly id: number;
  readonly phone: E164;
  readonly responsibleUserId: number;
  readonly activeLeadIds: number[];
}

export interface FakeCallNote {
  readonly noteId: number;
  readonly entity: KommoEntityRef;
  readonly uniq: string;
  readonly phone: E164;
  readonly direction: CallDirection;
  record: KommoCallRecord;
  updates: number;
  /** How it got there. */
  readonly via: 'calls_api' | 'lead_note' | 'incoming_lead';
}

export interface FakeUnsorted {
  readonly uid: string;
  readonly leadId: number;
  readonly phone: E164;
  readonly uniq: string;
  status: 'pending' | 'accepted' | 'declined';
}

export interface FakeTask extends NewCallbackTask {
  readonly taskId: number;
  completed: boolean;
  result: string | null;
}

/** How the next write fails: not applied (sure), or a timeout before / after Kommo applied it. */
export type FakeFailure = 'not_applied' | 'ambiguous_not_applied' | 'ambiguous_applied';
type WriteOp = 'logCalls' | 'createSip' | 'addCallNote' | 'updateCallNote' | 'createTask' | 'createFollowUp' | 'retireNote';

export class KommoTimeoutError extends Error {
  constructor() {
    super('socket hang up after the request was sent');
    this.name = 'KommoTimeoutError';
  }
}

/**
 * An in-memory Kommo: contacts with their active leads, call notes (attach algorithm of kommo-api.md §4.3,
 * no dedupe on uniq), unsorted sip leads (a second one for a pending number is refused as a duplicate),
 * tasks. Writes can be made to fail, before or after they take effect.
 */
export class FakeKommo implements KommoCallLog, IncomingLeads, CallbackTasks, ContactOwnerLookup, ContactCreator, CallResultWrites {
  readonly contacts: FakeContact[] = [];
  readonly notes: FakeCallNote[] = [];
  readonly unsorted: FakeUnsorted[] = [];
  readonly tasks: FakeTask[] = [];
  /** Every /calls request, by batch size. */
  readonly callsRequests: number[] = [];
  readonly requests: string[] = [];
  /** The send windows the writes were given. */
  readonly writeWindows: { op: 'logCalls' | 'addCallNote' | 'createSip'; sendBy: Date }[] = [];
  private readonly failures = new Map<WriteOp, FakeFailure[]>();
  private nextId = 1000;

  addContact(phone: E164, options: { responsibleUserId?: number; activeLeadIds?: number[] } = {}): FakeContact {
    const contact = { id: this.id(), phone, responsibleUserId: options.responsibleUserId ?? 501, activeLeadIds: options.activeLeadIds ?? [] };
    this.contacts.push(contact);
    return contact;
  }

  failNext(op: WriteOp, ...failures: FakeFailure[]): void {
    this.failures.set(op, [...(this.failures.get(op) ?? []), ...failures]);
  }

  /** The manager accepts an incoming lead: its contact becomes a normal contact. */
  accept(uid: string): void {
    const item = this.unsorted.find((candidate) => candidate.uid === uid);
    if (!item) throw new Error(`no unsorted ${uid}`);
    item.status = 'accepted';
    this.contacts.push({ id: this.id(), phone: item.phone, responsibleUserId: 501, activeLeadIds: [item.leadId] });
  }

  notesWithUniq(uniq: string): FakeCallNote[] {
    return this.notes.filter((note) => note.uniq === uniq);
  }

  // ---- KommoCallLog ----

  async logCalls(_accountId: number, records: readonly KommoCallRecord[], window?: KommoWriteWindow): Promise<KommoCallLogResult[]> {
    if (window) this.writeWindows.push({ op: 'logCalls', sendBy: window.sendBy });
    this.requests.push('POST /calls');
    this.callsRequests.push(records.length);
    return this.write('logCalls', () =>
      records.map((record): KommoCallLogResult => {
        const contact = this.contacts.find((candidate) => candidate.phone === record.phone);
        if (!contact) return { kind: 'entity_not_found' };
        const entity: KommoEntityRef =
          contact.activeLeadIds.length === 1 ? { type: 'lead', id: contact.activeLeadIds[0] } : { type: 'contact', id: contact.id };
        return { kind: 'logged', note: this.addNote(entity, record, 'calls_api') };
      }),
    );
  }

  async findCallNoteByUniq(
    _accountId: number,
    query: { uniq: string; phone: E164; direction: CallDirection; entity?: KommoEntityRef },
  ): Promise<KommoNoteRef | null> {
    this.requests.push('GET notes');
    const note = this.notes.find(
      (candidate) =>
        candidate.uniq === query.uniq &&
        (!query.entity || (candidate.entity.type === query.entity.type && candidate.entity.id === query.entity.id)),
    );
    return note ? { entity: note.entity, noteId: note.noteId } : null;
  }

  /** Whether the batch read-back sees every note of its window (false: as if the window had too many pages). */
  readBackComplete = true;
  /** The batch read-back fails with this error, once. */
  readBackFailure: Error | null = null;
  readonly readBackQueries: { uniqs: readonly string[]; writtenSince: Date }[] = [];

  async findCallNotesByUniqs(_accountId: number, query: { uniqs: readonly string[]; writtenSince: Date }): Promise<KommoCallNoteReadBack> {
    this.requests.push('GET notes (batch)');
    this.readBackQueries.push(query);
    if (this.readBackFailure) {
      const failure = this.readBackFailure;
      this.readBackFailure = null;
      throw failure;
    }
    const found = new Map<string, KommoNoteRef>();
    for (const note of this.notes) {
      if (query.uniqs.includes(note.uniq) && !found.has(note.uniq)) found.set(note.uniq, { entity: note.entity, noteId: note.noteId });
    }
    return { found, complete: this.readBackComplete };
  }

  async addCallNote(_accountId: number, entity: KommoEntityRef, record: KommoCallRecord, window?: KommoWriteWindow): Promise<KommoNoteRef> {
    if (window) this.writeWindows.push({ op: 'addCallNote', sendBy: window.sendBy });
    this.requests.push('POST notes');
    return this.write('addCallNote', () => this.addNote(entity, record, 'lead_note'));
  }

  async updateCallNote(_accountId: number, ref: KommoNoteRef, record: KommoCallRecord): Promise<void> {
    this.requests.push('PATCH notes');
    return this.write('updateCallNote', () => {
      const note = this.notes.find((candidate) => candidate.noteId === ref.noteId);
      if (!note) throw new Error(`no note ${ref.noteId}`);
      note.record = record;
      note.updates += 1;
    });
  }

  // ---- IncomingLeads ----

  async createSip(_accountId: number, record: KommoCallRecord, window?: KommoWriteWindow): Promise<CreateIncomingLeadResult> {
    if (window) this.writeWindows.push({ op: 'createSip', sendBy: window.sendBy });
    this.requests.push('POST unsorted/sip');
    return this.write('createSip', (): CreateIncomingLeadResult => {
      if (this.unsorted.some((item) => item.phone === record.phone && item.status === 'pending')) return { kind: 'duplicate' };
      const item: FakeUnsorted = { uid: `uid-${this.id()}`, leadId: this.id(), phone: record.phone, uniq: record.uniq, status: 'pending' };
      this.unsorted.push(item);
      // is_call_event_needed: Kommo puts the call on the new lead itself.
      this.addNote({ type: 'lead', id: item.leadId }, record, 'incoming_lead');
      return { kind: 'created', unsortedUid: item.uid, leadId: item.leadId };
    });
  }

  async findPendingForNumber(_accountId: number, phone: E164): Promise<PendingIncomingLead | null> {
    this.requests.push('GET unsorted');
    const item = this.unsorted.find((candidate) => candidate.phone === phone && candidate.status === 'pending');
    return item ? { unsortedUid: item.uid, leadId: item.leadId, uniq: item.uniq } : null;
  }

  // ---- CallbackTasks ----

  async findOpenForCaller(_accountId: number, phone: E164): Promise<OpenCallbackTask | null> {
    const task = this.tasks.find((candidate) => candidate.phone === phone && !candidate.completed);
    return task ? { taskId: task.taskId, missedCallId: task.missedCallId, missedAt: task.missedAt } : null;
  }

  async create(_accountId: number, task: NewCallbackTask): Promise<{ taskId: number }> {
    this.requests.push('POST tasks');
    return this.write('createTask', () => {
      const taskId = this.id();
      this.tasks.push({ ...task, taskId, completed: false, result: null });
      return { taskId };
    });
  }

  async complete(_accountId: number, taskId: number, resultText: string): Promise<void> {
    this.requests.push('PATCH tasks');
    const task = this.tasks.find((candidate) => candidate.taskId === taskId);
    if (!task) throw new Error(`no task ${taskId}`);
    task.completed = true;
    task.result = resultText;
  }

  // ---- CallResultWrites (call-result modal) ----

  readonly followUps: (NewFollowUpTask & { readonly taskId: number })[] = [];
  /** Call notes turned into plain notes after their call moved to another card. */
  readonly retiredNotes: (FakeCallNote & { readonly movedTo: KommoEntityRef })[] = [];

  async retireCallNote(_accountId: number, ref: KommoNoteRef, movedTo: KommoEntityRef): Promise<void> {
    this.requests.push('PATCH notes (retire)');
    return this.write('retireNote', () => {
      const index = this.notes.findIndex((candidate) => candidate.noteId === ref.noteId);
      if (index < 0) return;
      const [note] = this.notes.splice(index, 1);
      this.retiredNotes.push({ ...note, movedTo });
    });
  }

  async createTask(_accountId: number, task: NewFollowUpTask): Promise<{ taskId: number }> {
    this.requests.push('POST tasks (follow-up)');
    return this.write('createFollowUp', () => {
      const taskId = this.id();
      this.followUps.push({ ...task, taskId });
      return { taskId };
    });
  }

  async findSameTask(_accountId: number, task: NewFollowUpTask): Promise<{ taskId: number } | null> {
    this.requests.push('GET tasks');
    const found = this.followUps.find(
      (candidate) =>
        candidate.text === task.text &&
        candidate.typeId === task.typeId &&
        candidate.completeTill.getTime() === task.completeTill.getTime() &&
        candidate.entity?.id === task.entity?.id,
    );
    return found ? { taskId: found.taskId } : null;
  }

  // ---- ContactOwnerLookup ----

  readonly createdContacts: FakeContact[] = [];

  async findOrCreateForNumber(_accountId: number, phone: E164, responsibleUserId: number | null): Promise<{ contactId: number; created: boolean }> {
    const existing = this.contacts.find((candidate) => candidate.phone === phone);
    if (existing) return { contactId: existing.id, created: false };
    const contact = this.addContact(phone, responsibleUserId === null ? {} : { responsibleUserId });
    this.createdContacts.push(contact);
    return { contactId: contact.id, created: true };
  }

  async findResponsibleUserId(_accountId: number, phone: E164): Promise<number | null> {
    return this.contacts.find((candidate) => candidate.phone === phone)?.responsibleUserId ?? null;
  }

  private addNote(entity: KommoEntityRef, record: KommoCallRecord, via: FakeCallNote['via']): KommoNoteRef {
    const note: FakeCallNote = { noteId: this.id(), entity, uniq: record.uniq, phone: record.phone, direction: record.direction, record, updates: 0, via };
    this.notes.push(note);
    return { entity, noteId: note.noteId };
  }

  private write<T>(op: WriteOp, apply: () => T): T {
    const failure = this.failures.get(op)?.shift();
    switch (failure) {
      case undefined:
        return apply();
      case 'not_applied':
        throw new KommoWriteNotAppliedError('429 Too Many Requests');
      case 'ambiguous_not_applied':
        throw new KommoTimeoutError();
      case 'ambiguous_applied':
        apply();
        throw new KommoTimeoutError();
    }
  }

  private id(): number {
    this.nextId += 1;
    return this.nextId;
  }
}
