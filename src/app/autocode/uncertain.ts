/**
 * `coding sample --uncertain N --from NAME`: the N units the model coder is least sure of, among
 * the units people have not coded, for people to code next (active learning, "uncertainty
 * sampling": Lewis & Gale 1994). A unit's certainty is that of its least certain code,
 * min over codes of |p − 0.5|; ties are ordered by a seeded shuffle.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRandom, shuffled } from '../../core/random.js';
import { InputError, UsageError } from '../../errors.js';
import { openStudy, relativeTo } from '../study.js';
import { machineCoderFiles, recordedMethod } from './store.js';

export interface UncertainOptions {
  cwd: string;
  workspace?: string | undefined;
  from: string;
  size: number;
  seed: number;
}

export interface UncertainUnit {
  unitId: string;
  /** The code whose probability is nearest 0.5, and that probability. */
  code: string;
  probability: number;
}

export async function uncertainUnits(options: UncertainOptions): Promise<UncertainUnit[]> {
  const study = await openStudy(options);
  const annotations = study.workspace.paths.annotations;
  const method = await recordedMethod(machineCoderFiles(annotations, options.from).record);
  if (method !== 'model')
    throw new UsageError(
      `"${options.from}" is not a model coder (coding autocode --method model --as ${options.from})`,
      {
        hint: 'only the model coder writes the probabilities that --uncertain ranks.',
      },
    );
  const file = path.join(annotations, `${options.from}.probabilities.csv`);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError('the probabilities of the model coder are missing', {
      location: { file: relativeTo(study.workspace, file) },
      hint: `run coding autocode --method model --as ${options.from} again.`,
    });
  }
  const lines = text.split('\n').filter((line) => line !== '');
  const codes = lines[0]!.split(',').slice(2);
  const candidates: Array<UncertainUnit & { distance: number }> = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    // Units with a fold were coded by people (and held out): they need no more coding.
    if (cells[1] !== '') continue;
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    for (let code = 0; code < codes.length; code++) {
      const gap = Math.abs(Number(cells[code + 2]) - 0.5);
      if (gap < distance) {
        distance = gap;
        best = code;
      }
    }
    if (best >= 0)
      candidates.push({
        unitId: cells[0]!,
        code: codes[best]!,
        probability: Number(cells[best + 2]),
        distance,
      });
  }
  // A seeded shuffle first, then a stable sort: equally uncertain units come in the seed's order.
  return shuffled(candidates, createRandom(options.seed))
    .sort((left, right) => left.distance - right.distance)
    .slice(0, options.size)
    .map(({ distance: _distance, ...unit }) => unit);
}
