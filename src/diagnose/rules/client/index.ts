import type { FindingMeta, Rule } from '../../types.js';
import { CLIENT } from './codes.js';
import { outcome } from './outcome.js';
import { presence } from './presence.js';
import { streamContent } from './stream.js';
import { timing } from './timing.js';

export { CLIENT } from './codes.js';
export { MAX_SEAM_GAP_MS } from './facts.js';

/** The client/* rules: a client's pre-connect buffer as `lkdiag mock-agent` received it. */
export const CLIENT_RULES: readonly Rule[] = [presence, streamContent, timing, outcome];

const META = new Map<string, FindingMeta>(Object.values(CLIENT).map((c) => [c.code, c]));
/** The catalogue entry of a client/* code (until the findings catalogue lists the area). */
export const clientMeta = (code: string): FindingMeta | undefined => META.get(code);
