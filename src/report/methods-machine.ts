/**
 * The machine-coder part of methods.md/.tex, present whenever the study has machine coders
 * (`coding autocode`): what each did (method and the parameters of its record), its agreement with
 * each human coder (the figures of report.html's "Machine coders" section, from
 * app/autocode/report-data.ts), and whether it provides final codes (`coders.primary`).
 */
import type { MachinePrimary } from '../core/machine-primary.js';
import type { ReportData } from './data.js';
import type { MachineCoderReport } from './html/machine-coders.js';
import { counted, type Inline, joinWords, type MethodsDocument } from './methods-document.js';
import { figure, interval } from './methods-reliability.js';

/** A parameter of the machine coder's record (flattened key, e.g. `parameters.folds`), if recorded. */
function parameter(machine: MachineCoderReport, key: string): string | undefined {
  return machine.provenance.find(([name]) => name === key)?.[1];
}

function dictionarySentences(machine: MachineCoderReport): Inline[][] {
  const patterns = parameter(machine, 'parameters.codes_with_patterns');
  const accents = parameter(machine, 'parameters.ignore_accents');
  const units = parameter(machine, 'units');
  const coded = parameter(machine, 'coded_units');
  return [
    [
      { code: machine.coder },
      " is a dictionary coder: a unit takes a code when one of the code's word, phrase or regular-expression patterns in the codebook (for the unit's language) matches its text and no exclusion pattern of the code overlaps the match.",
    ],
    [
      `${patterns === undefined ? 'How many codes have patterns is not recorded' : `${counted(Number(patterns), 'code has', 'codes have')} patterns`}; matching folds case${accents === 'true' ? ' and ignores accents' : ''}.`,
    ],
    units === undefined || coded === undefined
      ? []
      : [`It reviewed ${counted(Number(units), 'unit')} and gave a code to ${coded} of them.`],
  ];
}

function modelSentences(machine: MachineCoderReport): Inline[][] {
  const value = (key: string) => parameter(machine, `parameters.${key}`) ?? 'not recorded';
  const trainedOn = parameter(machine, 'trained_on');
  const training = parameter(machine, 'training_units');
  const byFullModel = parameter(machine, 'coded_by_full_model');
  return [
    [
      { code: machine.coder },
      ` is a supervised model coder: features are ${value('features')} (terms in at least ${value('min_document_frequency')} training units, at most ${value('max_terms')}); the classifier is an ${value('classifier')}, with C = ${value('C')}; a code is given at a probability of at least ${value('threshold')}.`,
    ],
    trainedOn === undefined
      ? []
      : [
          `It learnt from the ${trainedOn}${training === undefined ? '' : ` (${counted(Number(training), 'unit')})`}.`,
        ],
    [
      `Those units were coded by cross-fitting: dealt into ${value('folds')} folds by a shuffle with seed ${value('seed')}, each fold coded by a model trained on the other folds (vocabulary and idf included), so its agreement with people below is measured out of sample.`,
    ],
    byFullModel === undefined
      ? []
      : [
          `The ${counted(Number(byFullModel), 'unit')} nobody coded ${byFullModel === '1' ? 'was' : 'were'} coded by a model trained on all the units it learnt from.`,
        ],
  ];
}

/**
 * An LLM coder: what a reader needs to judge and repeat it (the model as the server named it, the
 * prompt, temperature, seed, context, runs); the settings of the connection (retries, timeouts,
 * concurrency) are in its record and change no answer, so the text leaves them out.
 */
function llmSentences(machine: MachineCoderReport, cited: Set<string>): Inline[][] {
  cited.add('Gilardi et al. 2023');
  const requested = parameter(machine, 'model');
  const named = parameter(machine, 'server_models');
  const host = parameter(machine, 'endpoint_host');
  const temperature = parameter(machine, 'parameters.temperature');
  const seed = parameter(machine, 'parameters.seed');
  const context = parameter(machine, 'parameters.context');
  const version = parameter(machine, 'prompt.template_version');
  const hash = parameter(machine, 'prompt.template_hash');
  const formats = parameter(machine, 'response_formats');
  const runs = parameter(machine, 'runs');
  const run = parameter(machine, 'run');
  const units = parameter(machine, 'units');
  const coded = parameter(machine, 'coded_units');
  const first = parameter(machine, 'answers.first');
  const last = parameter(machine, 'answers.last');
  const contextWords =
    context === undefined || context === '0'
      ? 'the unit alone'
      : `the unit with ${counted(Number(context), 'neighbouring unit')} on each side as context`;
  return [
    [
      { code: machine.coder },
      ` codes units with a large language model: ${requested === undefined ? 'a model not recorded' : `the model requested as ${requested}`}${named === undefined || named === requested ? '' : ` (named ${named} by the server)`}${host === undefined || host === 'null' ? '' : `, served at ${host}`}.`,
    ],
    [
      `Its prompt gives the codebook's codes with their definitions, rules and examples, and ${contextWords}; the answer is a list of code ids${formats === undefined ? '' : ` (response format: ${formats})`}, checked against the codebook and asked again when it is not valid.`,
    ],
    [
      `Temperature ${temperature ?? 'not recorded'}, seed ${seed ?? 'not recorded'}; prompt template ${version === undefined ? '' : `version ${version}, `}SHA-256 ${hash === undefined ? 'not recorded' : hash.slice(0, 12)}.`,
    ],
    runs === undefined || Number(runs) <= 1
      ? []
      : [
          `This is run ${run ?? '?'} of ${runs}: the runs' agreement with each other is the model's run-to-run stability.`,
        ],
    units === undefined || coded === undefined
      ? []
      : [
          `It answered for ${coded} of ${counted(Number(units), 'unit')}${first === undefined || first === 'null' ? '' : `, between ${first} and ${last}`}; every request and answer is kept in the study's cache, so the codes can be re-made without the server.`,
        ],
    [
      "Language models have matched or exceeded crowd workers on some annotation tasks (Gilardi, Alizadeh & Kubli 2023); whether this one does on this codebook is what its agreement with the study's coders below shows.",
    ],
  ];
}

