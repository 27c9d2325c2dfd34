/** Coder names for a project's users: `--user NAME=CODER` first, then each user's name made safe for a file name. */
import { UsageError } from '../errors.js';
import { normaliseGuid } from '../io/qdc.js';
import type { QdeProject } from '../io/qdpx.js';
import { reservedCoderNames } from '../schema/annotations.js';

/** A name that `checkCoderName` accepts, made from a user's name: "Dr. Anna Müller" → "Dr-Anna-Muller". */
export function safeCoderName(name: string, fallback: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return safe === '' || reservedCoderNames.has(safe.toLowerCase()) ? fallback : safe;
}

/** Each user GUID with codings → its coder name (unique, case-insensitively). */
export function assignCoderNames(
  userGuids: string[],
  userByGuid: Map<string, QdeProject['users'][number]>,
  explicit: Record<string, string>,
  project: QdeProject,
): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const used = new Set<string>();
  const matchExplicit = (guid: string): string | undefined => {
    const user = userByGuid.get(guid);
    for (const [key, coder] of Object.entries(explicit)) {
      const wanted = key.trim();
      if (
        normaliseGuid(wanted) === guid ||
        (user !== undefined &&
          (user.name === wanted || user.id === wanted || user.name?.toLowerCase() === wanted.toLowerCase()))
      ) {
        used.add(key);
        return coder;
      }
    }
    return undefined;
  };
  // Users in the order of <Users>, then GUIDs that only codings name.
  const order = [
    ...project.users.map((user) => user.guid).filter((guid) => userGuids.includes(guid)),
    ...userGuids.filter((guid) => !userByGuid.has(guid)),
  ];
  for (const guid of order) {
    const coder = matchExplicit(guid);
    if (coder !== undefined) {
      names.set(guid, coder);
      taken.add(coder.toLowerCase());
    }
  }
  for (const guid of order) {
    if (names.has(guid)) continue;
    const user = userByGuid.get(guid);
    const fallback = guid === '' ? 'unattributed' : `user-${guid.slice(0, 8)}`;
    const base = safeCoderName(user?.name ?? user?.id ?? '', fallback);
    let name = base;
    for (let counter = 2; taken.has(name.toLowerCase()); counter++) name = `${base.slice(0, 60)}-${counter}`;
    taken.add(name.toLowerCase());
    names.set(guid, name);
  }
  const unused = Object.keys(explicit).filter((key) => !used.has(key));
  if (unused.length > 0) {
    const known = project.users.map((user) => user.name ?? user.id ?? user.guid);
    throw new UsageError(
      `--user names ${unused.map((key) => `"${key}"`).join(', ')}, which ${unused.length === 1 ? 'is' : 'are'} not a user with codings in the project`,
      {
        hint: known.length > 0 ? `the project's users: ${known.join(', ')}` : 'the project lists no users.',
      },
    );
  }
  return names;
}
