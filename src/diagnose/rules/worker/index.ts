import type { Rule } from '../../types.js';
import { workerState } from './connection.js';
import { jobProcess } from './job-process.js';

export { JOB, WORKER } from './codes.js';

export const WORKER_RULES: readonly Rule[] = [jobProcess, workerState];
