/**
 * `lkdiag doctor`'s facts about an agent project (`doctor.*`). Files on disk are read like logs,
 * so their source is `log`; the server check's is `server`.
 */
import type { DepFact } from '../doctor/deps-python.js';
import type { SetupFact } from '../doctor/setup-python.js';
import type { KindsMeta } from './meta.js';

export interface DoctorKinds {
  'doctor.project': { root: string; manifests: string[]; sources: { python: number; ts: number }; truncated: boolean };
  'doctor.env': { name: string; value: string; file?: string; line?: number; from: 'dotenv' | 'environment' };
  'doctor.dependency': { [F in keyof DepFact]: DepFact[F] };
  'doctor.parser': { language: 'python'; parser: 'regex'; note: string };
  'doctor.setup': SetupFact;
  'doctor.parse-error': { file: string; message: string; line?: number };
  'doctor.server': { url: string; version?: string; edition?: unknown };
  'doctor.server.error': { url: string; reachable: boolean; message: string };
}

const L = ['log'] as const;

export const DOCTOR_KINDS: KindsMeta<DoctorKinds> = {
  'doctor.project': {
    description: 'The project doctor looked at.',
    fields: {
      root: 'project root',
      manifests: 'the manifests and lock files read',
      sources: 'how many Python and TypeScript/JavaScript files were scanned',
      truncated: 'the walk stopped at its file limit',
    },
    sources: L,
    example: { root: '/src/my-agent', manifests: ['pyproject.toml', 'uv.lock'], sources: { python: 3, ts: 0 }, truncated: false },
  },
  'doctor.env': {
    description: 'A setting that changes what the agent logs or does (today: LK_OPENAI_DEBUG).',
    fields: { name: 'variable name', value: 'its value', file: '? the .env file it is set in', line: '? its line', from: '`dotenv` or `environment`' },
    sources: L,
    example: { name: 'LK_OPENAI_DEBUG', value: '1', file: '.env', line: 3, from: 'dotenv' },
  },
  'doctor.dependency': {
    description: 'A LiveKit / OpenAI package the project depends on, with the version found.',
    fields: {
      ecosystem: '`python`, `node`, `swift`, `android`',
      package: 'package name',
      version: '? the resolved or pinned version',
      spec: '? the declared specifier (range)',
      via: 'how the version was found: `lock`, `pin`, `declared`, `extra`',
      file: 'where',
      line: '? its line',
      note: '? a remark',
    },
    sources: L,
    example: { ecosystem: 'python', package: 'livekit-agents', version: '1.2.14', spec: '>=1.2', via: 'lock', file: 'uv.lock', line: 120 },
  },
  'doctor.parser': {
    description: 'Python sources were scanned with the regex fallback (no python3 for the ast scan).',
    fields: { language: '`python`', parser: '`regex`', note: 'why' },
    sources: L,
    example: { language: 'python', parser: 'regex', note: 'python3 not found: regex scan' },
  },
  'doctor.setup': {
    description: "A fact about the agent's setup code (how it builds the session, the model, the pre-connect handler…).",
    fields: {
      check: 'which setup check found it (e.g. `realtime-model`)',
      file: 'the source file',
      line: 'its line',
      snippet: 'the code',
      language: '`python`, `typescript`, `javascript`',
      parser: '`ast`, `typescript` or `regex`',
    },
    sources: L,
    example: {
      check: 'realtime-model',
      file: 'agent.py',
      line: 12,
      snippet: 'openai.realtime.RealtimeModel(model="gpt-realtime")',
      language: 'python',
      parser: 'ast',
      model: 'gpt-realtime',
    },
  },
  'doctor.parse-error': {
    description: 'A file doctor could not parse.',
    fields: { file: 'the file', message: 'the error', line: '? its line' },
    sources: L,
    example: { file: 'package.json', message: 'Unexpected token } in JSON at position 120' },
  },
  'doctor.server': {
    description: 'The LiveKit server answered (doctor --server).',
    fields: { url: 'server URL', version: '? server version', edition: '? server edition' },
    sources: ['server'],
    example: { url: 'ws://127.0.0.1:7880', version: '1.9.1', edition: 0 },
  },
  'doctor.server.error': {
    description: 'The LiveKit server could not be checked.',
    fields: { url: 'server URL', reachable: 'the server could be reached at all', message: 'the error' },
    sources: ['server'],
    example: { url: 'ws://127.0.0.1:7880', reachable: false, message: 'connect ECONNREFUSED 127.0.0.1:7880' },
  },
};
