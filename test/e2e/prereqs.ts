import { findPrereqs } from './harness.js';

/**
 * End-to-end suites need the real livekit-server and agents. Under CI a missing piece FAILS the
 * run; locally the suite is skipped with a loud banner naming the one command that installs it.
 */
export function e2ePrereqs(need: { python?: boolean; node?: boolean } = {}): { skip: boolean } {
  const p = findPrereqs();
  const missing = p.missing.filter((m) => (m.includes('Python') ? need.python : m.includes('Node') ? need.node : true));
  if (missing.length === 0) return { skip: false };
  const banner = `\n${'!'.repeat(78)}\nEND-TO-END TESTS SKIPPED — missing:\n${missing.map((m) => `  - ${m}`).join('\n')}\nInstall everything at once: bash .ci/run (or the scripts above)\n${'!'.repeat(78)}\n`;
  if (process.env['CI']) throw new Error(`CI: end-to-end prerequisites missing (never skipped under CI):${banner}`);
  console.warn(banner);
  return { skip: true };
}
