/** Options shared by several commands, defined once. */
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { type OutputFormat, outputFormats } from './output.js';

export function addWorkspaceOption(command: Command): Command {
  return command.option(
    '-w, --workspace <dir>',
    'the study workspace (default: the nearest coding.yaml above the current folder)',
  );
}

export function addFormatOption(
  command: Command,
  formats: readonly string[] = outputFormats,
  fallback = 'table',
): Command {
  return command.addOption(
    new Option('-f, --format <format>', `output format: ${formats.join(', ')}`)
      .choices(formats)
      .default(fallback),
  );
}

export function asFormat(value: unknown): OutputFormat {
  return (value ?? 'table') as OutputFormat;
}

/** Collect a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `key=value` pairs from a repeatable option. */
export function parseAssignments(values: readonly string[], flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(`${flag} ${JSON.stringify(value)}: expected key=value`, {
        hint: `for example ${flag} outlet=Reuters`,
      });
    }
    result[value.slice(0, equals).trim()] = value.slice(equals + 1).trim();
  }
  return result;
}

/** A whole number from the command line. */
export function parseInteger(
  flag: string,
  options: { min?: number; max?: number } = {},
): (value: string) => number {
  return (value: string) => {
    if (!/^[+-]?\d+$/.test(value.trim()))
      throw new UsageError(`${flag} must be a whole number, received "${value}"`);
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new UsageError(`${flag} ${value} is too large`);
    if (options.min !== undefined && number < options.min)
      throw new UsageError(`${flag} must be at least ${options.min}, received ${value}`);
    if (options.max !== undefined && number > options.max)
      throw new UsageError(`${flag} must be at most ${options.max}, received ${value}`);
    return number;
  };
}

/** A number from the command line, within bounds. */
export function parseNumber(
  flag: string,
  options: { min?: number; max?: number; minExclusive?: boolean } = {},
): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number))
      throw new UsageError(`${flag} must be a number, received "${value}"`);
    if (options.min !== undefined && (options.minExclusive ? number <= options.min : number < options.min)) {
      throw new UsageError(
        `${flag} must be ${options.minExclusive ? 'greater than' : 'at least'} ${options.min}, received ${value}`,
      );
    }
    if (options.max !== undefined && number > options.max)
      throw new UsageError(`${flag} must be at most ${options.max}, received ${value}`);
    return number;
  };
}

/** A comma-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export { type WriteRule, writeRuleOf, writesWorkspace } from './write-rule.js';
