// Kept for the commands' imports (src/commands/doctor.run.ts): the rules live in ./doctor/.
export { DOCTOR_RULES } from './doctor/index.js';
