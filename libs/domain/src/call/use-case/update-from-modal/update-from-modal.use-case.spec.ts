import { VoipProvider } from '../../../account-settings/voip-connection';
import { answeredCallEvents, at, CallPipeline, CUSTOMER } from '../../../../test/fakes/call';
import { InvalidModalResultError, KommoCallStatus } from '../../index';
import { UpdateFromModalCommand, UpdateFromModalUseCase } from './update-from-modal.use-case';

const ACCOUNT = 42;

describe('UpdateFromModalUseCase', () => {
  let pipeline: CallPipeline;
  let sut: UpdateFromModalUseCase;

  beforeEach(() => {
    pipeline = new CallPipeline();
    sut = pipeline.updateFromModal;
    pipeline.kommo.addContact(CUSTOMER);
  });

  const submit = (overrides: Partial<UpdateFromModalCommand> = {}) =>
    sut.execute({
      accountId: ACCOUNT,
      call: { provider: VoipProvider.Twilio, providerCallId: 'CA-1' },
      submissionId: 's1',
      submittedAt: at(120),
      userId: 9001,
      resultText: 'Wants a quote',
      callStatus: null,
      ...overrides,
    });

  it('updates the logged call’s note in place with the manager’s result and status', async () => {
    await pipeline.deliver(answeredCallEvents());
    await pipeline.drain();

    await expect(submit({ callStatus: KommoCallStatus.CallBackLater })).resolves.toEqual({ callId: 'call-1', outcome: 'note_updated' });

    expect(pipeline.kommo.notes).toHaveLength(1);
    expect(pipeline.kommo.notes[0]).toMatchObject({ updates: 1, record: { fields: { callResult: 'Wants a quote', callStatus: KommoCallStatus.CallBackLater } } });
  });

  it('a duplicate submission changes nothing and writes nothing', async () => {
    await pipeline.deliver(answeredCallEvents());
    await pipeline.drain();
    await submit();
    await expect(submit()).resolves.toEqual({ callId: 'call-1', outcome: 'up_to_date' });
    expect(pipeline.kommo.notes[0].updates).toBe(1);
  });

  it('an older submission arriving late does not overwrite a newer one', async () => {
    await pipeline.deliver(answeredCallEvents());
    await pipeline.drain();
    await submit({ submissionId: 's2', submittedAt: at(200), resultText: 'newer' });
    await submit({ submissionId: 's1', submittedAt: at(100), resultText: 'older' });
    expect(pipeline.kommo.notes[0].record.fields.callResult).toBe('newer');
  });

  it('keeps the result until the call is logged, then sends it with the call', async () => {
    await pipeline.deliver(answeredCallEvents().slice(0, 2));
    await expect(submit()).resolves.toEqual({ callId: 'call-1', outcome: 'saved_until_logged' });
    await pipeline.deliver(answeredCallEvents().slice(2));
    await pipeline.drain();
    expect(pipeline.kommo.notes).toHaveLength(1);
    expect(pipeline.kommo.notes[0]).toMatchObject({ updates: 0, record: { fields: { callResult: 'Wants a quote' } } });
  });

  it('accepts the modal before any webhook: the webhooks merge into the same call', async () => {
    await expect(submit()).resolves.toEqual({ callId: 'call-1', outcome: 'saved_until_logged' });
    await pipeline.deliver(answeredCallEvents());
    await pipeline.drain();
    expect(pipeline.calls.all()).toHaveLength(1);
    expect(pipeline.kommo.notes).toHaveLength(1);
    expect(pipeline.kommo.notes[0].record.fields.callResult).toBe('Wants a quote');
  });

  it('finds the call by our id too, and says when it does not know it', async () => {
    await pipeline.deliver(answeredCallEvents());
    await expect(submit({ call: { callId: 'call-1' } })).resolves.toEqual({ callId: 'call-1', outcome: 'saved_until_logged' });
    await expect(submit({ call: { callId: 'nope' } })).resolves.toEqual({ callId: null, outcome: 'call_not_found' });
  });

  it.each([
    [{ submissionId: ' ' }, 'submissionId is empty'],
    [{ submittedAt: new Date('x') }, 'submittedAt is not a valid date'],
    [{ resultText: 'x'.repeat(2001) }, 'resultText is longer than 2000'],
    [{ callStatus: 9 as KommoCallStatus }, 'unknown callStatus'],
  ])('refuses %p', async (override, problem) => {
    await expect(submit(override)).rejects.toThrow(InvalidModalResultError);
    await expect(submit(override)).rejects.toThrow(problem);
  });

  it('treats a blank result as no result', async () => {
    await pipeline.deliver(answeredCallEvents());
    await submit({ resultText: '   ' });
    expect(pipeline.calls.get('call-1').modalResult?.resultText).toBeNull();
  });
});
