import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { ENV } from '../config.js';
import { oneOf } from './parse.js';

/** `--fail-on`: the lowest severity that makes doctor exit 1 (like ESLint's --max-warnings 0, npm audit's --audit-level). */
export const FAIL_ON = ['error', 'warning'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** `lkdiag doctor [PATH]`: flags and help; the run is in doctor.run.ts. */
export function registerDoctor(program: Program): void {
  program
    .command('doctor')
    .summary(summaryOf('doctor'))
    .description(
      'Reads PATH (default: the current directory): Python requirements*.txt, pyproject.toml (uv, poetry), uv.lock, poetry.lock,\n' +
        'Pipfile.lock; Node package.json with package-lock.json, pnpm-lock.yaml or yarn.lock; Swift Package.resolved; Gradle files.\n' +
        'Matches the resolved versions against the known-issues catalogue (deps/*) and checks the agent source (setup/*):\n' +
        'Python with its own ast module (python3), TS/JS with the TypeScript parser. Nothing runs, nothing is sent.\n' +
        `With --url (or ${ENV.livekitUrl} when --url is given without a value) it also reads the server version (needs ${ENV.livekitApiKey}/${ENV.livekitApiSecret}).`,
    )
    .argument('[path]', 'project directory', '.')
    .option('--list', 'print the known-issues catalogue and the setup checks, then exit')
    .option('--url [url]', `also read the LiveKit server version from this URL (default ${ENV.livekitUrl}); bounded to 3 s`)
    .option('--fail-on <severity>', 'the lowest severity that fails (exit 1): error, or warning (any warning fails too)', oneOf(FAIL_ON), 'error' as FailOn)
    .action(async (path, opts, cmd) => {
      const { doctorCommand } = await import('./doctor.run.js');
      process.exitCode = await doctorCommand(path, opts, cmd.optsWithGlobals());
    });
}
