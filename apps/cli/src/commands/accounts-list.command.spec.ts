import { humanDuration } from './accounts-list.command';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('humanDuration', () => {
  it.each([
    [0, 'expired'],
    [-5 * MINUTE, 'expired'],
    [30 * SECOND, '<1m'],
    [1, '<1m'],
    [MINUTE, '1m'],
    [59 * MINUTE + 59 * SECOND, '59m'],
    [HOUR, '1h 0m'],
    [HOUR + 5 * MINUTE, '1h 5m'],
    [47 * HOUR + 59 * MINUTE, '47h 59m'],
    [48 * HOUR, '2d'],
    [3 * DAY + 23 * HOUR, '3d'],
    [90 * DAY, '90d'],
  ])('shows %d ms as %p', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});
