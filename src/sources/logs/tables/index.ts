/**
 * The wording tables of areas beyond the core (one file each), appended to messages.ts's table in this
 * order. A row here is tried after every core row with the same exact message (exact rows win by
 * position: the first table that lists a message keeps it).
 */
import type { Rule } from '../table-kit.js';
import { AZURE_TABLE } from './azure.js';
import { GEMINI_TABLE } from './gemini.js';
import { JOB_TABLE } from './job.js';
import { LIVE_TABLE } from './live.js';
import { OPENAI_TEXT_TABLE } from './openai-text.js';
import { REALTIME2_TABLE } from './realtime2.js';
import { SERVER_TABLE } from './server.js';
import { VERSIONS_NODE_TABLE } from './versions-node.js';
import { VERSIONS_TABLE } from './versions.js';

export const AREA_TABLES: Rule[] = [
  ...VERSIONS_TABLE,
  ...VERSIONS_NODE_TABLE,
  ...SERVER_TABLE,
  ...GEMINI_TABLE,
  ...OPENAI_TEXT_TABLE,
  ...AZURE_TABLE,
  ...REALTIME2_TABLE,
  ...JOB_TABLE,
  ...LIVE_TABLE,
];
