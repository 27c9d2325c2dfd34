/**
 * The file system's refusals (a full disk, a read-only study, a folder where a file belongs…) as
 * input errors: one line naming the file and the cause, a hint saying how to fix it, exit code 2.
 * The io layer converts where it knows the file; `cli/main.ts` converts whatever still arrives.
 */
import path from 'node:path';
import { InputError } from '../errors.js';

/** Node's system error: a `code` such as ENOSPC, and often the `path` it concerns. */
export interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

const causes: Record<string, { cause: string; fix: (file: string) => string }> = {
  ENOSPC: {
    cause: 'no space left on the device',
    fix: (file) =>
      `free space on the disk that holds ${file} (or write elsewhere), then run the command again`,
  },
  EDQUOT: {
    cause: 'the disk quota is exceeded',
    fix: (file) => `free space within your quota on the disk that holds ${file}, then run the command again`,
  },
  EFBIG: {
    cause: 'the file is too large for its file system',
    fix: () => 'write it to another file system',
  },
  EROFS: {
    cause: 'the file system is read-only',
    fix: () =>
      'copy the study to a writable folder to change it; commands that only read work where it is, and coding reproduce -o DIR writes its reports elsewhere',
  },
  EACCES: {
    cause: 'permission denied',
    fix: (file) =>
      `give yourself permission to write ${file} and its folder (chmod/chown), or work in a copy`,
  },
  EPERM: {
    cause: 'the operation is not permitted',
    fix: (file) => `check the permissions and attributes of ${file} and its folder`,
  },
  EISDIR: {
    cause: 'it is a folder, where a file is expected',
    fix: (file) => `give the path of a file, not of the folder ${file}`,
  },
  ENOTDIR: {
    cause: 'a part of the path is a file, where a folder is expected',
    fix: (file) => `check each folder in ${file}; one of them is a file`,
  },
  EEXIST: {
    cause: 'it already exists',
    fix: (file) => `move ${file} away, or choose another name`,
  },
  ENOENT: {
    cause: 'no such file or folder',
    fix: (file) => `check the path; create the folder of ${file} first if it is an output`,
  },
  ENOTEMPTY: {
    cause: 'the folder is not empty',
    fix: (file) => `move ${file} away, or choose another folder`,
  },
  ENAMETOOLONG: {
    cause: 'the name is too long for the file system',
    fix: () => 'choose a shorter path',
  },
  ELOOP: {
    cause: 'too many symbolic links (a link loop)',
    fix: (file) => `fix the symbolic links in ${file}`,
  },
  EMFILE: {
    cause: 'too many open files',
    fix: () => 'raise the limit of open files (ulimit -n), then run the command again',
  },
  EIO: {
    cause: 'an input/output error of the device',
    fix: () => 'check the disk (it may be failing or disconnected), then run the command again',
  },
  EBUSY: {
    cause: 'the file or device is busy',
    fix: () => 'close the program that uses it, then run the command again',
  },
  ETXTBSY: {
    cause: 'the file is busy',
    fix: () => 'close the program that uses it, then run the command again',
  },
  EXDEV: {
    cause: 'it cannot be moved across file systems',
    fix: () => 'write the output on the same file system as its folder',
  },
};

/** Whether `error` is one of Node's file system errors that a person can fix. */
export function isSystemError(error: unknown): error is SystemError {
  return (
    error instanceof Error &&
    typeof (error as Partial<SystemError>).code === 'string' &&
    (error as SystemError).code in causes
  );
}

/** A path for messages: relative to the current folder when that is shorter. */
function shownPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') ? relative : file;
}

/** The cause of a system error in words (`no space left on the device (ENOSPC)`). */
export function systemErrorCause(error: SystemError): string {
  const known = causes[error.code];
  return known ? `${known.cause} (${error.code})` : error.message;
}

/**
 * A system error as an InputError: `cannot write FILE: no space left on the device (ENOSPC)`
 * with how to fix it. `file` names the file when the error does not (a write to an open file).
 */
export function fileSystemError(
  error: SystemError,
  options: { file?: string | undefined; action?: string | undefined; hint?: string | undefined } = {},
): InputError {
  const known = causes[error.code]!;
  const file = shownPath(options.file ?? error.path ?? error.dest ?? '');
  const action = options.action ?? actionOf(error.syscall);
  const subject = file === '' ? action : `${action} ${file}`;
  return new InputError(`${subject}: ${known.cause} (${error.code})`, {
    hint: options.hint ?? `${known.fix(file === '' ? 'the file' : file)}.`,
    cause: error,
  });
}

function actionOf(syscall: string | undefined): string {
  switch (syscall) {
    case 'open':
      return 'cannot open';
    case 'read':
    case 'scandir':
    case 'stat':
    case 'lstat':
      return 'cannot read';
    case 'mkdir':
      return 'cannot create the folder';
    case 'rename':
    case 'link':
    case 'unlink':
    case 'rmdir':
    case 'rm':
    case 'copyfile':
      return 'cannot change';
    default:
      return 'cannot write';
  }
}

/** Convert a system error to an InputError naming `file`; any other error is returned as it is. */
export function withFile(error: unknown, file: string, action?: string): unknown {
  if (!isSystemError(error)) return error;
  return fileSystemError(error, { file, action });
}
