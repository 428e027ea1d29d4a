/**
 * lkdiag's Realtime API simulator (source `simulator`). The simulator records what it exchanges as
 * `openai.*` events (./openai.ts); it has no kinds of its own yet. A new one goes here, in
 * SimulatorKinds and SIMULATOR_KINDS, and docs/events.md picks it up.
 */
import type { KindsMeta } from './meta.js';

// biome-ignore lint/suspicious/noEmptyInterface: the family has no kinds of its own yet
export interface SimulatorKinds {}

export const SIMULATOR_KINDS: KindsMeta<SimulatorKinds> = {};
