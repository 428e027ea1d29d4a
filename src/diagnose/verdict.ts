import type { Finding } from './types.js';

/** send-preconnect's one-line verdict, derived from its findings. */
export function preconnectVerdict(findings: readonly Finding[]): { consumed: boolean | null; summary: string } {
  const consumed = findings.find((f) => f.code === 'preconnect/consumed');
  if (consumed) return { consumed: true, summary: consumed.detail.split('\n')[0] ?? consumed.title };
  const errors = findings.filter((f) => f.code.startsWith('preconnect/') && f.severity === 'error');
  if (errors.length > 0) return { consumed: false, summary: errors.map((f) => f.code).join(', ') };
  const unsure = findings.find((f) => f.code === 'preconnect/not-consumed');
  if (unsure) return { consumed: null, summary: `unconfirmed: ${unsure.detail.split('\n')[0] ?? unsure.title}` };
  return { consumed: null, summary: 'unconfirmed: no evidence either way: pass --agent-log (DEBUG level) or use an audio file with a transcript sidecar' };
}
