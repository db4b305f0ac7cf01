import { UnknownNumberPolicy } from '../../../account-settings/account-settings';
import { answeredCallEvents, at, CallPipeline, CUSTOMER, missedCallEvents } from '../../../../test/fakes/call';
import { CallEvent } from '../../index';
import { CreateCallbackTaskUseCase } from './create-callback-task.use-case';

const ACCOUNT = 42;

describe('CreateCallbackTaskUseCase', () => {
  let pipeline: CallPipeline;
  let sut: CreateCallbackTaskUseCase;

  beforeEach(() => {
    pipeline = new CallPipeline();
    sut = pipeline.createCallbackTask;
  });

  /** Delivers and logs the call, without running its follow-up jobs. */
  async function logged(events: readonly CallEvent[]): Promise<string> {
    await pipeline.deliver(events);
    const callId = pipeline.calls.all().find((call) => call.providerCallIds.includes(events[0].providerCallId))!.id;
    await pipeline.addCall.execute({ accountId: ACCOUNT, callIds: [callId] });
    return callId;
  }

  it('creates one task for the contact’s owner, due after the configured delay, on the entity the call was logged on', async () => {
    const contact = pipeline.kommo.addContact(CUSTOMER, { responsibleUserId: 321 });
    await pipeline.configure(ACCOUNT, { missedCallTaskDelayMinutes: 30 });
    const callId = await logged(missedCallEvents('CA-9'));

    const result = await sut.execute({ accountId: ACCOUNT, callId });

    expect(result).toEqual({ outcome: 'created', taskId: pipeline.kommo.tasks[0].taskId });
    expect(pipeline.kommo.tasks).toEqual([
      expect.objectContaining({
        phone: CUSTOMER,
        missedCallId: callId,
        missedAt: at(30),
        responsibleUserId: 321,
        completeTill: at(30 + 30 * 60),
        entity: { type: 'contact', id: contact.id },
        completed: false,
      }),
    ]);
    expect(pipeline.calls.get(callId).callbackTask).toEqual({ taskId: result.taskId, at: pipeline.clock.now() });
  });

  it('falls back to the manager mapped to the extension, then to the account default', async () => {
    pipeline.extensions.map(ACCOUNT, '101', 9001);
    await pipeline.configure(ACCOUNT, { defaultResponsibleUserId: 77 });
    const mapped = await logged(missedCallEvents('CA-1').map((event) => ({ ...event, agentExtension: '101' })));
    await sut.execute({ accountId: ACCOUNT, callId: mapped });
    expect(pipeline.kommo.tasks[0]).toMatchObject({ responsibleUserId: 9001, entity: { type: 'lead', id: pipeline.kommo.unsorted[0].leadId } });

    pipeline.kommo.tasks[0].completed = true;
    const fallback = await logged(missedCallEvents('CA-2', 600));
    await sut.execute({ accountId: ACCOUNT, callId: fallback });
    expect(pipeline.kommo.tasks[1]).toMatchObject({ responsibleUserId: 77 });
  });

  it('keeps one open task per caller: a second missed call while it is open adds none', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const first = await logged(missedCallEvents('CA-1'));
    const second = await logged(missedCallEvents('CA-2', 300));
    await sut.execute({ accountId: ACCOUNT, callId: first });
    await expect(sut.execute({ accountId: ACCOUNT, callId: second })).resolves.toEqual({ outcome: 'already_open' });
    expect(pipeline.kommo.tasks).toHaveLength(1);
  });

  it('two missed calls handled concurrently still make one task', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const first = await logged(missedCallEvents('CA-1'));
    const second = await logged(missedCallEvents('CA-2', 300));
    await Promise.all([sut.execute({ accountId: ACCOUNT, callId: first }), sut.execute({ accountId: ACCOUNT, callId: second })]);
    expect(pipeline.kommo.tasks).toHaveLength(1);
  });

  it('decides once per call: a repeated job creates nothing even after the task was closed by hand', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const callId = await logged(missedCallEvents());
    await sut.execute({ accountId: ACCOUNT, callId });
    pipeline.kommo.tasks[0].completed = true;
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'already_handled' });
    expect(pipeline.kommo.tasks).toHaveLength(1);
  });

  it('after an ambiguous creation, finds the task it made instead of creating another', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const callId = await logged(missedCallEvents());
    pipeline.kommo.failNext('createTask', 'ambiguous_applied');
    await expect(sut.execute({ accountId: ACCOUNT, callId })).rejects.toThrow('socket hang up');
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'created', taskId: pipeline.kommo.tasks[0].taskId });
    expect(pipeline.kommo.tasks).toHaveLength(1);
  });

  it('creates none when the customer was already reached by a later answered call', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const missed = await logged(missedCallEvents('CA-1'));
    await logged(answeredCallEvents('CA-2').map((event) => ({ ...event, occurredAt: at(600) })).map((event, i) => (i === 1 ? { ...event, answeredAt: at(600) } : event)));
    await expect(sut.execute({ accountId: ACCOUNT, callId: missed })).resolves.toEqual({ outcome: 'already_called_back' });
    expect(pipeline.kommo.tasks).toEqual([]);
  });

  it('creates none when callback tasks are off, for answered calls, or for unknown calls', async () => {
    await pipeline.configure(ACCOUNT, { missedCallTaskDelayMinutes: null, unknownNumberPolicy: UnknownNumberPolicy.Ignore });
    const missed = await logged(missedCallEvents('CA-1'));
    const answered = await logged(answeredCallEvents('CA-2'));
    await expect(sut.execute({ accountId: ACCOUNT, callId: missed })).resolves.toEqual({ outcome: 'disabled' });
    await expect(sut.execute({ accountId: ACCOUNT, callId: answered })).resolves.toEqual({ outcome: 'not_missed' });
    await expect(sut.execute({ accountId: ACCOUNT, callId: 'nope' })).resolves.toEqual({ outcome: 'not_found' });
    expect(pipeline.kommo.tasks).toEqual([]);
  });

  it('makes a free task (no entity) when the unknown number was ignored', async () => {
    await pipeline.configure(ACCOUNT, { unknownNumberPolicy: UnknownNumberPolicy.Ignore });
    const callId = await logged(missedCallEvents());
    await sut.execute({ accountId: ACCOUNT, callId });
    expect(pipeline.kommo.tasks[0]).toMatchObject({ entity: null, responsibleUserId: null });
  });
});
