/**
 * One measured run for bench/trace-log.mjs, in its own process so its peak RSS is its own.
 *   node bench/trace-log.child.mjs baseline|trace-log|parse FILE
 * Reports `LKDIAG_BENCH {"maxRSS": <KiB>, …}` on stderr at exit.
 */
import { createReadStream, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [mode, file] = process.argv.slice(2);
let lines;
process.on('exit', () => {
  writeSync(2, `LKDIAG_BENCH ${JSON.stringify({ maxRSS: process.resourceUsage().maxRSS, lines })}\n`);
});

if (mode === 'baseline') {
  // the bare loop trace log is compared with: readline + JSON.parse of every line (for a text
  // log, of its trailing JSON extras)
  let n = 0;
  let parsed = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    n++;
    const at = line.charCodeAt(0) === 123 ? 0 : line.indexOf(' {"') + 1;
    if (at < 0) continue;
    try {
      if (JSON.parse(at === 0 ? line : line.slice(at))) parsed++;
    } catch {
      // not JSON
    }
  }
  lines = n;
  if (parsed === 0) process.exitCode = 1;
} else if (mode === 'parse') {
  const { parseLogFile } = await import('../dist/sources/logs/index.js');
  const p = parseLogFile(file);
  // eslint-disable-next-line no-unused-vars
  for await (const batch of p.batches()) void batch;
  lines = p.stats.lines;
} else if (mode === 'trace-log' || mode === 'trace-log-text') {
  process.env.NODE_ENV ??= 'production';
  const { main } = await import('../dist/cli.js');
  await main([process.argv[0], 'lkdiag', ...(mode === 'trace-log' ? ['--json'] : []), 'trace', 'log', file]);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
