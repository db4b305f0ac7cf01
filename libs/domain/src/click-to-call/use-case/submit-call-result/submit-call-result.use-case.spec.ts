import { VoipProvider } from '../../../account-settings/voip-connection';
import { CallTaskName, ModalResultPayload } from '../../../call/call-task';
import { answeredCallEvents, CallPipeline } from '../../../../test/fakes/call';
import { InMemoryVoipConnectionRepository } from '../../../../test/fakes/in-memory-voip-connection.repository';
import { SubmitCallResultCommand, SubmitCallResultUseCase } from './submit-call-result.use-case';

const ACCOUNT = 42;
const MANAGER = 9001;

describe('SubmitCallResultUseCase', () => {
  let pipeline: CallPipeline;
  let sut: SubmitCallResultUseCase;

  beforeEach(async () => {
    pipeline = new CallPipeline();
    const connections = new InMemoryVoipConnectionRepository();
    await connections.save({ id: 'c', accountId: ACCOUNT, provider: VoipProvider.Twilio, pathKey: 'k'.repeat(20), credentials: {}, createdAt: new Date(0), updatedAt: new Date(0) });
    sut = new SubmitCallResultUseCase(pipeline.calls, connections, pipeline.extensions, pipeline.settings, pipeline.queue, pipeline.clock, pipeline.random);
    pipeline.extensions.map(ACCOUNT, 'anna', MANAGER);
    await pipeline.deliver(answeredCallEvents('CA-1', { agentExtension: 'anna' }));
    pipeline.queue.clear();
  });

  const submit = (overrides: Partial<SubmitCallResultCommand> = {}) =>
    sut.execute({
      actor: { accountId: ACCOUNT, userId: MANAGER, isAdmin: false },
      callId: 'CA-1',
      entity: { type: 'contact', id: 5 },
      callStatus: 2,
      result: 'Call back Tuesday',
      task: { typeId: 1, dueAt: new Date(pipeline.clock.now().getTime() + 3_600_000), text: 'Call back', responsibleUserId: null },
      requestId: 'r-1',
      ...overrides,
    });

  it("queues the manager's save as UpdateFromModal for our call id (found by a provider id too), deduped by requestId", async () => {
    await expect(submit()).resolves.toEqual({ callId: 'call-1', submissionId: 'r-1' });
    const [job] = pipeline.queue.jobs(CallTaskName.UpdateFromModal);
    expect(job.dedupeKey).toBe(`${ACCOUNT}-r-1`);
    expect(job.payload as ModalResultPayload).toMatchObject({
      callId: 'call-1',
      userId: MANAGER,
      resultText: 'Call back Tuesday',
      callStatus: 2,
      entity: { type: 'contact', id: 5 },
      task: { typeId: 1, text: 'Call back', responsibleUserId: null },
    });
  });

  it('lets an admin save any call, refuses other managers (forbidden), unknown calls (not_found) and past tasks', async () => {
    await expect(submit({ actor: { accountId: ACCOUNT, userId: 1, isAdmin: false } })).rejects.toMatchObject({ reason: 'forbidden' });
    await expect(submit({ actor: { accountId: ACCOUNT, userId: 1, isAdmin: true }, requestId: null })).resolves.toMatchObject({ callId: 'call-1' });
    await expect(submit({ callId: 'CA-unknown' })).rejects.toMatchObject({ reason: 'not_found' });
    await expect(submit({ actor: { accountId: ACCOUNT + 1, userId: MANAGER, isAdmin: true } })).rejects.toMatchObject({ reason: 'not_found' });
    await expect(submit({ task: { typeId: 1, dueAt: new Date(0), text: 'x', responsibleUserId: null } })).rejects.toMatchObject({
      reason: 'invalid_request',
      message: expect.stringContaining('future'),
    });
    await expect(submit({ requestId: 'a:b' })).rejects.toMatchObject({ reason: 'invalid_request' });
  });
});
