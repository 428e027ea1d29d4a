/**
 * docs/events.md, rendered from the registry (scripts/gen-events-doc.mjs writes it; a test fails
 * when the file and the registry disagree). The prose around the tables lives here.
 */
import type { FamilyMeta, KindMeta } from './meta.js';

const HEADER = `# Trace events: the contract between sources and rules

<!-- Generated from src/events/ by \`npm run docs:events\` (scripts/gen-events-doc.mjs). Do not edit by hand. -->

Every source turns what it observes into \`TraceEvent { t, source, kind, data }\` (\`src/events/\`,
re-exported by \`src/diagnose/types.ts\`). \`t\` is epoch milliseconds on the source's clock. Rules only read
these kinds. **One kind per fact, whatever saw it:** a source that observes a fact another source also
sees emits the same kind with the same data fields, and \`source\` (\`probe\`, \`openai\`, \`log\`, \`room\`,
\`session\`, \`client\`, \`server\`, \`simulator\`) says who saw it.

Conventions:
- \`TraceEvent\` is a union discriminated on \`kind\`; each kind has a typed \`data\` (\`DataOf<K>\`), and
  \`timeline.ofKind(K)\`, \`first(K)\`, \`openai(type)\` return events narrowed to it.
- Fields marked \`?\` may be absent. Durations are in ms unless a field says otherwise (agent logs report
  seconds, as the agents do).
- Events are plain JSON: \`--json\` and NDJSON output carry them as they are. Kinds an older lkdiag wrote
  (\`session.agent-state\`, \`room.agent.state\`, \`log.agent.*\`…) are read as today's when lkdiag reads its
  own NDJSON back (\`src/events/legacy.ts\`).
- To add a kind: declare it with its data type in its family's module under \`src/events/\`, give it its
  registry entry (the compiler requires one, with every field documented and a typed example), and run
  \`npm run docs:events\`.
`;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderKind(kind: string, m: KindMeta<unknown>): string {
  const out = [`### \`${kind}\``, '', m.description, ''];
  if (m.from) out.push(`From: ${m.from}`, '');
  out.push(`Sources: ${m.sources.map((s) => `\`${s}\``).join(', ')}`, '');
  const fields: Array<[string, string]> = Object.entries(m.fields).map(([name, doc]) => [name, String(doc)]);
  if (fields.length) {
    out.push('| field | |', '|---|---|');
    for (const [name, doc] of fields) {
      const optional = doc.startsWith('? ');
      out.push(`| \`${name}${optional ? '?' : ''}\` | ${cell(optional ? doc.slice(2) : doc)} |`);
    }
    out.push('');
  } else out.push('No fields of its own.', '');
  out.push('Example `data`:', '', '```json', JSON.stringify(m.example), '```', '');
  return out.join('\n');
}

export function renderEventsDoc(families: readonly FamilyMeta[]): string {
  const parts = [HEADER];
  parts.push('## Contents', '');
  for (const f of families) {
    const kinds = Object.keys(f.kinds);
    parts.push(`- ${f.title}${kinds.length ? `: ${kinds.map((k) => `\`${k}\``).join(' · ')}` : ''}`);
  }
  parts.push('');
  for (const f of families) {
    parts.push(`## ${f.title}`, '', f.intro, '');
    for (const [kind, meta] of Object.entries(f.kinds)) parts.push(renderKind(kind, meta));
  }
  return `${parts
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
