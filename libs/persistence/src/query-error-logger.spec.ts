import type { Logger } from 'typeorm';
import { QueryErrorLogger } from './query-error-logger';

describe('QueryErrorLogger', () => {
  it('reports a failed query with the reason and the start of its SQL, never its parameters', () => {
    const lines: string[] = [];
    const sut: Logger = new QueryErrorLogger((level, message) => lines.push(`${level} ${message}`));

    sut.logQueryError(new Error('connect ECONNREFUSED 127.0.0.1:5432'), 'INSERT INTO call_webhook_inbox\n   (account_id, payload) VALUES ($1, $2)', [31000001, '{"From":"+5511912345678","CallerName":"Maria"}']);
    sut.logQueryError('deadlock detected', `SELECT ${'x, '.repeat(100)}1`, ['+14155550100']);
    sut.logQuery('SELECT 1', ['+14155550100']);

    expect(lines[0]).toBe('error query failed: connect ECONNREFUSED 127.0.0.1:5432 — INSERT INTO call_webhook_inbox (account_id, payload) VALUES ($1, $2)');
    expect(lines[1]).toMatch(/^error query failed: deadlock detected — SELECT x, x, .*…$/);
    expect(lines[1].length).toBeLessThan(230);
    expect(lines.join('\n')).not.toMatch(/5511912345678|Maria|4155550100/);
    expect(lines).toHaveLength(2);
  });
});
