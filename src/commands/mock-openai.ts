import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { collect, nonEmpty, port, positiveSeconds } from './parse.js';

/** `lkdiag mock-openai`: flags and help; the run is in mock-openai.run.ts. */
export function registerMock(program: Program): void {
  program
    .command('mock-openai')
    .summary(summaryOf('mock-openai'))
    .description(
      "A protocol-faithful Realtime API on loopback that LiveKit's own OpenAI plugins use unmodified:\n" +
        '  Python: openai.realtime.RealtimeModel(base_url="http://127.0.0.1:PORT/v1")\n' +
        '  Node:   new openai.realtime.RealtimeModel({ baseURL: "http://127.0.0.1:PORT/v1" })\n' +
        'Per-connection scenarios: use the base URL http://127.0.0.1:PORT/scenario/<name>[+<name>]/v1 (Node)\n' +
        'or .../scenario/<name>/v1/realtime (Python uses a non-standard path verbatim). See docs/simulator.md.',
    )
    .option('--port <port>', 'port to listen on (default: a free port, printed on stdout)', port)
    .option('--host <host>', 'address to bind', nonEmpty, '127.0.0.1')
    .option('--scenario <name>', 'fault scenario for every connection (repeatable, or comma-separated)', collect, [] as string[])
    .option('--record <dir>', 'on exit, write what was received (client events, input audio as WAV) to this directory')
    .option('--duration <seconds>', 'stop after this long (default: until Ctrl-C or SIGTERM)', positiveSeconds)
    .option('--list', 'list the fault scenarios and exit')
    .action(async (opts, cmd) => {
      const { runMock } = await import('./mock-openai.run.js');
      process.exitCode = await runMock({ ...opts, json: !!cmd.optsWithGlobals().json });
    });
}
