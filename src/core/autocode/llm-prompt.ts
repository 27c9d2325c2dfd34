/**
 * The prompt of the LLM coder: a versioned template that turns the codebook (definitions, include
 * and exclude rules, examples) and one unit (with its neighbours as context) into chat messages,
 * the response format that constrains the answer to the code ids, and the check of the answer.
 *
 * The template's hash (of its version and every fixed piece of text) is recorded with the
 * annotations and is part of the cache key: editing a word of it makes every answer new.
 */
import { z } from 'zod';
import type { CodebookModel } from '../codebook.js';
import { sha256 } from '../hash.js';

export const promptTemplateVersion = 2;

/** Every fixed piece of text of the prompt; the hash covers all of them. */
const template = {
  role: 'You are a careful coder in a qualitative content analysis. You assign the codes of a codebook to one coding unit at a time, following the codebook’s definitions and rules exactly.',
  codebookHeading: 'The codebook',
  exclusiveCategory: 'exclusive: at most one code of this category per unit',
  notCodable: 'a group of the codes below it: never give this id itself',
  exclusiveCodebook: 'The codebook is exclusive as a whole: give at most one code per unit.',
  answer:
    'Answer with a JSON object and nothing else: {"codes": ["code id", …]}, listing the id of every code that applies to the unit. Use only the code ids listed above. {"codes": []} means that no code applies.',
  context:
    'Text marked as context is the unit’s neighbours in the same document, given so that you understand the unit; code only the unit.',
  before: 'Context before the unit (do not code):',
  unit: 'The unit to code:',
  after: 'Context after the unit (do not code):',
  fence: '"""',
} as const;

/** SHA-256 of the template (version and text), recorded as `template_hash`. */
export const promptTemplateHash = sha256(JSON.stringify({ version: promptTemplateVersion, template }));

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** One unit to code, with the units around it in its document (in document order). */
export interface PromptUnit {
  text: string;
  before: readonly string[];
  after: readonly string[];
}

function line(label: string, value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : [`  ${label}: ${value.trim()}`];
}

/** The system message: the codebook and how to answer. The same for every unit. */
export function systemMessage(codebook: CodebookModel): string {
  const lines: string[] = [template.role, '', `${template.codebookHeading} (${codebook.codebook.name}):`];
  for (const category of codebook.categories) {
    lines.push('');
    const description = category.description?.trim();
    lines.push(
      `Category ${category.id}: ${category.label}${description ? ` — ${description}` : ''}${category.exclusive ? ` (${template.exclusiveCategory})` : ''}`,
    );
    for (const id of category.codeIds) {
      const code = codebook.codeById.get(id)!;
      lines.push(`- ${code.id}: ${code.label}${code.codable ? '' : ` (${template.notCodable})`}`);
      lines.push(...line('Definition', code.definition));
      lines.push(...line('Include', code.include));
      lines.push(...line('Exclude', code.exclude));
      for (const example of code.examples) lines.push(...line('Example', example));
    }
  }
  lines.push('');
  if (codebook.exclusive) lines.push(template.exclusiveCodebook);
  lines.push(template.answer, template.context);
  return lines.join('\n');
}

function fenced(text: string): string {
  return `${template.fence}\n${text}\n${template.fence}`;
}

/** The user message: the unit, and its context when there is any. */
export function userMessage(unit: PromptUnit): string {
  const parts: string[] = [];
  if (unit.before.length > 0) parts.push(`${template.before}\n${fenced(unit.before.join('\n'))}`);
  parts.push(`${template.unit}\n${fenced(unit.text)}`);
  if (unit.after.length > 0) parts.push(`${template.after}\n${fenced(unit.after.join('\n'))}`);
  return parts.join('\n\n');
}

export function promptMessages(system: string, unit: PromptUnit): ChatMessage[] {
  return [
    { role: 'system', content: system },
    { role: 'user', content: userMessage(unit) },
  ];
}

