import { answeredCallEvents, CallPipeline, CUSTOMER, missedCallEvents, aCallEvent } from '../../../../test/fakes/call';
import { CallTaskName } from '../../index';
import { AttachRecordingUseCase } from './attach-recording.use-case';

const ACCOUNT = 42;

describe('AttachRecordingUseCase', () => {
  let pipeline: CallPipeline;
  let sut: AttachRecordingUseCase;
  const [ringing, answered, completed, recording] = answeredCallEvents();

  beforeEach(() => {
    pipeline = new CallPipeline();
    sut = pipeline.attachRecording;
  });

  async function loggedWithoutRecording(): Promise<string> {
    pipeline.kommo.addContact(CUSTOMER);
    await pipeline.deliver([ringing, answered, completed]);
    await pipeline.drain();
    return pipeline.calls.all()[0].id;
  }

  it('a recording 30 s after logging updates the same note, never a second one', async () => {
    const callId = await loggedWithoutRecording();
    expect(pipeline.kommo.notes[0].record.recordingLink).toBeNull();

    await pipeline.deliver([recording]);
    await pipeline.drain();

    expect(pipeline.kommo.notes).toHaveLength(1);
    expect(pipeline.kommo.notes[0].updates).toBe(1);
    expect(pipeline.kommo.notes[0].record).toMatchObject({
      recordingLink: `https://voip.example/recordings/42/${callId}?sig=test`,
      fields: { hasRecording: true, durationSeconds: 60 },
    });
    expect(pipeline.calls.get(callId).needsKommoUpdate).toBe(false);
    expect(pipeline.kommo.callsRequests).toEqual([1]);
  });

  it('is idempotent: running the job again does nothing', async () => {
    const callId = await loggedWithoutRecording();
    await pipeline.deliver([recording, recording, recording]);
    await pipeline.drain();
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'up_to_date' });
    expect(pipeline.kommo.notes[0].updates).toBe(1);
  });

  it('a recording before logging goes out with the call: no update job', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    await pipeline.deliver([recording, ringing, completed, answered]);
    await pipeline.drain();
    expect(pipeline.kommo.notes[0].record.recordingLink).not.toBeNull();
    expect(pipeline.queue.jobs(CallTaskName.AttachRecording)).toEqual([]);
    expect(pipeline.kommo.requests).not.toContain('PATCH notes');
  });

  it('sends nothing when recordings are off (but stops asking)', async () => {
    await pipeline.configure(ACCOUNT, { recordingEnabled: false });
    const callId = await loggedWithoutRecording();
    await pipeline.deliver([recording]);
    await pipeline.drain();
    expect(pipeline.kommo.requests).not.toContain('PATCH notes');
    expect(pipeline.calls.get(callId).needsKommoUpdate).toBe(false);
  });

  it('updates the call Kommo put on the incoming lead of an unknown number', async () => {
    await pipeline.deliver([ringing, answered, completed]);
    await pipeline.drain();
    expect(pipeline.kommo.unsorted).toHaveLength(1);

    await pipeline.deliver([recording]);
    await pipeline.drain();

    const notes = pipeline.kommo.notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ via: 'incoming_lead', updates: 1 });
    expect(notes[0].record.recordingLink).not.toBeNull();
  });

  it('retries a failed PATCH later (the job fails, the call still needs the update)', async () => {
    const callId = await loggedWithoutRecording();
    await pipeline.deliver([recording]);
    pipeline.kommo.failNext('updateCallNote', 'ambiguous_applied');

    await expect(sut.execute({ accountId: ACCOUNT, callId })).rejects.toThrow('socket hang up');
    expect(pipeline.calls.get(callId).needsKommoUpdate).toBe(true);
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'note_updated' });
    expect(pipeline.kommo.notes).toHaveLength(1);
  });

  it('answers for calls it cannot update', async () => {
    await expect(sut.execute({ accountId: ACCOUNT, callId: 'nope' })).resolves.toEqual({ outcome: 'not_found' });
    await pipeline.deliver(missedCallEvents());
    const callId = pipeline.calls.all()[0].id;
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'not_logged' });
  });

  it('gives up (and says so) when the note inside an incoming lead cannot be found', async () => {
    await pipeline.deliver([ringing, answered, completed]);
    await pipeline.drain();
    pipeline.kommo.notes.length = 0;
    await pipeline.deliver([aCallEvent({ state: null, recording: { url: 'https://r/late', durationSeconds: 60 } })]);
    const callId = pipeline.calls.all()[0].id;
    await expect(sut.execute({ accountId: ACCOUNT, callId })).resolves.toEqual({ outcome: 'note_unknown' });
    expect(pipeline.calls.get(callId).needsKommoUpdate).toBe(false);
  });
});
