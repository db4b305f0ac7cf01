import { e164 } from '@app/domain';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { TypeOrmCallbackTaskRecords } from './typeorm-callback-task-records';

const ACCOUNT = 31_000_001;
const PHONE = e164('+5511987654321');
const MISSED_AT = new Date('2026-03-02T13:00:30.000Z');

describe('TypeOrmCallbackTaskRecords (PostgreSQL)', () => {
  let dataSource: DataSource;
  let sut: TypeOrmCallbackTaskRecords;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!)).initialize();
    sut = new TypeOrmCallbackTaskRecords(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE callback_task');
  });

  it('records an open task, refuses a second open one for the phone, and frees it once completed', async () => {
    expect(await sut.findOpen(ACCOUNT, PHONE)).toBeNull();

    expect(await sut.recordCreated(ACCOUNT, { phone: PHONE, taskId: 5001, missedCallId: 'call-1', missedAt: MISSED_AT })).toBe(true);
    expect(await sut.findOpen(ACCOUNT, PHONE)).toEqual({ taskId: 5001, missedCallId: 'call-1', missedAt: MISSED_AT });
    // A retry of the same record is fine; another task for the same phone is not.
    expect(await sut.recordCreated(ACCOUNT, { phone: PHONE, taskId: 5001, missedCallId: 'call-1', missedAt: MISSED_AT })).toBe(true);
    expect(await sut.recordCreated(ACCOUNT, { phone: PHONE, taskId: 5002, missedCallId: 'call-2', missedAt: MISSED_AT })).toBe(false);
    // Other accounts and other phones are independent.
    expect(await sut.recordCreated(ACCOUNT + 1, { phone: PHONE, taskId: 5002, missedCallId: 'call-9', missedAt: MISSED_AT })).toBe(true);
    expect(await sut.recordCreated(ACCOUNT, { phone: e164('+5511900000000'), taskId: 5003, missedCallId: 'call-3', missedAt: MISSED_AT })).toBe(true);

    await sut.markCompleted(ACCOUNT, 5001, new Date('2026-03-02T15:00:00.000Z'));
    await sut.markCompleted(ACCOUNT, 5001, new Date('2026-03-02T16:00:00.000Z'));
    await sut.markCompleted(ACCOUNT, 424242, new Date('2026-03-02T16:00:00.000Z'));
    expect(await sut.findOpen(ACCOUNT, PHONE)).toBeNull();
    const [{ completed_at }] = await dataSource.query<{ completed_at: Date }[]>(
      'SELECT completed_at FROM callback_task WHERE account_id = $1 AND kommo_task_id = 5001',
      [ACCOUNT],
    );
    expect(completed_at.toISOString()).toBe('2026-03-02T15:00:00.000Z');

    expect(await sut.recordCreated(ACCOUNT, { phone: PHONE, taskId: 5004, missedCallId: 'call-4', missedAt: MISSED_AT })).toBe(true);
    expect((await sut.findOpen(ACCOUNT, PHONE))?.taskId).toBe(5004);
    expect((await sut.findOpen(ACCOUNT + 1, PHONE))?.taskId).toBe(5002);
  });

  it('under a race of 10 writers for one phone exactly one task is recorded open', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sut.recordCreated(ACCOUNT, { phone: PHONE, taskId: 6000 + i, missedCallId: `call-${i}`, missedAt: MISSED_AT }),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = 6000 + results.indexOf(true);
    expect((await sut.findOpen(ACCOUNT, PHONE))?.taskId).toBe(winner);
    const [{ count }] = await dataSource.query<{ count: string }[]>('SELECT count(*) AS count FROM callback_task');
    expect(Number(count)).toBe(1);
  });
});
