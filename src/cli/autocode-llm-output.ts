/** What `coding autocode --method llm` prints (a module of its own: src/cli/commands holds one file per command). */
import type { LlmCoderResult, LlmDryRun } from '../app/autocode/llm.js';
import { agreementJson } from '../app/autocode/llm-agreement.js';
import { count, renderTable, visibleBlock, visibleLine, writeErr, writeOut } from './output.js';

function fixed(value: number | null): string {
  return value === null ? 'undefined' : value.toFixed(3);
}

function printDryRun(result: LlmDryRun, format: string): void {
  if (format === 'json') {
    writeOut(
      `${JSON.stringify(
        {
          dry_run: true,
          model: result.model,
          coders: result.coders,
          unit_id: result.unitId,
          messages: result.messages,
          units: result.units,
          runs: result.runs,
          cache_hits: result.cacheHits,
          calls: result.calls,
          estimated_prompt_tokens: result.estimatedPromptTokens,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  for (const message of result.messages)
    writeOut(
      `── ${message.role}${message.role === 'user' ? ` (unit ${visibleLine(result.unitId)})` : ''} ──\n${visibleBlock(message.content)}\n\n`,
    );
  writeOut(
    `${count(result.units, 'unit')} × ${count(result.runs, 'run')}: ${count(result.cacheHits, 'answer')} in the cache, ${count(result.calls, 'request')} to make, about ${result.estimatedPromptTokens} prompt tokens (an estimate: four characters a token; answers add a few tokens each)\n`,
  );
  writeErr('dry run: nothing was sent and nothing written\n');
}

function resultJson(result: LlmCoderResult): unknown {
  return {
    method: 'llm',
    model: result.model,
    endpoint_host: result.endpointHost,
    calls: result.calls,
    cache_hits: result.cacheHits,
    prompt_tokens: result.promptTokens,
    completion_tokens: result.completionTokens,
    response_format: result.responseFormat,
    runs: result.runs.map((run) => ({
      coder: run.coder,
      run: run.run,
      seed: run.seed,
      file: run.file ?? null,
      backup: run.backup ?? null,
      units: run.units,
      coded_units: run.codedUnits,
      failed_units: run.failedUnits,
      codes: run.perCode,
      agreement: run.agreement.map(agreementJson),
    })),
    failures: result.failures.map((failure) => ({
      unit_id: failure.unitId,
      run: failure.run,
      problem: failure.problem,
    })),
    stability: result.stability
      ? {
          coders: result.stability.coders,
          n: result.stability.n,
          alpha: result.stability.alpha,
          fleiss_kappa: result.stability.fleissKappa,
          codes: result.stability.codes.map((code) => ({
            code: code.code,
            alpha: code.alpha,
            fleiss_kappa: code.fleissKappa,
          })),
        }
      : null,
  };
}

function printTable(result: LlmCoderResult): void {
  const first = result.runs[0]!;
  const humans = first.agreement;
  writeOut(
    renderTable(
      [
        'code',
        ...result.runs.map((run) => (result.runs.length === 1 ? 'units' : `units ${run.coder}`)),
        ...humans.map((row) => `κ ${row.human}`),
        ...(result.stability ? ['α runs'] : []),
      ],
      first.perCode.map((row, index) => [
        row.code,
        ...result.runs.map((run) => run.perCode[index]!.units),
        ...humans.map((human) => fixed(human.codes[index]!.kappa)),
        ...(result.stability ? [fixed(result.stability.codes[index]!.alpha)] : []),
      ]),
      {
        right: new Set(
          Array.from(
            { length: result.runs.length + humans.length + (result.stability ? 1 : 0) },
            (_, index) => index + 1,
          ),
        ),
      },
    ),
  );
}

/** Print the coder's result; returns the exit code (1 when units failed). */
export function printLlm(result: LlmCoderResult | LlmDryRun, format: string): number {
  if (result.dryRun) {
    printDryRun(result, format);
    return 0;
  }
  if (format === 'json') writeOut(`${JSON.stringify(resultJson(result), null, 2)}\n`);
  else printTable(result);
  if (result.tornCacheLine)
    writeErr(
      'note: the last line of the cache was torn (a run was killed while writing it); it was asked for again\n',
    );
  if (result.formatFallback)
    writeErr(
      `note: the server rejected the JSON schema response format (${visibleLine(result.formatFallback)}); the run asked for plain JSON instead and checked the codes itself\n`,
    );
  const host = result.endpointHost === null ? 'the cache' : visibleLine(result.endpointHost);
  writeErr(
    `llm coder (${visibleLine(result.model)} at ${host}): ${count(result.calls, 'request')} made, ${count(result.cacheHits, 'answer')} from the cache; ${result.promptTokens} prompt and ${result.completionTokens} completion tokens now\n`,
  );
  for (const run of result.runs) {
    writeErr(
      `${visibleLine(run.coder)}: ${run.codedUnits} of ${count(run.units, 'unit')} coded${run.failedUnits > 0 ? `, ${run.failedUnits} failed` : ''}${run.file ? ` → ${visibleLine(run.file)}` : ' (nothing written)'}\n`,
    );
    for (const row of run.agreement)
      writeErr(
        `  pooled κ against ${visibleLine(row.human)}: ${fixed(row.pooledKappa)} on ${count(row.n, 'unit')}\n`,
      );
    if (run.backup) writeErr(`  the previous codes are in ${visibleLine(run.backup)}\n`);
  }
  if (result.stability)
    writeErr(
      `run-to-run stability over ${result.stability.n} units: Krippendorff's α ${fixed(result.stability.alpha)}, Fleiss' κ ${fixed(result.stability.fleissKappa)} (pooled over codes)\n`,
    );
  if (result.failures.length === 0) return 0;
  for (const failure of result.failures.slice(0, 10))
    writeErr(
      `failed: unit ${visibleLine(failure.unitId)} (run ${failure.run}): ${visibleLine(failure.problem)}\n`,
    );
  if (result.failures.length > 10) writeErr(`… and ${result.failures.length - 10} more\n`);
  writeErr(
    `${count(result.failures.length, 'answer')} failed; those units are not in the annotations (not reviewed). Run the same command again: the answers received are in the cache, only the failed units are asked for.\n`,
  );
  return 1;
}
