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

  describe('linked card and follow-up task', () => {
    const TARGET = { type: 'company', id: 777 } as const;
    const task = { typeId: 1, dueAt: at(86_400), text: 'Call back', responsibleUserId: null };

    it('moves the logged note to the chosen card (one call note), retires the old one, creates the task once', async () => {
      await pipeline.deliver(answeredCallEvents());
      await pipeline.drain();
      const [before] = pipeline.kommo.notes;

      await submit({ entity: TARGET, task });
      await submit({ entity: TARGET, task }); // the same submission again (a retried job)

      expect(pipeline.kommo.notes).toHaveLength(1);
      expect(pipeline.kommo.notes[0]).toMatchObject({ entity: TARGET, record: { fields: { callResult: 'Wants a quote' } } });
      expect(pipeline.kommo.retiredNotes).toEqual([expect.objectContaining({ noteId: before.noteId, movedTo: TARGET })]);
      expect(pipeline.kommo.followUps).toEqual([expect.objectContaining({ text: 'Call back', entity: TARGET, responsibleUserId: 9001, typeId: 1 })]);
      expect(pipeline.calls.get('call-1').retiredNotes).toEqual([]);
    });

    it('reads back an unsure task create and an unsure note move instead of writing twice', async () => {
      await pipeline.deliver(answeredCallEvents());
      await pipeline.drain();
      pipeline.kommo.failNext('addCallNote', 'ambiguous_applied');
      await expect(submit({ entity: TARGET })).rejects.toThrow();
      pipeline.kommo.failNext('createFollowUp', 'ambiguous_applied');
      await expect(submit({ entity: TARGET, task })).rejects.toThrow();
      await submit({ entity: TARGET, task });

      expect(pipeline.kommo.notes.filter((note) => note.entity.type === 'company')).toHaveLength(1);
      expect(pipeline.kommo.notes).toHaveLength(1);
      expect(pipeline.kommo.followUps).toHaveLength(1);
    });

    it('waits for the call to be logged, then moves the note and creates the task (AddCall runs the submission again)', async () => {
      await pipeline.deliver(answeredCallEvents().slice(0, 2));
      await expect(submit({ entity: TARGET, task })).resolves.toMatchObject({ outcome: 'saved_until_logged' });
      expect(pipeline.kommo.followUps).toHaveLength(0);

      await pipeline.deliver(answeredCallEvents().slice(2));
      await pipeline.drain();

      expect(pipeline.errors).toEqual([]);
      expect(pipeline.kommo.notes).toHaveLength(1);
      expect(pipeline.kommo.notes[0].entity).toEqual(TARGET);
      expect(pipeline.kommo.followUps).toHaveLength(1);
    });

    it('a second submission with its own task adds a second task, never a second note', async () => {
      await pipeline.deliver(answeredCallEvents());
      await pipeline.drain();
      await submit({ entity: TARGET, task });
      await submit({ submissionId: 's2', submittedAt: at(300), resultText: 'second', task: { ...task, text: 'Again' } });

      expect(pipeline.kommo.notes).toHaveLength(1);
      expect(pipeline.kommo.notes[0]).toMatchObject({ entity: TARGET, record: { fields: { callResult: 'second' } } });
      expect(pipeline.kommo.followUps.map((created) => created.text)).toEqual(['Call back', 'Again']);
    });
  });

  it('treats a blank result as no result', async () => {
    await pipeline.deliver(answeredCallEvents());
    await submit({ resultText: '   ' });
    expect(pipeline.calls.get('call-1').modalResult?.resultText).toBeNull();
  });
});
