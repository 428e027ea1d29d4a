import { describe, expect, it } from 'vitest';
import { compareVersions, lowestAllowed, parsePep440, pinnedVersion, normalizeName } from '../../src/doctor/pep440.js';
import { inRange } from '../../src/doctor/ranges.js';

describe('PEP 440', () => {
  it('orders dev < pre < release < local < post', () => {
    const order = ['1.0.dev0', '1.0a1', '1.0a1.post1', '1.0b2', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1', '1.0.1', '1!0.1'];
    for (let i = 0; i + 1 < order.length; i++) expect(compareVersions(order[i]!, order[i + 1]!), `${order[i]} < ${order[i + 1]}`).toBe(-1);
  });
  it('treats missing release segments as zero and normalises spellings', () => {
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(compareVersions('1.0-alpha-1', '1.0a1')).toBe(0);
    expect(compareVersions('1.0-1', '1.0.post1')).toBe(0);
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(parsePep440('not-a-version')).toBeUndefined();
  });
  it('reads pins and lower bounds', () => {
    expect(pinnedVersion('==1.8.9')).toBe('1.8.9');
    expect(pinnedVersion('>=1.8')).toBeUndefined();
    expect(lowestAllowed('>=1.2,<1.3')).toBe('1.2');
    expect(lowestAllowed('^1.0.20')).toBe('1.0.20');
    expect(lowestAllowed('<2')).toBeUndefined();
    expect(normalizeName('LiveKit_Plugins.OpenAI')).toBe('livekit-plugins-openai');
  });
  it('evaluates catalogue ranges per ecosystem', () => {
    expect(inRange('python', '1.5.7', '>=1.0.0 <1.5.8 || >=1.6.0 <1.7.0')).toBe(true);
    expect(inRange('python', '1.5.8', '>=1.0.0 <1.5.8 || >=1.6.0 <1.7.0')).toBe(false);
    expect(inRange('python', '1.6.11', '>=1.0.0 <1.5.8 || >=1.6.0 <1.7.0')).toBe(true);
    expect(inRange('python', '1.2.9rc1', '<1.2.9')).toBe(true);
    expect(inRange('node', '2.0.0', '=2.0.0')).toBe(true);
    expect(inRange('node', '1.9.0', '*')).toBe(true);
    expect(inRange('node', 'garbage', '*')).toBeUndefined();
  });
});
