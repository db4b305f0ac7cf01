/**
 * Progress on stderr for long work: a redrawn bar on a terminal, plain lines (every 10 % at most) when not a
 * TTY, nothing with --json. stdout stays for results.
 */
export interface Progress {
  update(done: number): void;
  done(summary?: string): void;
}

export function createProgress(
  label: string,
  total: number,
  options: { quiet?: boolean; stream?: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): boolean } } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || total <= 0) return { update: () => undefined, done: () => undefined };
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  let current = 0;
  const line = (done: number) => `${label}: ${progressBar(done, total)} ${done}/${total}`;
  return {
    update(done: number) {
      current = done;
      if (tty) {
        stream.write(`\r${line(done)}`);
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${done}/${total} (${Math.floor((done / total) * 100)}%)\n`);
      }
    },
    done(summary?: string) {
      if (tty) stream.write(`\r${line(current)}\n`);
      if (summary) stream.write(`${summary}\n`);
    },
  };
}

/** `[#####-----]` for done/total. */
export function progressBar(done: number, total: number, width = 24): string {
  const filled = total <= 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
