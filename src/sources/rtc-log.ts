/**
 * @livekit/rtc-node logs through its own pino logger, which writes to stdout (fd 1) — where lkdiag's
 * `--json` report and NDJSON stream go. NODE_ENV=production (bin/lkdiag.js) only lowers it to `info`:
 * an `error reading stream` line from rtc-node (a participant that left mid-stream) still landed in the
 * middle of send-preconnect's JSON (seen in an e2e run). This points that logger at stderr, where logs belong.
 *
 * rtc-node does not export its logger, so it is reached by file: `dist/log.cjs` next to the package entry
 * (the same module instance rtc-node itself loaded: CommonJS caches by file name), and pino's own
 * `symbols.streamSym`. If either is not where it is expected (another rtc-node or pino version), nothing
 * changes and the caller learns it from the return value.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Logger = Record<symbol, unknown>;

let done: boolean | undefined;

/** Sends rtc-node's log lines to stderr. Idempotent; returns whether the logger was found and redirected. */
export function rtcLogsToStderr(): boolean {
  if (done !== undefined) return done;
  done = false;
  try {
    const req = createRequire(fileURLToPath(import.meta.resolve('@livekit/rtc-node')));
    const { log } = req('./log.cjs') as { log?: Logger };
    const sym = (req('pino') as { symbols?: { streamSym?: symbol } }).symbols?.streamSym;
    if (log && sym && sym in log) {
      log[sym] = process.stderr;
      done = true;
    }
  } catch {
    // Another layout of rtc-node or pino: leave its logger as it is.
  }
  return done;
}
