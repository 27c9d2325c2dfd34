/**
 * The standard metadata fields of a document whose value is any text (`role`, the other standard
 * field, is one of `roles`). Kept apart from the zod schemas, so that core modules can use the list
 * without loading zod.
 */
export const textFields = [
  'title',
  'actor',
  'source',
  'genre',
  'date',
  'language',
  'url',
  'accessed',
] as const;
