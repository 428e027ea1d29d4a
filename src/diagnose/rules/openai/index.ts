import type { Rule } from '../../types.js';
import { connection } from './connection.js';
import { errors } from './errors.js';
import { fatalErrorLoop } from './fatal-loop.js';
import { responseOutcome } from './response-outcome.js';
import { responseTiming } from './response-timing.js';
import { onlyFirstMessage, textOnly } from './text-only.js';

export { applyCheck } from './check.js';
export { OPENAI } from './codes.js';

export const OPENAI_RULES: readonly Rule[] = [connection, errors, responseTiming, responseOutcome, textOnly, onlyFirstMessage, fatalErrorLoop];
