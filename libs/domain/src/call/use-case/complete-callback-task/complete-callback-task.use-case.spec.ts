import { aCallEvent, answeredCallEvents, at, CallPipeline, CUSTOMER, missedCallEvents } from '../../../../test/fakes/call';
import { CallDirection, CallState, e164 } from '../../index';
import { CompleteCallbackTaskUseCase } from './complete-callback-task.use-case';

const ACCOUNT = 42;

describe('CompleteCallbackTaskUseCase', () => {
  let pipeline: CallPipeline;
  let sut: CompleteCallbackTaskUseCase;

  beforeEach(() => {
    pipeline = new CallPipeline();
    sut = pipeline.completeCallbackTask;
    pipeline.kommo.addContact(CUSTOMER);
  });

  async function callIdOf(providerCallId: string): Promise<string> {
    return (await pipeline.calls.findByProviderCallId(ACCOUNT, 'twilio' as never, providerCallId))!.id;
  }

  it('closes the caller’s open task when a later call is answered', async () => {
    await pipeline.deliver(missedCallEvents('CA-1'));
    await pipeline.drain();
    expect(pipeline.kommo.tasks).toHaveLength(1);

    await pipeline.deliver(answeredCallEvents('CA-2').map((event) => ({ ...event, occurredAt: at(900), answeredAt: event.answeredAt && at(905) })));
    const answered = await callIdOf('CA-2');
    await pipeline.addCall.execute({ accountId: ACCOUNT, callIds: [answered] });

    await expect(sut.execute({ accountId: ACCOUNT, callId: answered })).resolves.toEqual({ outcome: 'completed', taskId: pipeline.kommo.tasks[0].taskId });
    expect(pipeline.kommo.tasks[0]).toMatchObject({ completed: true, result: expect.stringContaining(answered) });
    await expect(sut.execute({ accountId: ACCOUNT, callId: answered })).resolves.toEqual({ outcome: 'no_open_task' });
  });

  it('an answered outbound call (the manager called back) closes it too', async () => {
    await pipeline.deliver(missedCallEvents('CA-1'));
    await pipeline.drain();
    await pipeline.deliver([
      aCallEvent({ providerCallId: 'CA-3', direction: CallDirection.Outbound, caller: e164('+5511300000000'), callee: CUSTOMER, state: CallState.Completed, answeredAt: at(1000), durationSeconds: 20 }),
    ]);
    await pipeline.drain();
    expect(pipeline.kommo.tasks[0].completed).toBe(true);
  });

  it('leaves open a task for a call missed after the answered one', async () => {
    await pipeline.deliver(answeredCallEvents('CA-2'));
    await pipeline.deliver(missedCallEvents('CA-1', 600));
    const missed = await callIdOf('CA-1');
    await pipeline.addCall.execute({ accountId: ACCOUNT, callIds: [missed] });
    await pipeline.createCallbackTask.execute({ accountId: ACCOUNT, callId: missed });

    await expect(sut.execute({ accountId: ACCOUNT, callId: await callIdOf('CA-2') })).resolves.toEqual({ outcome: 'task_is_newer' });
    expect(pipeline.kommo.tasks[0].completed).toBe(false);
  });

  it('does nothing for unanswered or unknown calls', async () => {
    await pipeline.deliver(missedCallEvents('CA-1'));
    await expect(sut.execute({ accountId: ACCOUNT, callId: await callIdOf('CA-1') })).resolves.toEqual({ outcome: 'not_answered' });
    await expect(sut.execute({ accountId: ACCOUNT, callId: 'nope' })).resolves.toEqual({ outcome: 'not_found' });
  });
});
