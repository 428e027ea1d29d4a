import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { ROOT, lkdiag } from '../helpers/cli.js';

/** Recognisable fake secrets. None matches a credential pattern, so only registration can redact them. */
const OPENAI_CANARY = 'canary-openai-key-7f3a9c21';
const LIVEKIT_CANARY = 'canary-livekit-secret-5e8d0b44';
const FLAG_CANARY = 'canary-flag-secret-91c2aa07';
const DOTENV_CANARY = 'canary-dotenv-key-3b6f11e9';
const AZURE_CANARY = 'canary-azure-key-4d2e19c7';
const ENTRA_CANARY = 'canary-entra-token-66a1f0b3';
const XAI_CANARY = 'canary-xai-key-0c5b7d12';
const CANARIES = [OPENAI_CANARY, LIVEKIT_CANARY, FLAG_CANARY, DOTENV_CANARY, AZURE_CANARY, ENTRA_CANARY, XAI_CANARY];

const dir = mkdtempSync(join(tmpdir(), 'lkdiag-secrets-'));
writeFileSync(join(dir, '.env.local'), `OPENAI_API_KEY=${DOTENV_CANARY}\nLIVEKIT_API_SECRET=${DOTENV_CANARY}\n`);
// An agent log that itself leaks the key (people do log their env): lkdiag must not repeat it.
const leakyLog = join(dir, 'agent.log');
writeFileSync(
  leakyLog,
  [
    `{"message": "starting worker", "level": "INFO", "name": "livekit.agents", "version": "1.8.9", "timestamp": "2026-11-21T10:00:00.000000+00:00"}`,
    `{"message": "config", "level": "DEBUG", "name": "app", "openai_key": "${OPENAI_CANARY}", "timestamp": "2026-11-21T10:00:00.100000+00:00"}`,
    `{"message": "failed to generate a reply: generate_reply timed out.", "level": "ERROR", "name": "livekit.agents", "api_key": "${OPENAI_CANARY}", "timestamp": "2026-11-21T10:00:10.000000+00:00"}`,
  ].join('\n'),
);
// An agent log that prints the Azure plugin's headers (a user's own debug line).
const azureLog = join(dir, 'azure-agent.log');
writeFileSync(
  azureLog,
  [
    `{"message": "starting worker", "level": "INFO", "name": "livekit.agents", "version": "1.8.9", "timestamp": "2026-11-21T10:00:00.000000+00:00"}`,
    `{"message": "ws headers {'User-Agent': 'LiveKit Agents', 'api-key': '0123456789abcdef0123456789abcdef'}", "level": "DEBUG", "name": "app", "timestamp": "2026-11-21T10:00:00.100000+00:00"}`,
  ].join('\n'),
);
writeFileSync(join(dir, 'requirements.txt'), 'livekit-agents==1.8.9\nlivekit-plugins-openai==1.8.9\n');

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim.close());

const ENV = {
  OPENAI_API_KEY: OPENAI_CANARY,
  AZURE_OPENAI_API_KEY: AZURE_CANARY,
  XAI_API_KEY: XAI_CANARY,
  LIVEKIT_API_SECRET: LIVEKIT_CANARY,
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_URL: 'ws://127.0.0.1:1',
};

describe.concurrent('no secret ever appears in any output, in any mode', () => {
  const cases: Array<[string, () => string[], Record<string, string>?]> = [
    ['probe-openai (env key, invalid key scenario, --verbose)', () => ['probe-openai', '--verbose', '--base-url', `${sim.pythonUrlFor(['invalid-api-key'])}`]],
    ['probe-openai --json (env key)', () => ['probe-openai', '--json', '--base-url', sim.baseUrl]],
    [
      'probe-openai (flag key, upgrade 401)',
      () => ['probe-openai', '--verbose', '--json', '--api-key', FLAG_CANARY, '--base-url', sim.pythonUrlFor(['upgrade-401'])],
    ],
    ['probe-openai (key from .env.local)', () => ['probe-openai', '--verbose', '--base-url', sim.baseUrl], { OPENAI_API_KEY: '' }],
    ['probe-openai (unreachable)', () => ['probe-openai', '--verbose', '--base-url', 'http://127.0.0.1:1/v1', '--api-key', FLAG_CANARY]],
    [
      'probe-openai --provider azure (env key, --verbose)',
      () => ['probe-openai', '--verbose', '--provider', 'azure', '--azure-endpoint', sim.baseUrl.replace(/\/v1$/, ''), '--azure-deployment', 'd'],
    ],
    [
      'probe-openai --provider azure (Entra token flag, OperationNotSupported)',
      () => [
        'probe-openai',
        '--verbose',
        '--json',
        '--provider',
        'azure',
        '--entra-token',
        ENTRA_CANARY,
        '--azure-endpoint',
        sim.urlFor(['azure-operation-not-supported']).replace(/\/v1$/, ''),
        '--azure-deployment',
        'd',
      ],
    ],
    ['probe-openai --provider xai (env key)', () => ['probe-openai', '--verbose', '--json', '--provider', 'xai', '--base-url', `${sim.baseUrl}/realtime`]],
    ['mock-openai --list', () => ['mock-openai', '--list', '--verbose']],
    [
      'send-preconnect (unreachable, flag secret)',
      () => [
        'send-preconnect',
        '--verbose',
        '--room',
        'r',
        '--agent-name',
        'a',
        '--audio',
        join(ROOT, 'fixtures/audio/two-part.wav'),
        '--api-secret',
        FLAG_CANARY,
      ],
    ],
    [
      'send-preconnect --json (env secret)',
      () => ['send-preconnect', '--json', '--verbose', '--room', 'r', '--agent-name', 'a', '--audio', join(ROOT, 'fixtures/audio/two-part.wav')],
    ],
    ['trace log (a log that leaks the key)', () => ['trace', 'log', leakyLog, '--verbose']],
    ['trace log --json (a log that leaks the key)', () => ['trace', 'log', leakyLog, '--json']],
    ['trace log --json (a log that prints the Azure api-key header)', () => ['trace', 'log', azureLog, '--json', '--verbose']],
    ['trace room (unreachable)', () => ['trace', 'room', 'r', '--verbose', '--api-secret', FLAG_CANARY]],
    ['smoke (unreachable)', () => ['smoke', '--verbose', '--agent-name', 'a', '--api-secret', FLAG_CANARY]],
    ['doctor (project with .env.local)', () => ['doctor', dir, '--verbose']],
    ['doctor --json', () => ['doctor', dir, '--json']],
  ];
  it.each(cases)('%s', async (_name, args, env) => {
    const r = await lkdiag(args(), { cwd: dir, env: { ...ENV, ...(env ?? {}) }, timeoutMs: 60_000 });
    const all = `${r.stdout}\n${r.stderr}`;
    for (const c of CANARIES) expect(all, `leaked ${c} (exit ${r.code})`).not.toContain(c);
    expect(all, 'leaked the Azure api-key from the log').not.toContain('0123456789abcdef0123456789abcdef');
    // The command really ran (not a usage error about an unknown command).
    expect(all).not.toMatch(/unknown command/);
  });
});
