/** The body of `lkdiag mock-openai`, loaded only when the command runs. */
import { mkdirSync } from 'node:fs';
import { SCHEMA } from '../report/report.js';
import { renderNdjsonLine } from '../report/json.js';
import { EXIT, usageError } from '../errors.js';
import { log } from '../ui.js';
import { asUsageError } from './probe-openai.run.js';
import { onInterrupt } from './runner.js';

export interface MockRequest {
  port?: number;
  host: string;
  scenario: string[];
  record?: string;
  duration?: number;
  list?: boolean;
  json: boolean;
}

export async function runMock(req: MockRequest): Promise<number> {
  const { startSimulator, parseScenarios, SCENARIOS } = await import('../simulator/index.js');
  if (req.list) {
    if (req.json) process.stdout.write(renderNdjsonLine({ schema: SCHEMA, command: 'mock-openai', scenarios: SCENARIOS }));
    else for (const s of SCENARIOS) process.stdout.write(`${(s.name + (s.param ? `=${s.param}` : '')).padEnd(28)} ${s.description}\n`);
    return EXIT.ok;
  }
  asUsageError(() => parseScenarios(req.scenario));
  if (req.record) {
    const record = req.record;
    asUsageError(() => {
      try {
        mkdirSync(record, { recursive: true }); // before listening: a bad --record must not wait for the end to fail
      } catch (err) {
        throw Object.assign(new Error(`--record ${record}: ${(err as Error).message}`), { hint: 'Give a directory that can be created and written.' });
      }
    });
  }
  // Install the stop handlers before announcing the URL: a supervisor may signal as soon as it reads it.
  // (SIGINT/SIGTERM is how the simulator is stopped: exit 0, no notice; a second signal quits at once.)
  const interruption = onInterrupt();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  interruption.signal.addEventListener('abort', () => stop(), { once: true });
  const timer = req.duration ? setTimeout(() => stop(), req.duration * 1000) : undefined;
  const sim = await startSimulator({
    host: req.host,
    ...(req.port ? { port: req.port } : {}),
    scenarios: req.scenario,
    log: (l: string) => log.verbose(l),
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw usageError(`port ${req.port} on ${req.host} is already in use`, 'Pick another --port, or omit it for a free one.');
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
      throw usageError(`cannot listen on ${req.host}`, 'Use an address of this machine, e.g. --host 127.0.0.1.');
    throw err;
  });
  if (req.json)
    process.stdout.write(
      renderNdjsonLine({ schema: SCHEMA, command: 'mock-openai', baseUrl: sim.baseUrl, port: sim.port, host: sim.host, scenarios: req.scenario }),
    );
  else process.stdout.write(`${sim.baseUrl}\n`);
  log.info(`Realtime API simulator listening on ${sim.baseUrl}${req.scenario.length ? ` (scenarios: ${req.scenario.join(', ')})` : ''}; Ctrl-C to stop`);
  await stopped;
  interruption.release();
  if (timer) clearTimeout(timer);
  await sim.close();
  if (req.record) {
    await sim.recording.writeTo(req.record);
    log.info(`recording written to ${req.record}`);
  }
  return EXIT.ok;
}
