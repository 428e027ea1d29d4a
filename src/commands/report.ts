import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';

/** `lkdiag report merge FILE…`: flags and help; the run is in report-merge.run.ts. */
export function registerReport(program: Program): void {
  const report = program
    .command('report')
    .summary(summaryOf('report'))
    .description('Commands over saved --json reports. `lkdiag report merge FILE…` merges smoke shards into one smoke report.');
  report
    .command('merge')
    .summary('merge smoke --json reports (the shards of `smoke --repeat N --shard I/N`) into one smoke report')
    .description(
      'Reads smoke --json reports (schema lkdiag/v1, command smoke) and prints the smoke report that one `smoke --repeat N` ' +
        'over all their runs would have printed: every run by its index, findings merged across runs, p50/p95 and the flake rate ' +
        'recomputed, the gates and the exit code re-evaluated; --junit and the GitHub step summary are written as smoke writes them. ' +
        'Sharded reports must be all N shards of one run (the same --repeat and N); a run index in two reports is an error (exit 2).',
    )
    .argument('<files...>', 'smoke --json report files (one per shard)')
    .option('--junit <file>', 'write a JUnit XML report (one testcase per gate per run), as smoke --junit does')
    .action(async (files, opts, cmd) => {
      const { reportMergeCommand } = await import('./report-merge.run.js');
      process.exitCode = await reportMergeCommand(files, opts, cmd.optsWithGlobals());
    });
}
