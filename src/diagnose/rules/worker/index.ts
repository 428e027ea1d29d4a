import type { Rule } from '../../types.js';
import { workerState } from './connection.js';
import { entrypoint } from './entrypoint.js';
import { jobProcess } from './job-process.js';
import { packages } from './packages.js';

export { JOB, PACKAGES, SERVER, WORKER } from './codes.js';

export const WORKER_RULES: readonly Rule[] = [jobProcess, entrypoint, workerState, packages];
