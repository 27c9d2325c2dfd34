/**
 * Issue 14, point 5: the command table of `src/cli/program.ts` declares only the command being run.
 * Every help a user can reach must be exactly the one of the program with every command declared
 * in full (as before the table): `coding --help` from the table's names, terms and descriptions,
 * and `coding X [Y] --help` of every command and subcommand when X alone is loaded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandTable, requestedCommand } from '../../src/cli/program.js';
import { repositoryRoot } from '../helpers.js';

const argv = (...args: string[]) => ['node', 'coding', ...args];

/** A command and its subcommands, each with its path of names below the program. */
function walk(command: Command, names: string[] = []): { names: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [
    { names: [...names, sub.name()], command: sub },
    ...walk(sub, [...names, sub.name()]),
  ]);
}

function find(program: Command, names: readonly string[]): Command {
  let command = program;
  for (const name of names) {
    const sub = command.commands.find((candidate) => candidate.name() === name);
    if (sub === undefined) throw new Error(`no command ${names.join(' ')}`);
    command = sub;
  }
  return command;
}

// Declaring every command imports (and, under vitest, compiles) every module of the tool: minutes on a
// busy machine.
describe('the command table', { timeout: 300_000 }, () => {
  it('has one entry per command module, in the order of the fully declared program', async () => {
    const modules = (await fs.readdir(path.join(repositoryRoot, 'src', 'cli', 'commands')))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, ''));
    const names = commandTable.map((entry) => entry.name);
    expect([...names].sort()).toEqual([...modules].sort());
    const full = await buildProgram(argv(), 'all');
    expect(full.commands.map((command) => command.name())).toEqual(names);
  });

  it('`coding --help` from the table is the help of the fully declared program, and names every command', async () => {
    const lazy = await buildProgram(argv('--help'));
    const full = await buildProgram(argv('--help'), 'all');
    const help = lazy.helpInformation();
    expect(help).toBe(full.helpInformation());
    for (const entry of commandTable) expect(help).toMatch(new RegExp(`^  ${entry.name} `, 'm'));
    // Nothing but placeholders: no command module was asked to declare its options.
    for (const command of lazy.commands) {
      expect(command.options).toEqual([]);
      expect(command.commands).toEqual([]);
    }
  });

  it.each(commandTable.map((entry) => entry.name))(
    '`coding %s … --help`: the command alone is declared in full, every subcommand with its full help',
    async (name) => {
      const lazy = await buildProgram(argv(name, '--help'));
      const full = await buildProgram(argv(), 'all');
      const declared = walk(find(full, [name]), [name]);
      declared.unshift({ names: [name], command: find(full, [name]) });
      for (const { names, command } of declared)
        expect(find(lazy, names).helpInformation(), names.join(' ')).toBe(command.helpInformation());
      // The others stay placeholders, and `coding --help` is unchanged by the loaded one.
      for (const command of lazy.commands.filter((command) => command.name() !== name))
        expect(command.options).toEqual([]);
      expect(lazy.helpInformation()).toBe(full.helpInformation());
    },
  );

  it('finds the command commander will run: after the program options, or after `help`', () => {
    expect(requestedCommand(argv())).toBeUndefined();
    expect(requestedCommand(argv('--help'))).toBeUndefined();
    expect(requestedCommand(argv('reliability', '--annotations', 'a.csv'))).toBe('reliability');
    expect(requestedCommand(argv('--verbose', 'corpus', 'units'))).toBe('corpus');
    expect(requestedCommand(argv('help', 'codebook', 'show'))).toBe('codebook');
    expect(requestedCommand(argv('help'))).toBeUndefined();
  });

  it('an unknown command is refused with a suggestion from the table', async () => {
    const program = await buildProgram(argv('relibility'));
    let errors = '';
    program.configureOutput({ writeErr: (text) => (errors += text), writeOut: () => {} });
    const refused = await program.parseAsync(argv('relibility')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CommanderError);
    expect((refused as CommanderError).code).toBe('commander.unknownCommand');
    expect(errors).toContain("error: unknown command 'relibility'\n(Did you mean reliability?)");
  });
});
