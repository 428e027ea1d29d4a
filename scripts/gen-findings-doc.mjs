#!/usr/bin/env node
// Writes docs/findings.md from the findings catalogue (src/diagnose/catalogue.ts) and, as each code's
// example, the first trace where its rule fires in the rule tests (test/unit/rules-*.cases.ts).
// Runs the TypeScript sources directly: a module hook transpiles them with the project's own
// `typescript` (no build, no tsx). `--check` exits 1 when the file is out of date instead of writing.
import { readFile, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const require = createRequire(import.meta.url);
const tsUrl = pathToFileURL(require.resolve('typescript')).href;

const hooks = `
let ts;
export async function initialize({ tsUrl }) { ts = (await import(tsUrl)).default; }
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL && context.parentURL.endsWith('.ts') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    try { await import('node:fs').then((fs) => fs.promises.access(url)); return { url: url.href, shortCircuit: true }; } catch {}
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(new URL(url), 'utf8');
  const out = ts.transpileModule(text, { fileName: url, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { parentURL: import.meta.url, data: { tsUrl } });

const { CATALOGUE } = await import(new URL('src/diagnose/catalogue.ts', root).href);
const { renderFindingsDoc } = await import(new URL('src/diagnose/findings-doc.ts', root).href);
const { ALL_CASES } = await import(new URL('test/unit/rules.cases.ts', root).href);
const { examplesOf } = await import(new URL('test/helpers/rule-tester.ts', root).href);
const target = fileURLToPath(new URL('docs/findings.md', root));
const text = renderFindingsDoc(CATALOGUE, examplesOf(ALL_CASES));

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write('docs/findings.md is out of date: run `npm run docs:findings`\n');
    process.exit(1);
  }
  process.stdout.write('docs/findings.md is up to date\n');
} else {
  await writeFile(target, text);
  process.stdout.write(`wrote docs/findings.md (${CATALOGUE.reduce((n, a) => n + a.codes.length, 0)} codes)\n`);
}