export type ResponseFormatKind = 'json_schema' | 'json_object';

/**
 * The `response_format` of the request: a strict JSON schema whose `codes` items are an enum of
 * the code ids (servers that have structured outputs then cannot answer anything else), or the
 * plain JSON mode for servers without it.
 */
export function responseFormat(codebook: CodebookModel, kind: ResponseFormatKind): Record<string, unknown> {
  if (kind === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: 'codes',
      strict: true,
      schema: {
        type: 'object',
        properties: {
          codes: {
            type: 'array',
            items: {
              type: 'string',
              enum: codebook.codes.filter((code) => code.codable).map((code) => code.id),
            },
          },
        },
        required: ['codes'],
        additionalProperties: false,
      },
    },
  };
}

const answerSchema = z.object({ codes: z.array(z.string()) });

export type AnswerCheck = { ok: true; codes: number[] } | { ok: false; problem: string };

/** Shorten a server's text for a message (it is data: the caller makes it safe to print). */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}

/**
 * Check an answer's content: JSON, `{"codes": [...]}`, every id a code of the codebook that is
 * given to units (not a grouping code, `codable: false`), at most
 * one code of an exclusive category (or of an exclusive codebook). Returns the code indices in
 * codebook order (duplicates dropped), or what is wrong.
 */
export function checkAnswer(content: string, codebook: CodebookModel): AnswerCheck {
  let parsed: unknown;
  // Some servers wrap JSON in a Markdown fence even in JSON mode; the fence is not part of the answer.
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*\n?/i, '')
    .replace(/\n?```$/, '');
  try {
    parsed = JSON.parse(unfenced);
  } catch {
    return { ok: false, problem: `the answer is not JSON: "${excerpt(content)}"` };
  }
  const shape = answerSchema.safeParse(parsed);
  if (!shape.success)
    return { ok: false, problem: `the answer is not {"codes": [...]}: "${excerpt(content)}"` };
  const unknown = shape.data.codes.filter((id) => !codebook.codeById.has(id));
  if (unknown.length > 0)
    return {
      ok: false,
      problem: `the answer has codes the codebook does not: ${unknown.map((id) => `"${excerpt(id)}"`).join(', ')}`,
    };
  const grouping = shape.data.codes.filter((id) => !codebook.codeById.get(id)!.codable);
  if (grouping.length > 0)
    return {
      ok: false,
      problem: `the answer gives ${grouping.map((id) => `"${excerpt(id)}"`).join(', ')}, a grouping code that is not given to units (codable: false)`,
    };
  const indices = [...new Set(shape.data.codes.map((id) => codebook.codeById.get(id)!.index))].sort(
    (left, right) => left - right,
  );
  if (codebook.exclusive && indices.length > 1)
    return { ok: false, problem: 'the answer has more than one code, and the codebook is exclusive' };
  for (const category of codebook.categories) {
    if (!category.exclusive) continue;
    const inCategory = indices.filter((index) => codebook.codes[index]!.categoryId === category.id);
    if (inCategory.length > 1)
      return {
        ok: false,
        problem: `the answer has ${inCategory.length} codes of the exclusive category ${category.id}`,
      };
  }
  return { ok: true, codes: indices };
}

/** What decides an answer, hashed into the cache key (the endpoint is not part of it). */
export interface CacheKeyParts {
  model: string;
  templateHash: string;
  codebookHash: string;
  unit: PromptUnit;
  run: number;
  temperature: number;
  seed: number;
}

export function cacheKey(parts: CacheKeyParts): string {
  return sha256(
    JSON.stringify([
      parts.model,
      parts.templateHash,
      parts.codebookHash,
      parts.unit.text,
      parts.unit.before,
      parts.unit.after,
      parts.run,
      parts.temperature,
      parts.seed,
    ]),
  );
}

/** A rough count of tokens (about four characters each), for --dry-run's estimate. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
