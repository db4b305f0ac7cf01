/**
 * CPU profile of one product process during the bench's ingest phase (NODE_OPTIONS refuses --cpu-prof):
 *   NODE_OPTIONS="--require $PWD/scripts/bench/cpu-profile.preload.js" BENCH_PROFILE_MATCH=apps/api/ npm run bench
 * In processes whose main script path contains BENCH_PROFILE_MATCH, the first SIGWINCH (Nest's shutdown hooks own SIGUSR2) starts the profiler and the
 * second writes <BENCH_PROFILE_DIR>/<pid>.cpuprofile (bench.ts sends both around (a), to the api).
 * Summarise it with profile-summary.ts or open it in Chrome DevTools.
 */
'use strict';
const match = process.env.BENCH_PROFILE_MATCH;
if (match && (process.argv[1] ?? '').includes(match)) {
  const inspector = require('node:inspector');
  const { writeFileSync, mkdirSync } = require('node:fs');
  const { join } = require('node:path');
  const dir = process.env.BENCH_PROFILE_DIR ?? 'bench-results/profiles';
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 200) });
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.start');
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
