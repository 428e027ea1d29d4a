import type { Rule } from '../../types.js';
import { liveContinuation, liveErrors } from './errors.js';
import { liveClosed, liveConnection, liveTimeouts } from './session.js';

export { LIVE } from './codes.js';

/** GPT-Live (`/v1/live/sessions`): the probe's and the plugin log's facts. */
export const LIVE_RULES: readonly Rule[] = [liveConnection, liveClosed, liveTimeouts, liveErrors, liveContinuation];
