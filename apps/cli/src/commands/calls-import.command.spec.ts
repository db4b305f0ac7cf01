import { parseSince } from './calls-import.command';

describe('calls:import --since', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it.each([
    ['90m', '2026-11-24T10:30:00.000Z'],
    ['6h', '2026-11-24T06:00:00.000Z'],
    ['2d', '2026-11-22T12:00:00.000Z'],
    ['1w', '2026-11-17T12:00:00.000Z'],
    ['PT6H', '2026-11-24T06:00:00.000Z'],
    ['P1DT30M', '2026-11-23T11:30:00.000Z'],
    ['2026-11-24T08:00:00Z', '2026-11-24T08:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
  ])('reads %s', (value, expected) => {
    expect(parseSince(value, now).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '6x', 'P', 'PT', '2026-13-45', '2027-01-01T00:00:00Z'])('refuses %s with a clear message', (value) => {
    expect(() => parseSince(value, now)).toThrow(/--since/);
  });
});
