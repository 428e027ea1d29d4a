// Node's uncaught-error block beside an agents-js pino log (node-crash.ts, tables/node-crash.ts): the job process of
// every agents-js version in the version matrix dies this way when the Realtime API refuses the upgrade with 401.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import { diagnose } from '../../src/diagnose/engine.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { parseLogStream } from '../../src/sources/logs/index.js';

async function parse(text: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for await (const e of parseLogStream(Readable.from([Buffer.from(text)]))) events.push(e);
  return events;
}

const job = '{"level":30,"time":1796143343187,"pid":25000,"hostname":"vm","version":"1.0.51","jobId":"AJ_1","msg":"received job request"}';
const block = (error: string) =>
  [
    job,
    'node:events:502',
    "      throw er; // Unhandled 'error' event",
    '      ^',
    '',
    error,
    '    at ClientRequest.<anonymous> (/x/node_modules/ws/lib/websocket.js:960:7)',
    '    at ClientRequest.emit (node:events:524:28)',
    "Emitted 'error' event on WebSocket instance at:",
    '    at emitErrorAndClose (/x/node_modules/ws/lib/websocket.js:1092:13)',
    '',
    'Node.js v20.20.2',
    '',
  ].join('\n');

describe("Node's uncaught-error block", () => {
  it("reads 'Error: Unexpected server response: 401' under the Unhandled 'error' marker as the refused upgrade", async () => {
    const events = await parse(block('Error: Unexpected server response: 401'));
    const up = events.filter((e) => e.kind === 'probe.upgrade.response');
    expect(up.map((e) => [e.source, e.data['status'], e.t])).toEqual([['log', 401, 1796143343187]]);
    // The block does not say which socket was refused: with nothing else in the log it is unconfirmed (a warning)…
    const alone = diagnose(events, ALL_RULES, { command: 'trace log' });
    expect(alone.map((f) => `${f.severity}:${f.code}`)).toContain('warning:openai/invalid-api-key');
    expect(alone.find((f) => f.code === 'openai/invalid-api-key')!.detail).toMatch(/Unconfirmed: the log shows a WebSocket upgrade refused/);
    // …and an error once the log says the agent was connecting to the Realtime API just before (debug level).
    const connecting =
      '{"level":20,"time":1796143343100,"pid":25000,"hostname":"vm","msg":"Connecting to OpenAI Realtime API at wss://api.openai.com/v1/realtime?model=gpt-realtime"}';
    const withUrl = await parse(block('Error: Unexpected server response: 401').replace(job, `${job}\n${connecting}`));
    const named = diagnose(withUrl, ALL_RULES, { command: 'trace log' });
    expect(named.map((f) => `${f.severity}:${f.code}`)).toContain('error:openai/invalid-api-key');
    expect(named.find((f) => f.code === 'openai/invalid-api-key')!.detail).not.toMatch(/Unconfirmed/);
  });

  it('names another status as upgrade-rejected', async () => {
    const events = await parse(block('Error: Unexpected server response: 403'));
    expect(diagnose(events, ALL_RULES, { command: 'trace log' }).map((f) => f.code)).toContain('openai/upgrade-rejected');
  });

  it('leaves the same words alone without the marker, and another uncaught error without an upgrade', async () => {
    const bare = await parse([job, 'Error: Unexpected server response: 401', ''].join('\n'));
    expect(bare.some((e) => e.kind === 'probe.upgrade.response')).toBe(false);
    const other = await parse(block("TypeError: Cannot read properties of undefined (reading 'x')"));
    expect(other.some((e) => e.kind === 'probe.upgrade.response')).toBe(false);
  });
});
