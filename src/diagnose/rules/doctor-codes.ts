// Kept for the commands' imports (src/commands/doctor.run.ts): the codes live in ./doctor/codes.ts.
export { DEPS, SETUP } from './doctor/codes.js';
