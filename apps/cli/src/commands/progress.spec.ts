import { createProgress, progressBar } from './progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) > 0 } };
}

describe('progress', () => {
  it('redraws one bar on a terminal', () => {
    const { writes, stream: tty } = stream(true);
    const progress = createProgress('replay', 4, { stream: tty });
    [1, 2, 3, 4].forEach((done) => progress.update(done));
    progress.done('4 queued');
    expect(writes.every((text) => text.startsWith('\r') || text === '4 queued\n')).toBe(true);
    expect(writes.at(-2)).toBe(`\rreplay: ${progressBar(4, 4)} 4/4\n`);
  });

  it('prints at most one plain line per 10 % when not a terminal', () => {
    const { writes, stream: pipe } = stream(false);
    const progress = createProgress('replay', 1000, { stream: pipe });
    for (let done = 1; done <= 1000; done += 1) progress.update(done);
    expect(writes).toHaveLength(11);
    expect(writes[0]).toBe('replay: 1/1000 (0%)\n');
    expect(writes.at(-1)).toBe('replay: 1000/1000 (100%)\n');
    expect(writes.some((text) => text.includes('\r'))).toBe(false);
  });

  it('is silent with --json', () => {
    const { writes, stream: pipe } = stream(false);
    const progress = createProgress('replay', 10, { quiet: true, stream: pipe });
    progress.update(5);
    progress.done('x');
    expect(writes).toEqual([]);
  });

  it('draws the bar in proportion', () => {
    expect(progressBar(0, 4, 4)).toBe('[----]');
    expect(progressBar(2, 4, 4)).toBe('[##--]');
    expect(progressBar(4, 4, 4)).toBe('[####]');
  });
});
