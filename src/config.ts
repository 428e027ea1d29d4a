import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { registerSecret } from './redact.js';

/** Where a configuration value came from, in precedence order. */
export type ValueSource = 'flag' | 'env' | '.env.local' | '.env' | 'default';

export interface Resolved {
  value: string;
  source: ValueSource;
}

/** The variables lkdiag reads, named exactly as LiveKit's own tools name them. */
export const ENV = {
  openaiApiKey: 'OPENAI_API_KEY',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  livekitUrl: 'LIVEKIT_URL',
  livekitApiKey: 'LIVEKIT_API_KEY',
  livekitApiSecret: 'LIVEKIT_API_SECRET',
} as const;

const SECRET_NAMES = new Set<string>([ENV.openaiApiKey, ENV.livekitApiSecret]);

function readDotenv(dir: string, name: string): Record<string, string> {
  try {
    const text = readFileSync(join(dir, name), 'utf8');
    // a leading byte-order mark (Windows editors) would stay in the first variable's name
    return parseEnv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Resolves values with precedence flag > environment > .env.local > .env > default, remembering the
 * source of each. Every secret it sees — wherever it came from — is registered for redaction.
 */
export class Config {
  private readonly files: Array<[ValueSource, Record<string, string>]>;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    cwd: string = process.cwd(),
  ) {
    this.files = [
      ['.env.local', readDotenv(cwd, '.env.local')],
      ['.env', readDotenv(cwd, '.env')],
    ];
    for (const name of SECRET_NAMES) {
      registerSecret(env[name]);
      for (const [, vars] of this.files) registerSecret(vars[name]);
    }
  }

  get(name: string, flag?: string, fallback?: string): Resolved | undefined {
    if (SECRET_NAMES.has(name)) registerSecret(flag);
    if (flag !== undefined && flag !== '') return { value: flag, source: 'flag' };
    const fromEnv = this.env[name];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'env' };
    for (const [source, vars] of this.files) {
      const v = vars[name];
      if (v !== undefined && v !== '') return { value: v, source };
    }
    return fallback === undefined ? undefined : { value: fallback, source: 'default' };
  }
}

/** "OPENAI_API_KEY from .env.local" — for the stderr notice of where credentials came from. */
export function describeSource(name: string, r: Resolved | undefined): string {
  if (!r) return `${name}: not set`;
  const where = r.source === 'flag' ? 'command-line flag' : r.source === 'env' ? 'environment' : r.source;
  return `${name} from ${where}`;
}
