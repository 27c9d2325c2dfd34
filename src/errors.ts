/**
 * Typed errors, mapped to exit codes by the one top-level catch in `cli/main.ts`:
 * `UsageError` and `InputError` exit 2, `CheckFailed` exits 1, anything else is an internal error.
 */

/** Where a problem is: a file, a 1-based line and column, and a path inside the document (YAML path, column). */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
}

/** One problem found in the input, as data; `formatFinding` turns it into `file:line:col  path  message`. */
export interface Finding extends Location {
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export abstract class CodingError extends Error {
  abstract readonly exitCode: number;
  /** Further problems found together with this one, so a user can fix them all at once. */
  readonly findings: Finding[];
  readonly location: Location | undefined;
  readonly hint: string | undefined;

  constructor(
    message: string,
    options: { location?: Location; hint?: string; findings?: Finding[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.location = options.location;
    this.hint = options.hint;
    this.findings = options.findings ?? [];
  }
}

/** The command line itself is wrong: an unknown flag value, a missing argument, a flag combination. */
export class UsageError extends CodingError {
  readonly exitCode = 2;
}

/** An input file or value is wrong: it names where (file:line, YAML path) and how to fix it. */
export class InputError extends CodingError {
  readonly exitCode = 2;
}

/** A check the user asked to fail on did not pass (for example `--min-kappa`). */
export class CheckFailed extends CodingError {
  readonly exitCode = 1;
}

/** Raise an InputError carrying every error finding at once; warnings alone do not raise. */
export function throwIfErrors(findings: Finding[], summary: string, hint?: string): void {
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length === 0) return;
  throw new InputError(summary, { findings: errors, ...(hint === undefined ? {} : { hint }) });
}

/** `file:line:col` with whatever parts are known; line and column are 1-based. */
export function formatLocation(location: Location): string {
  if (location.file === undefined) return '';
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** `file:line:col  path  message`, the one layout for every problem the tool reports. */
export function formatFinding(finding: Finding): string {
  const parts = [formatLocation(finding)];
  if (finding.path !== undefined && finding.path !== '') parts.push(finding.path);
  parts.push(finding.severity === 'warning' ? `warning: ${finding.message}` : finding.message);
  return parts.filter((part) => part !== '').join('  ');
}
