/** The workspace write lock, stale temporaries and file system errors, in one process (the e2e tests use two). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { removeStaleTemporaries, temporaryOwner } from '../../src/io/cleanup.js';
import { fileSystemError, isSystemError } from '../../src/io/fs-errors.js';
import { describeCommand, lockWorkspace, withWorkspaceLock } from '../../src/io/workspace-lock.js';
import { temporaryFolder } from '../helpers.js';

const lockOf = (pid: number, host = os.hostname()): string =>
  JSON.stringify({
    format: 'coding-workspace-lock',
    version: 1,
    command: 'coding import x.csv',
    pid,
    host,
    started: '2026-05-01T10:00:00Z',
  });

describe('the workspace write lock', () => {
  it('is written whole, nests within one process, and is removed when the last holder releases it', async () => {
    const root = await temporaryFolder();
    const file = path.join(root, '.coding.lock');
    const outer = await lockWorkspace(root, 'coding import a.csv', { waitMs: 0 });
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({
      format: 'coding-workspace-lock',
      version: 1,
      command: 'coding import a.csv',
      pid: process.pid,
      host: os.hostname(),
      started: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    await withWorkspaceLock(root, 'coding code --coder ana (saving the journal)', async () => {
      expect(JSON.parse(await fs.readFile(file, 'utf8')).command).toBe('coding import a.csv');
    });
    await expect(fs.access(file)).resolves.toBeUndefined(); // the outer holder still has it
    await outer.release();
    await expect(fs.access(file)).rejects.toThrow();
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('refuses after waiting while another live process holds it, and takes over a dead one', async () => {
    const root = await temporaryFolder();
    const file = path.join(root, '.coding.lock');
    await fs.writeFile(file, lockOf(4242));
    const started = Date.now();
    const refusal = lockWorkspace(root, 'coding sample', { waitMs: 300, isAlive: () => true });
    await expect(refusal).rejects.toThrow(UsageError);
    await expect(refusal).rejects.toThrow(
      `the workspace is being changed by another command: coding import x.csv (process 4242 on ${os.hostname()}, since 2026-05-01T10:00:00Z)`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const taken = await lockWorkspace(root, 'coding sample', { waitMs: 0, isAlive: (pid) => pid !== 4242 });
    expect(taken.tookOver?.pid).toBe(4242);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).command).toBe('coding sample');
    await taken.release();
  });

  it('gets a lock released while it waits', async () => {
    const root = await temporaryFolder();
    const file = path.join(root, '.coding.lock');
    await fs.writeFile(file, lockOf(4242));
    setTimeout(() => void fs.rm(file), 150);
    const lock = await lockWorkspace(root, 'coding report', { waitMs: 5000, isAlive: () => true });
    expect(lock.tookOver).toBeUndefined();
    await lock.release();
  });

  it('refuses a file that is not a lock', async () => {
    const root = await temporaryFolder();
    await fs.writeFile(path.join(root, '.coding.lock'), 'hello');
    await expect(lockWorkspace(root, 'coding report', { waitMs: 0 })).rejects.toThrow(InputError);
  });
});

describe('temporary files', () => {
  it('carry their process id, and only those of processes that no longer run are removed', async () => {
    expect(temporaryOwner('.coding-tmp-units.csv-1234-0123abcd')).toBe(1234);
    expect(temporaryOwner('.coding-tmp-reports-new-77-89abcdef')).toBe(77);
    expect(temporaryOwner('.coding-tmp-x-notapid')).toBeUndefined();
    expect(temporaryOwner('units.csv')).toBeUndefined();
    const folder = await temporaryFolder();
    await fs.writeFile(path.join(folder, '.coding-tmp-a.csv-11-0123abcd'), 'dead');
    await fs.mkdir(path.join(folder, '.coding-tmp-reports-new-11-0123abcd'));
    await fs.writeFile(path.join(folder, '.coding-tmp-b.csv-22-0123abcd'), 'alive');
    await fs.writeFile(path.join(folder, 'a.csv'), 'mine');
    const removed = await removeStaleTemporaries([folder, path.join(folder, 'missing')], (pid) => pid === 22);
    expect(removed.files.map((file) => path.basename(file)).sort()).toEqual([
      '.coding-tmp-a.csv-11-0123abcd',
      '.coding-tmp-reports-new-11-0123abcd',
    ]);
    expect(removed.bytes).toBe(4);
    expect((await fs.readdir(folder)).sort()).toEqual(['.coding-tmp-b.csv-22-0123abcd', 'a.csv']);
  });
});

describe('file system errors', () => {
  it('become one line naming the file and the cause, with how to fix it', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    expect(isSystemError(error)).toBe(true);
    const converted = fileSystemError(error, { file: 'corpus/units.csv' });
    expect(converted.message).toBe('cannot write corpus/units.csv: no space left on the device (ENOSPC)');
    expect(converted.hint).toContain('free space on the disk that holds corpus/units.csv');
    const readOnly = Object.assign(new Error('EROFS'), {
      code: 'EROFS',
      syscall: 'mkdir',
      path: '/archive/x',
    });
    expect(fileSystemError(readOnly).message).toBe(
      'cannot create the folder /archive/x: the file system is read-only (EROFS)',
    );
    expect(isSystemError(new Error('plain'))).toBe(false);
  });

  it('name the command as typed', () => {
    expect(describeCommand(['import', '--coder', 'bob', 'my file.csv'])).toBe(
      'coding import --coder bob "my file.csv"',
    );
  });
});
