import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { PACKAGES } from './codes.js';

/** Imports of livekit modules that failed: a version mismatch, or a module not installed. */
export const packages = defineRule({
  id: 'worker.packages',
  codes: [PACKAGES.versionMismatch, PACKAGES.importError],
  check(t) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const e of t.ofKind('log.setup.import-failed')) {
      if (seen.has(e.data.exception)) continue;
      seen.add(e.data.exception);
      const { what, module, name, exception } = e.data;
      const data = { what, module, ...(name !== undefined ? { name } : {}), exception };
      out.push(report(what === 'missing-module' ? PACKAGES.importError : PACKAGES.versionMismatch, data, [e]));
    }
    return out;
  },
});
