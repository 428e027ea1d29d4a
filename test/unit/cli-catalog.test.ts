import { Help } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { buildProgram, requestedCommand } from '../../src/cli.js';
import { COMMAND_CATALOG, COMMAND_NAMES } from '../../src/commands/catalog.js';

describe('the root help from the command catalogue (lkdiag --help loads no command module)', () => {
  it('has the term and summary each real command shows', async () => {
    const full = await buildProgram('all');
    const help = new Help();
    expect(full.commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
    for (const cmd of full.commands) {
      const entry = COMMAND_CATALOG[cmd.name() as keyof typeof COMMAND_CATALOG];
      expect({ name: cmd.name(), term: help.subcommandTerm(cmd), summary: cmd.summary() }).toEqual({ name: cmd.name(), ...entry });
    }
  });

  it('prints the same root help with stubs as with every command registered', async () => {
    const stubs = await buildProgram();
    const full = await buildProgram('all');
    expect(stubs.helpInformation()).toBe(full.helpInformation());
    expect(stubs.commands.every((c) => c.options.length === 0)).toBe(true); // really stubs
  });

  it('registers the asked-for command in full and the others as stubs', async () => {
    const p = await buildProgram('trace');
    const trace = p.commands.find((c) => c.name() === 'trace')!;
    expect(trace.commands.map((c) => c.name())).toEqual(['log', 'room']);
    expect(p.commands.find((c) => c.name() === 'smoke')!.options).toHaveLength(0);
  });

  it('finds the command in argv (after global flags, or after `help`)', () => {
    const argv = (...a: string[]) => ['node', 'lkdiag', ...a];
    expect(requestedCommand(argv('--json', '-q', 'trace', 'log', 'x.log'))).toBe('trace');
    expect(requestedCommand(argv('help', 'doctor'))).toBe('doctor');
    expect(requestedCommand(argv('--help'))).toBeUndefined();
    expect(requestedCommand(argv('prob'))).toBeUndefined();
    expect(requestedCommand(argv('toString'))).toBeUndefined();
  });
});
