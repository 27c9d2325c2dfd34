import os from 'node:os';
import { createInterface } from 'node:readline';
import chalk from 'chalk';
import type { Command } from 'commander';
import {
  type AdjudicationSession,
  adjudicateFromFile,
  adjudicationStatus,
  codesForDecision,
  type Disagreement,
  openAdjudication,
} from '../../app/adjudicate.js';
import type { Decision } from '../../schema/adjudication.js';
import { addWorkspaceOption, parseList, writesWorkspace } from '../common.js';
import { count, printFinding, visibleLine, writeErr, writeOut } from '../output.js';

function defaultDecider(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

function describeCodes(codes: string[]): string {
  return codes.length === 0 ? chalk.dim('(no code)') : visibleLine(codes.join(' '));
}

function showDisagreement(
  session: AdjudicationSession,
  disagreement: Disagreement,
  position: number,
  total: number,
): void {
  const { codebook } = session.set;
  const lines = [
    '',
    chalk.bold(`[${position}/${total}] ${visibleLine(disagreement.unitId)}`),
    ...(disagreement.before ? [chalk.dim(`  … ${visibleLine(disagreement.before)}`)] : []),
    `  ${chalk.bold(visibleLine(disagreement.text))}`,
    ...(disagreement.after ? [chalk.dim(`  … ${visibleLine(disagreement.after)}`)] : []),
    `  ${chalk.cyan(`a ${visibleLine(session.coderA)}:`)} ${describeCodes(disagreement.codesA)}`,
    `  ${chalk.cyan(`b ${visibleLine(session.coderB)}:`)} ${describeCodes(disagreement.codesB)}`,
  ];
  const differing = [...new Set([...disagreement.codesA, ...disagreement.codesB])].filter(
    (code) => !(disagreement.codesA.includes(code) && disagreement.codesB.includes(code)),
  );
  for (const id of differing) {
    const code = codebook.codeById.get(id);
    if (!code) continue;
    lines.push(`  ${chalk.yellow(id)} ${visibleLine(code.label)}: ${visibleLine(code.definition ?? '')}`);
    if (code.include) lines.push(chalk.dim(`    use when: ${visibleLine(code.include)}`));
    if (code.exclude) lines.push(chalk.dim(`    not when: ${visibleLine(code.exclude)}`));
  }
  writeErr(`${lines.join('\n')}\n`);
}

async function interactive(session: AdjudicationSession, by: string, all: boolean): Promise<void> {
  const pending = session.disagreements.filter(
    (disagreement) => all || !session.decided.has(disagreement.unitId),
  );
  if (pending.length === 0) {
    writeErr('every disagreement is decided; nothing to do (use --all to revisit them)\n');
    return;
  }
  // Lines are read through one buffered iterator, so answers piped in all at once are not lost.
  const prompt = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = prompt[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string | undefined> => {
    writeErr(question);
    const next = await lines.next();
    if (process.stdin.isTTY !== true) writeErr('\n');
    return next.done ? undefined : next.value.trim();
  };
  const keys: Record<string, Decision> = { a: 'a', b: 'b', o: 'both', n: 'neither', e: 'edit' };
  let saved = 0;
  try {
    for (const [index, disagreement] of pending.entries()) {
      showDisagreement(session, disagreement, index + 1, pending.length);
      let decision: Decision | undefined;
      let codes: string[] = [];
      for (;;) {
        const answer = await ask(
          `decide: [a] ${visibleLine(session.coderA)}  [b] ${visibleLine(session.coderB)}  [o] both  [n] neither  [e] edit  [s] skip  [q] quit > `,
        );
        if (answer === undefined || answer === 'q') return;
        if (answer === 's') break;
        decision = keys[answer.toLowerCase()];
        if (!decision) {
          writeErr('type a, b, o, n, e, s or q\n');
          continue;
        }
        let edited: string[] = [];
        if (decision === 'edit') {
          const typed = await ask('final codes, separated by spaces (empty: no code) > ');
          if (typed === undefined) return;
          edited = typed.split(/[\s,;]+/).filter((code) => code !== '');
        }
        const checked = codesForDecision(decision, disagreement, edited, session.set.codebook);
        if (checked.problems.length > 0) {
          for (const problem of checked.problems)
            writeErr(`${chalk.red('not saved:')} ${visibleLine(problem)}\n`);
          decision = undefined;
          continue;
        }
        codes = checked.codes;
        break;
      }
      if (!decision) continue;
      const rationale = await ask('why (optional) > ');
      if (rationale === undefined) return;
      await session.decide({
        unitId: disagreement.unitId,
        decision,
        codes,
        coderA: session.coderA,
        coderB: session.coderB,
        decidedBy: by,
        decidedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        rationale,
      });
      saved++;
      writeErr(
        chalk.green(`saved: ${disagreement.unitId} → ${visibleLine(codes.join(' ')) || '(no code)'}\n`),
      );
    }
  } finally {
    prompt.close();
    const status = adjudicationStatus(session);
    writeErr(
      `${saved} decision${saved === 1 ? '' : 's'} saved to ${session.shownAs}; ${status.pending} of ${count(status.disagreements, 'disagreement')} still open\n`,
    );
  }
}

export function registerAdjudicate(program: Command): void {
  const command = program
    .command('adjudicate')
    .description("settle the two coders' disagreements, one decision per unit, saved as it is made")
    .option('--coders <a,b>', 'the two coders (default: from coding.yaml)', parseList)
    .option(
      '--from <file>',
      'take the decisions from a CSV file: unit_id,decision[,codes][,rationale][,decided_by]',
    )
    .option('--by <name>', 'who decides (recorded with each decision)', defaultDecider())
    .option('--replace', 'with --from: change decisions taken before (the old file is backed up)')
    .option('--all', 'go through decided disagreements too')
    .option('--status', 'only say how many disagreements are decided and open');
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) => flags['status'] !== true);
  command.addHelpText(
    'after',
    `
Decisions: a (take coder A's codes), b (coder B's), both (their union), neither (no code applies),
edit (type the final codes). Each is written to annotations/adjudication.csv at once; stop any
time (q, Ctrl-D) and run the command again to go on.

Examples:
  coding adjudicate --by "Ana"
  coding adjudicate --from decisions.csv --by "Ana"
  coding adjudicate --status`,
  );
  command.action(
    async (flags: {
      workspace?: string;
      coders?: string[];
      from?: string;
      by: string;
      replace?: boolean;
      all?: boolean;
      status?: boolean;
    }) => {
      if (flags.from !== undefined) {
        const result = await adjudicateFromFile({
          cwd: process.cwd(),
          workspace: flags.workspace,
          coders: flags.coders,
          file: flags.from,
          by: flags.by,
          replace: flags.replace === true,
        });
        for (const warning of result.session.set.warnings) printFinding(warning);
        const status = adjudicationStatus(result.session);
        writeErr(
          `${result.added} new decision${result.added === 1 ? '' : 's'}, ${result.replaced} replaced, ${result.unchanged} unchanged → ${result.session.shownAs}` +
            `${result.backup ? ` (previous file in ${result.backup})` : ''}\n${status.pending} of ${count(status.disagreements, 'disagreement')} still open\n`,
        );
        return;
      }
      const session = await openAdjudication({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coders: flags.coders,
      });
      for (const warning of session.set.warnings) printFinding(warning);
      if (flags.status) {
        const status = adjudicationStatus(session);
        writeOut(
          `${count(status.disagreements, 'disagreement')} between ${visibleLine(session.coderA)} and ${visibleLine(session.coderB)}: ${status.decided} decided, ${status.pending} open\n`,
        );
        if (status.stale.length > 0)
          writeOut(
            `${status.stale.length} decision${status.stale.length === 1 ? ' concerns a unit that no longer disagrees' : 's concern units that no longer disagree'}: ${visibleLine(status.stale.join(', '))}\n`,
          );
        return;
      }
      await interactive(session, flags.by, flags.all === true);
    },
  );
}