function otherSentences(machine: MachineCoderReport): Inline[][] {
  const parameters = machine.provenance
    .filter(([name]) => name.startsWith('parameters.'))
    .map(([name, value]) => `${name.slice('parameters.'.length)} = ${value}`);
  return [
    [{ code: machine.coder }, ` is a machine coder of method ${machine.method}.`],
    parameters.length === 0 ? [] : [`Its recorded parameters: ${parameters.join('; ')}.`],
  ];
}

/** Per code, its κ and interval against each human coder. */
function agreementTable(doc: MethodsDocument, machine: MachineCoderReport, number: string): void {
  const header = [
    'Code',
    ...machine.comparisons.flatMap((comparison) => [`κ vs ${comparison.human}`, '95 % CI']),
  ];
  const codes = machine.comparisons[0]!.codes.map((code) => code.code);
  doc.table({
    number,
    caption: `Agreement of machine coder ${machine.coder} with each human coder, per code (Cohen's κ).`,
    label: `tab:methods-machine-${machine.coder}`,
    header,
    rows: codes.map((code) => [
      code,
      ...machine.comparisons.flatMap((comparison) => {
        const row = comparison.codes.find((entry) => entry.code === code);
        return [figure(row?.kappa ?? null), interval(row?.ci_low ?? null, row?.ci_high ?? null)];
      }),
    ]),
    align: header.map((_, index) => (index === 0 ? 'left' : 'right')),
    notes: [],
  });
}

function agreementSentences(machine: MachineCoderReport, table: Inline): Inline[][] {
  if (machine.comparisons.length === 0)
    return [
      [
        'No person coded a unit it coded, so its agreement with people is unknown: its codes are not validated.',
      ],
    ];
  return [
    [
      `Against the human coders on the units both coded, its pooled κ (De Vries et al. 2008) is ${joinWords(
        machine.comparisons.map(
          (comparison) =>
            `${figure(comparison.pooled_kappa)} with ${comparison.human} (${counted(comparison.n, 'unit')})`,
        ),
      )}; `,
      table,
      " gives Cohen's κ per code with its 95 % confidence interval (asymptotic SE of Fleiss, Cohen & Everitt 1969).",
    ],
  ];
}

function primarySentences(
  machine: MachineCoderReport,
  primary: (MachinePrimary & { label: string }) | undefined,
): Inline[][] {
  if (primary === undefined || primary.coder !== machine.coder)
    return [
      [
        primary === undefined
          ? "Its codes are not part of the final codes, which are people's."
          : 'Its codes are not part of the final codes.',
      ],
    ];
  const statistic =
    primary.definition === 'pooled'
      ? 'pooled κ (De Vries et al. 2008)'
      : "Cohen's κ on the nominal table (Cohen 1960)";
  return [
    [
      `It is the study's primary coder (coders.primary of coding.yaml): its codes are the final codes of the ${primary.machine_units} of the ${counted(primary.final_units, 'unit')} that no person coded, while a person's codes (adjudicated, agreed, or one coder's) stand wherever a person coded.`,
    ],
    primary.n === 0
      ? ['No person coded any unit it coded, so the machine codes in the final codes were never validated.']
      : [
          `Against the people's final codes on the ${counted(primary.n, 'unit')} both cover, its ${statistic} is ${figure(primary.kappa)}${primary.kappa === null && primary.reason !== undefined ? ` (${primary.reason})` : ''}.`,
        ],
    [`Every theme table says: “${primary.label}”.`],
  ];
}

/** The "Machine coders" section; nothing when the study has none. `cited` collects its citations. */
export function machineCodersSection(doc: MethodsDocument, data: ReportData, cited: Set<string>): void {
  const machines = data.machine_coders ?? [];
  if (machines.length === 0) return;
  doc.heading('Machine coders');
  cited.add('Grimmer et al. 2022');
  doc.paragraph(
    [
      `The study has ${counted(machines.length, 'machine coder')} (`,
      { code: 'coding autocode' },
      `): ${joinWords(machines.map((machine) => `${machine.coder} (${machine.method})`))}.`,
    ],
    [
      "A machine coder is a measuring instrument whose codes are trusted only as far as they agree with people's coding of the same units (Grimmer, Roberts & Stewart 2022), so its agreement with the human coders is reported below; its codes, its method and parameters are in the annotations folder (NAME.csv, NAME.autocode.json).",
    ],
  );
  machines.forEach((machine, index) => {
    const number = `M${index + 1}`;
    const table: Inline = { table: number, label: `tab:methods-machine-${machine.coder}` };
    const what =
      machine.method === 'dictionary'
        ? dictionarySentences(machine)
        : machine.method === 'model'
          ? modelSentences(machine)
          : machine.method === 'llm'
            ? llmSentences(machine, cited)
            : otherSentences(machine);
    if (machine.comparisons.length > 0)
      cited.add('Fleiss et al. 1969').add('De Vries et al. 2008').add('Cohen 1960');
    if (data.machine_primary?.coder === machine.coder && data.machine_primary.n > 0)
      cited.add(data.machine_primary.definition === 'pooled' ? 'De Vries et al. 2008' : 'Cohen 1960');
    doc.paragraph(...what);
    doc.paragraph(...agreementSentences(machine, table), ...primarySentences(machine, data.machine_primary));
    if (machine.comparisons.length > 0) agreementTable(doc, machine, number);
  });
}
