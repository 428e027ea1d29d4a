#!/usr/bin/env node
/** bench: `lkdiag doctor` on every fixture project (goal: under 1 s each, offline). Results under "doctor". */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, median, record, round, timeRun } from './lib.mjs';

const projects = readdirSync(join(ROOT, 'fixtures/projects')).filter((p) => p !== 'no-deps'); // no-deps is the exit-2 case
const rows = {};
for (const p of projects) {
  const inProcess = [];
  const wall = [];
  for (let i = 0; i < 5; i++) {
    const r = timeRun(process.execPath, [BIN, '--json', 'doctor', join(ROOT, 'fixtures/projects', p)]);
    inProcess.push(JSON.parse(r.stdout).durationMs);
    wall.push(r.ms);
  }
  rows[p] = { medianInProcessMs: round(median(inProcess)), medianWallMs: round(median(wall)) };
}
const worst = Math.max(...Object.values(rows).map((r) => r.medianWallMs));
record('doctor', { goal: 'under 1 s per project', worstMedianWallMs: worst, projects: rows });
