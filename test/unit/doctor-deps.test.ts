import { describe, expect, it } from 'vitest';
import { packageLockVersions, pnpmLockVersions, yarnLockVersions } from '../../src/doctor/deps-node.js';
import { parsePyproject, parseRequirement } from '../../src/doctor/deps-python.js';
import { discover } from '../../src/doctor/discover.js';

describe('dependency parsers', () => {
  it('parses PEP 508 requirements with extras and markers', () => {
    expect(parseRequirement('livekit-agents[openai,silero]==1.8.9 ; python_version >= "3.10"')).toEqual({
      name: 'livekit-agents',
      extras: ['openai', 'silero'],
      spec: '==1.8.9',
    });
  });
  it('reads pyproject PEP 621, uv and poetry sections', () => {
    const r = parsePyproject(
      '[project]\ndependencies=["livekit-agents>=1.2"]\n[tool.uv]\ndev-dependencies=["livekit-api==1.0.5"]\n[tool.poetry.dependencies]\npython="^3.10"\nlivekit-plugins-openai="1.2.0"\n',
      'pyproject.toml',
    );
    expect(r.map((x) => [x.name, x.spec])).toEqual([
      ['livekit-agents', '>=1.2'],
      ['livekit-api', '==1.0.5'],
      ['livekit-plugins-openai', '==1.2.0'],
    ]);
  });
  it('reads npm, pnpm (with peer suffixes) and yarn classic/berry locks', () => {
    expect(
      packageLockVersions(
        '{"packages":{"":{},"node_modules/@livekit/agents":{"version":"1.9.0"},"node_modules/x/node_modules/@livekit/agents":{"version":"0.1.0"}}}',
      ).get('@livekit/agents'),
    ).toBe('1.9.0');
    expect(
      pnpmLockVersions(
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@livekit/agents':\n        specifier: ^1.9.0\n        version: 1.9.0(@livekit/rtc-node@0.13.35)\n",
      ).get('@livekit/agents'),
    ).toBe('1.9.0');
    expect(yarnLockVersions('"@livekit/agents@^1.0.20", "@livekit/agents@^1.0.30":\n  version "1.0.30"\n').get('@livekit/agents')).toBe('1.0.30');
    expect(yarnLockVersions('__metadata:\n  version: 8\n\n"@livekit/agents@npm:^1.9.0":\n  version: 1.9.2\n').get('@livekit/agents')).toBe('1.9.2');
  });
  it('discovers every manifest kind in the fixture projects', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['py-healthy', 'livekit-plugins-openai', '1.8.9', 'pin'],
      ['py-broken-uv', 'livekit-agents', '1.2.1', 'lock'],
      ['py-poetry-old', 'livekit-agents', '1.0.20', 'lock'],
      ['py-pipfile', 'livekit-api', '1.0.5', 'lock'],
      ['node-broken-yarn', '@livekit/agents', '1.0.30', 'lock'],
      ['node-pnpm-healthy', '@livekit/agents-plugin-openai', '1.9.0', 'lock'],
      ['py-poetry-old', 'client-sdk-swift', '2.15.2', 'lock'],
    ];
    for (const [dir, pkg, version, via] of cases) {
      const d = await discover(`fixtures/projects/${dir}`, {});
      expect(
        d.dependencies.find((x) => x.package === pkg),
        `${dir} ${pkg}`,
      ).toMatchObject({ version, via });
    }
  });
});
