/**
 * lkdiag's OpenAI Realtime API (GA) simulator. See docs/simulator.md.
 */
export { startSimulator, DEFAULT_AUDIO_PACE } from './server.js';
export type { Simulator, SimulatorOptions } from './server.js';
export { SCENARIOS, SimulatorUsageError, parseScenarios, scenarioEffects } from './scenarios.js';
export type { Scenario, ScenarioEffects } from './scenarios.js';
export { Recording, ConnectionRecord, REDACTED } from './recording.js';
export type { ServerEventRecord, TimedEvent } from './recording.js';
export { TranscriptOracle } from './transcripts.js';
export type { OracleMatch, TranscriptReference } from './transcripts.js';
