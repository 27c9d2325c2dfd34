/**
 * The "machine coders" step of `coding reproduce`: every machine coder recorded in
 * annotations/NAME.autocode.json is run again from its record — the dictionary and model coders in
 * memory (they are deterministic), the LLM coder from the cache alone (no network) — and what it
 * gives is compared byte for byte with its annotations. Nothing is written.
 */
import fs from 'node:fs/promises';
import { CodingError } from '../../errors.js';
import type { Study } from '../study.js';
import { autocodeDictionary } from './dictionary.js';
import { reproduceLlmCoder } from './llm.js';
import { autocodeModel } from './model.js';
import { compareMachineCoder, type MachineCoderSink, machineCoderFiles, machineCoders } from './store.js';

export interface MachineCoderCheck {
  coder: string;
  method: string;
  /** Undefined when identical; else what is wrong. */
  problem?: string | undefined;
}

type Record = { [key: string]: unknown };

function parameter(record: Record, name: string): unknown {
  const parameters = record['parameters'];
  return parameters !== null && typeof parameters === 'object' ? (parameters as Record)[name] : undefined;
}

async function rerun(study: Study, coder: string, record: Record): Promise<string | undefined> {
  let differs: string | undefined;
  const sink: MachineCoderSink = async (opened, output) => {
    differs = await compareMachineCoder(opened, output);
    return undefined;
  };
  const base = { cwd: study.workspace.root, workspace: study.workspace.root, coder, sink };
  const method = record['method'];
  if (method === 'dictionary') {
    await autocodeDictionary({ ...base, ignoreAccents: parameter(record, 'ignore_accents') === true });
    return differs;
  }
  if (method === 'model') {
    const trainedOn = String(record['trained_on'] ?? '');
    await autocodeModel({
      ...base,
      train: trainedOn.startsWith('coder ') ? trainedOn.slice('coder '.length) : undefined,
      folds: Number(parameter(record, 'folds')),
      seed: Number(parameter(record, 'seed')),
      regularisation: Number(parameter(record, 'C')),
    });
    return differs;
  }
  if (method === 'llm') return reproduceLlmCoder(study, coder, record);
  return `its record names an unknown method (${String(method)})`;
}

/** Re-run every machine coder of the study and compare; an empty list when there are none. */
export async function reproduceMachineCoders(study: Study): Promise<MachineCoderCheck[]> {
  const annotations = study.workspace.paths.annotations;
  const checks: MachineCoderCheck[] = [];
  for (const coder of await machineCoders(annotations)) {
    let record: Record;
    try {
      record = JSON.parse(await fs.readFile(machineCoderFiles(annotations, coder).record, 'utf8')) as Record;
    } catch {
      checks.push({ coder, method: '?', problem: 'its record (NAME.autocode.json) cannot be read' });
      continue;
    }
    const method = String(record['method'] ?? '?');
    try {
      const differs = await rerun(study, coder, record);
      checks.push({
        coder,
        method,
        problem: differs === undefined ? undefined : `coded again, it gives a different ${differs}`,
      });
    } catch (error) {
      if (!(error instanceof CodingError)) throw error;
      checks.push({ coder, method, problem: error.message });
    }
  }
  return checks;
}
