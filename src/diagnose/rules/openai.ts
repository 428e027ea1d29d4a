// Kept for the commands' imports (src/commands/probe-openai.run.ts): the rules live in ./openai/.
export { OPENAI_RULES, applyCheck } from './openai/index.js';
