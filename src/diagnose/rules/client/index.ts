import type { Rule } from '../../types.js';
import { outcome } from './outcome.js';
import { presence } from './presence.js';
import { streamContent } from './stream.js';
import { timing } from './timing.js';

export { CLIENT } from './codes.js';
export { MAX_SEAM_GAP_MS } from './facts.js';

/** The client/* rules: a client's pre-connect buffer as `lkdiag mock-agent` received it. */
export const CLIENT_RULES: readonly Rule[] = [presence, streamContent, timing, outcome];
