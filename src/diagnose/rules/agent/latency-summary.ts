import { defineRule, report } from '../kit.js';
import { sessionItems } from '../queries.js';
import { AGENT, type LatencySummaryData } from './codes.js';

type Metric = 'endOfTurnDelay' | 'ttft' | 'e2eLatency';
const METRICS: Array<{ key: Metric; aliases: string[]; label: string }> = [
  { key: 'endOfTurnDelay', aliases: ['endOfTurnDelay', 'end_of_turn_delay'], label: 'end-of-turn delay' },
  { key: 'ttft', aliases: ['ttft', 'llmNodeTtft', 'llm_node_ttft'], label: 'time to first token' },
  { key: 'e2eLatency', aliases: ['e2eLatency', 'e2e_latency'], label: 'end-to-end' },
];

function stats(values: number[]): { n: number; p50: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: s[Math.floor((s.length - 1) / 2)]!, max: s.at(-1)! };
}

export const latencySummary = defineRule({
  id: 'agent.latency-summary',
  codes: [AGENT.latencySummary],
  check(t) {
    const items = sessionItems(t).filter((e) => e.data.metrics && typeof e.data.metrics === 'object');
    const metrics: LatencySummaryData['metrics'] = [];
    for (const m of METRICS) {
      const vals = items
        .map((e) => {
          const mm = e.data.metrics;
          const byName = new Map<string, unknown>(mm && typeof mm === 'object' ? Object.entries(mm) : []);
          const v = m.aliases.map((a) => byName.get(a)).find((x) => typeof x === 'number' && Number.isFinite(x));
          return typeof v === 'number' ? v * 1000 : undefined; // seconds on the wire
        })
        .filter((v): v is number => v !== undefined);
      if (vals.length === 0) continue;
      metrics.push({ label: m.label, ...stats(vals) });
    }
    if (metrics.length === 0) return [];
    return [report(AGENT.latencySummary, { metrics }, items.slice(0, 20))];
  },
});
