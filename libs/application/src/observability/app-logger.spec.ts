import { JsonLogger, toLogRecord } from './app-logger';
import { REDACTED } from './redact';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('JSON logs', () => {
  it('writes one JSON object per line with level, context, account and call ids lifted from the message', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line), () => NOW);
    logger.warn('voip.add-call for account 31000001 parked (KOMMO.ACCOUNT_BLOCKED)', 'AddCall');
    logger.log('call a1b2c3d4e5 logged, CallSid CA0123456789abcdef0123456789abcdef', 'AddCall');
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ time: NOW.toISOString(), level: 'warn', context: 'AddCall', accountId: 31000001 });
    expect(second).toMatchObject({ level: 'log', callId: 'a1b2c3d4e5', providerCallId: 'CA0123456789abcdef0123456789abcdef' });
  });

  it('redacts secrets in messages, object fields and error stacks', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line), () => NOW);
    logger.log({ msg: 'token refreshed', accountId: 7001, access_token: 'secret-a', headers: { authorization: 'Bearer x' } }, 'Tokens');
    logger.error('exchange failed for ?code=def50200abc', 'Error: boom\n    at x (y.ts:1:1) Bearer abc', 'OAuth');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({
      time: NOW.toISOString(),
      level: 'log',
      context: 'Tokens',
      msg: 'token refreshed',
      accountId: 7001,
      access_token: REDACTED,
      headers: { authorization: REDACTED },
      pid: process.pid,
    });
    expect(second.msg).toBe(`exchange failed for ?code=${REDACTED}`);
    expect(second.stack).toContain(`Bearer ${REDACTED}`);
    expect(JSON.stringify(lines)).not.toMatch(/secret-a|def50200abc|Bearer abc/);
  });

  it('respects the log levels Nest sets', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line), () => NOW);
    logger.debug('hidden by default');
    logger.setLogLevels(['error']);
    logger.log('hidden');
    logger.error('shown');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown']);
  });

  it('keeps extra parameters as redacted details', () => {
    expect(toLogRecord('log', 'x', 'C', [{ token: 't' }], NOW)).toMatchObject({ details: [{ token: REDACTED }] });
  });
});
