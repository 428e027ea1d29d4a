import type { DepFact } from '../doctor/deps-python.js';
/** Text sections of `lkdiag doctor`: the dependency table and the `--list` catalogue (presentation only). */
import type { CatalogueEntry } from '../doctor/catalogue.data.js';
import type { FindingMeta } from '../diagnose/types.js';
import { chalk } from '../ui.js';

/** One row of the dependency table: the discovery source's dependency fact. */
export type DependencyRow = DepFact;

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - s.length));
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 2);
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : pad(c, w[i]!)))
      .join('')
      .trimEnd();
  return [chalk.bold(line(head)), ...rows.map(line)].join('\n');
}

export function renderDependencies(deps: readonly DependencyRow[], meta: { root: string; parsers?: Record<string, string>; server?: string }): string {
  const via: Record<string, string> = { lock: 'locked', pin: 'pinned', declared: 'range', extra: 'via extra', server: 'server' };
  const rows = deps.map((d) => [
    d.ecosystem,
    d.package,
    d.version ?? chalk.dim('?'),
    d.spec ?? '',
    via[d.via] ?? d.via,
    `${d.file}${d.line ? `:${d.line}` : ''}`,
  ]);
  const parts = [chalk.bold(`Project ${meta.root}`)];
  parts.push(rows.length ? table(['ECOSYSTEM', 'PACKAGE', 'VERSION', 'DECLARED', 'FROM', 'FILE'], rows) : chalk.dim('no LiveKit packages found'));
  const p = Object.entries(meta.parsers ?? {}).map(([k, v]) => `${k}: ${v}`);
  if (p.length) parts.push(chalk.dim(`setup checks parsed with ${p.join(', ')}`));
  if (meta.server) parts.push(chalk.dim(`server: ${meta.server}`));
  return parts.join('\n');
}

export function renderCatalogue(entries: readonly CatalogueEntry[], setup: readonly FindingMeta[]): string {
  const rows = entries.map((e) => [
    e.code,
    e.severity + (e.escalateWithPreconnectClients ? '*' : ''),
    e.package,
    e.affected === '*' ? 'all' : e.affected,
    e.fixedIn ?? '—',
    e.references.map((r) => `${r.repo.replace(/^livekit\//, '')}${r.ref.startsWith('#') ? r.ref : ` ${r.ref}`}`).join(' '),
  ]);
  const out = [
    chalk.bold(`Known issues (${entries.length}) — deps/<id>`),
    table(['CODE', 'SEVERITY', 'PACKAGE', 'AFFECTED', 'FIXED IN', 'SOURCES'], rows),
    chalk.dim('* error when a client in the same project sends pre-connect audio'),
    '',
    chalk.bold(`Setup checks (${setup.length}) — setup/<id>`),
    table(
      ['CODE', 'SEVERITY', 'TITLE'],
      setup.map((m) => [m.code, m.severity, m.title]),
    ),
  ];
  return `${out.join('\n')}\n`;
}
