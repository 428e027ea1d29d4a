#!/usr/bin/env node
// Writes docs/events.md from the event registry (src/events/: each family's kinds, fields, sources, example).
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

const { FAMILIES } = await import(new URL('src/events/index.ts', root).href);
const { renderEventsDoc } = await import(new URL('src/events/doc.ts', root).href);
const target = fileURLToPath(new URL('docs/events.md', root));
const text = renderEventsDoc(FAMILIES);
const kinds = FAMILIES.reduce((n, f) => n + Object.keys(f.kinds).length, 0);

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write('docs/events.md is out of date: run `npm run docs:events`\n');
    process.exit(1);
  }
  process.stdout.write('docs/events.md is up to date\n');
} else {
  await writeFile(target, text);
  process.stdout.write(`wrote docs/events.md (${kinds} kinds in ${FAMILIES.length} families)\n`);
}
