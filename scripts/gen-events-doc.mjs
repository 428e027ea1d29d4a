#!/usr/bin/env node
// Writes docs/events.md from the event registry (src/events/: each family's kinds, fields, sources, example).
// `--check` exits 1 when the file is out of date instead of writing.
import { load, writeOrCheck } from './lib/gen-doc.mjs';

const { FAMILIES } = await load('src/events/index.ts');
const { renderEventsDoc } = await load('src/events/doc.ts');
const kinds = FAMILIES.reduce((n, f) => n + Object.keys(f.kinds).length, 0);
await writeOrCheck('docs/events.md', renderEventsDoc(FAMILIES), 'docs:events', `${kinds} kinds in ${FAMILIES.length} families`);
