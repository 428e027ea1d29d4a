/** The body of `lkdiag mock-openai`, loaded only when the command runs. */
import { SCHEMA } from '../report/report.js';
import { renderNdjsonLine } from '../report/json.js';
import { EXIT } from '../errors.js';
import { log } from '../ui.js';
import { asUsageError } from './probe-openai.run.js';

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
  const sim = await startSimulator({ host: req.host, ...(req.port ? { port: req.port } : {}), scenarios: req.scenario, log: (l: string) => log.verbose(l) });
  if (req.json) process.stdout.write(renderNdjsonLine({ schema: SCHEMA, command: 'mock-openai', baseUrl: sim.baseUrl, port: sim.port, host: sim.host, scenarios: req.scenario }));
  else process.stdout.write(`${sim.baseUrl}\n`);
  log.info(`Realtime API simulator listening on ${sim.baseUrl}${req.scenario.length ? ` (scenarios: ${req.scenario.join(', ')})` : ''}; Ctrl-C to stop`);

  await new Promise<void>((resolve) => {
    const timer = req.duration ? setTimeout(resolve, req.duration * 1000) : undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  if (req.record) {
    await sim.recording.writeTo(req.record);
    log.info(`recording written to ${req.record}`);
  }
  return EXIT.ok;
}
