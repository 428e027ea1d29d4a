/** The body of `lkdiag report merge`, loaded only when the command runs. */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors.js';
import type { Report } from '../report/report.js';
import { renderSmokeText } from '../report/smoke-text.js';
import { mergeSmokeReports, type MergeInput } from '../smoke/merge.js';
import { log } from '../ui.js';
import { runCommand, type GlobalOptions } from './runner.js';
import { smokeExitCode, writeOutputs } from './smoke.run.js';

export interface ReportMergeRequest {
  files: string[];
  junit?: string;
  /** The command's globals: with an unwritable --junit the report is printed first, as smoke does. */
  globals?: GlobalOptions;
}

function readReport(file: string): MergeInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw usageError(`cannot read ${file}: ${why}`, 'Pass the files `lkdiag smoke --json > FILE` wrote (one per shard).');
  }
  try {
    return { file, json: JSON.parse(text) as unknown };
  } catch (err) {
    throw usageError(
      `${file} is not valid JSON (${(err as Error).message})`,
      'Pass the file `lkdiag smoke --json` printed, unmodified (stdout only: progress goes to stderr).',
    );
  }
}

export async function reportMerge(req: ReportMergeRequest): Promise<Report> {
  const report = mergeSmokeReports(req.files.map(readReport), smokeExitCode);
  log.info(`merged ${req.files.length} report(s): ${(report['runs'] as unknown[]).length} run(s)`);
  // The same outputs smoke writes, from smoke's own code (a SmokeOptions with only the output fields).
  await writeOutputs(
    report,
    { repeat: (report['target'] as { repeat: number }).repeat, concurrency: 1, timeout: 0, ...(req.junit ? { junit: req.junit } : {}) },
    req.globals,
  );
  return report;
}

/** `lkdiag report merge FILE…`: the merged smoke report, printed as smoke prints it; returns the exit code. */
export function reportMergeCommand(files: string[], opts: { junit?: string }, globals: GlobalOptions): Promise<number> {
  return runCommand('smoke', globals, async () => reportMerge({ files, globals, ...(opts.junit ? { junit: opts.junit } : {}) }), renderSmokeText);
}
