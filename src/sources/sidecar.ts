import { existsSync, readFileSync } from 'node:fs';

/** What was said in a WAV, and when: `<name>.json` {parts:[{text,startMs,endMs}]} or `<name>.txt`. */
export interface Sidecar {
  parts: Array<{ text: string; startMs: number; endMs: number }>;
  file: string;
}

export function loadSidecar(wavPath: string, durationMs: number): Sidecar | undefined {
  const base = wavPath.replace(/\.wav$/i, '');
  if (existsSync(`${base}.json`)) {
    try {
      const j = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { parts?: Array<{ text: string; startMs: number; endMs: number }> };
      if (Array.isArray(j.parts) && j.parts.length > 0)
        return { parts: j.parts.map(({ text, startMs, endMs }) => ({ text, startMs, endMs })), file: `${base}.json` };
    } catch {
      /* fall through to .txt */
    }
  }
  if (existsSync(`${base}.txt`)) {
    const text = readFileSync(`${base}.txt`, 'utf8').trim();
    if (text) return { parts: [{ text, startMs: 0, endMs: durationMs }], file: `${base}.txt` };
  }
  return undefined;
}

/**
 * The words the agent should have heard from the buffer: parts at least half inside the buffered
 * span; for a single part only partly buffered, the proportional prefix of its words.
 */
export function expectedBufferedText(sidecar: Sidecar, bufferedMs: number): string {
  const out: string[] = [];
  for (const p of sidecar.parts) {
    const inside = Math.max(0, Math.min(bufferedMs, p.endMs) - p.startMs);
    const frac = inside / Math.max(1, p.endMs - p.startMs);
    if (frac >= 0.5 && sidecar.parts.length > 1) out.push(p.text);
    else if (sidecar.parts.length === 1 && frac > 0) {
      const words = p.text.split(/\s+/);
      out.push(words.slice(0, Math.max(1, Math.floor(words.length * Math.min(1, frac)))).join(' '));
    }
  }
  return out.join(' ');
}
