/** What a smoke report carries besides the common sections (plain data; renderers read it). */
import type { Finding } from '../diagnose/types.js';
import type { Step } from '../report/report.js';
import type { GateConfig, GateResult, RunTimings } from './gates.js';
import type { SmokeStats } from './stats.js';

/** One session of the smoke check, as the report carries it. */
export interface SmokeRun {
  index: number;
  room: string;
  ok: boolean;
  interrupted: boolean;
  agent: string | null;
  consumed: boolean | null;
  timings: RunTimings;
  gates: GateResult[];
  steps: Step[];
  findings: Finding[];
}

/** The optional Realtime API probe that runs before the sessions. */
export interface SmokeProbe {
  url: string;
  ok: boolean;
  gates: GateResult[];
  steps: Step[];
  findings: Finding[];
}

/** The sections of a smoke Report, for renderers. */
export interface SmokeSections {
  target: {
    url: string;
    agent: string;
    audio: string;
    roomPrefix: string;
    joinDelayMs: number;
    repeat: number;
    concurrency: number;
    shard?: { index: number; total: number };
  };
  config: { file: string | null; gates: GateConfig };
  probe?: SmokeProbe;
  runs: SmokeRun[];
  flake: SmokeStats['flake'];
  gateFailures: SmokeStats['gateFailures'];
}
