#!/usr/bin/env node
// Runs the benches one after another (each in its own process): `npm run bench [-- name ...]`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const all = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'lib.mjs'].includes(f) && !f.includes('.child.'))
  .map((f) => f.replace(/\.mjs$/, ''));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of wanted) {
  console.error(`\n== bench ${name}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', `${name}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
