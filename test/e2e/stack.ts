import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { loadPcm16 } from '../../src/audio/wav.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { startLivekitServer, type LivekitServer, type RunningAgent } from './harness.js';

const A = 'fixtures/audio';

/** A fixture utterance as a reference for the simulator's transcript oracle (docs/simulator.md). */
export const reference = (name: string) => ({
  text: readFileSync(`${A}/${name}.txt`, 'utf8').trim(),
  pcm24k: loadPcm16(`${A}/${name}.wav`, { sampleRate: 24000 }).pcm.samples,
});

export interface Stack {
  server: LivekitServer;
  sim: Simulator;
  /** Undefined only for a stack started without an agent. */
  agent: RunningAgent;
}

/**
 * One real livekit-server + the Realtime simulator (recognising the fixture utterances) + an agent
 * per suite, started before its tests and stopped after them.
 */
export function useE2EStack(start: ((server: LivekitServer, sim: Simulator) => Promise<RunningAgent>) | null, simOpts: Partial<SimulatorOptions> = {}): Stack {
  const s = {} as Stack;
  beforeAll(async () => {
    s.server = await startLivekitServer();
    s.sim = await startSimulator({ transcripts: [reference('preconnect-part1'), reference('preconnect-part2'), reference('speech-24k-mono')], ...simOpts });
    if (start) s.agent = await start(s.server, s.sim);
  }, 120_000);
  afterAll(async () => {
    await s.agent?.stop();
    await s.sim?.close();
    await s.server?.stop();
  });
  return s;
}
