/** What report.html says about the machine coders of a study: agreement with people, and provenance. */
import fs from 'node:fs/promises';
import type { MachineCoderReport } from '../../report/html/machine-coders.js';
import { codersWithAnnotations, loadCoder, type Study } from '../study.js';
import { agreementJson, humanAgreement, runStability } from './llm-agreement.js';
import { machineCoderFiles, machineCoders } from './store.js';

function flatten(value: unknown, prefix: string, into: Array<[string, string]>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value))
      flatten(item, prefix === '' ? key : `${prefix}.${key}`, into);
    return;
  }
  if (Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object')) return;
  into.push([prefix, Array.isArray(value) ? value.join(', ') : String(value)]);
}

export async function machineCoderReports(study: Study): Promise<MachineCoderReport[]> {
  const annotations = study.workspace.paths.annotations;
  const machines = await machineCoders(annotations);
  if (machines.length === 0) return [];
  const available = await codersWithAnnotations(study);
  const loaded = new Map<string, Awaited<ReturnType<typeof loadCoder>>>();
  const load = async (coder: string) => {
    if (!loaded.has(coder)) loaded.set(coder, await loadCoder(study, coder));
    return loaded.get(coder)!;
  };
  const reports: MachineCoderReport[] = [];
  /** LLM coders of several runs → the coder they are runs of. */
  const families = new Map<string, string>();
  for (const machine of machines) {
    if (!available.includes(machine)) continue;
    const record = JSON.parse(
      await fs.readFile(machineCoderFiles(annotations, machine).record, 'utf8'),
    ) as Record<string, unknown>;
    const provenance: Array<[string, string]> = [];
    flatten(record, '', provenance);
    const agreement = await humanAgreement(study, machine, (await load(machine))!.codings, load);
    const comparisons: MachineCoderReport['comparisons'] = agreement.map(agreementJson);
    reports.push({ coder: machine, method: String(record['method'] ?? ''), provenance, comparisons });
    if (record['method'] === 'llm' && typeof record['family'] === 'string' && Number(record['runs']) > 1)
      families.set(machine, record['family']);
  }
  await addStability(study, reports, families, load);
  return reports;
}

/** Run-to-run stability of each LLM coder that has two or more runs, given to every run's report. */
async function addStability(
  study: Study,
  reports: MachineCoderReport[],
  families: ReadonlyMap<string, string>,
  load: (coder: string) => Promise<Awaited<ReturnType<typeof loadCoder>>>,
): Promise<void> {
  for (const family of new Set(families.values())) {
    const members = [...families].filter(([, of]) => of === family).map(([coder]) => coder);
    if (members.length < 2) continue;
    const runs = [];
    for (const coder of members) runs.push({ coder, codings: (await load(coder))!.codings });
    const stability = runStability(study, runs);
    for (const report of reports)
      if (members.includes(report.coder))
        report.stability = {
          family,
          coders: stability.coders,
          n: stability.n,
          alpha: stability.alpha,
          fleiss_kappa: stability.fleissKappa,
          codes: stability.codes.map((code) => ({
            code: code.code,
            alpha: code.alpha,
            fleiss_kappa: code.fleissKappa,
          })),
        };
  }
}
