/**
 * The adjudication page's side of `coding serve`: the disagreements between the two coders, and
 * decisions saved exactly as `coding adjudicate` saves them (`openAdjudication`, `codesForDecision`,
 * `decide`: one atomic rewrite of `annotations/adjudication.csv` per decision). Each request reads
 * the files afresh, and each decision is taken under the workspace write lock, so decisions made
 * meanwhile by `coding adjudicate` in a terminal are neither lost nor overwritten by a stale copy.
 */
import { UsageError } from '../../errors.js';
import { withWorkspaceLock } from '../../io/workspace-lock.js';
import { type Decision, decisions } from '../../schema/adjudication.js';
import { type AdjudicationSession, codesForDecision, openAdjudication } from '../adjudicate.js';
import { type PageCodebook, pageCodebook, pageLine, pageText } from './coder-channel.js';

export interface AdjudicationState {
  coderA: string;
  coderB: string;
  by: string;
  file: string;
  codebook: PageCodebook;
  disagreements: Array<{
    unit: string;
    document: string;
    before: string;
    text: string;
    after: string;
    codesA: string[];
    codesB: string[];
    decided: { decision: Decision; codes: string[]; rationale: string; by: string; at: string } | null;
  }>;
}

export interface AdjudicationRequest {
  unit: string;
  decision: Decision;
  /** The final codes of an `edit` decision. */
  codes?: string[];
  rationale: string;
}

export class AdjudicationChannel {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      workspaceRoot: string;
      coders?: string[] | undefined;
      by: string;
      now?: () => Date;
    },
  ) {}

  get by(): string {
    return this.options.by;
  }

  /** The study's disagreements; throws a UsageError when it has no two coders to compare. */
  open(): Promise<AdjudicationSession> {
    return openAdjudication({
      cwd: this.options.workspaceRoot,
      workspace: this.options.workspaceRoot,
      coders: this.options.coders,
    });
  }

  async state(): Promise<AdjudicationState> {
    return stateOf(await this.open(), this.options.by);
  }

  /**
   * Check and save one decision; resolves once `annotations/adjudication.csv` holds it.
   * @throws UsageError for a decision that cannot be taken (with the reason, for the page)
   */
  decide(request: AdjudicationRequest): Promise<AdjudicationState> {
    const run = this.queue.then(() =>
      withWorkspaceLock(this.options.workspaceRoot, 'coding serve (an adjudication decision)', async () => {
        const session = await this.open();
        const disagreement = session.disagreements.find((candidate) => candidate.unitId === request.unit);
        if (disagreement === undefined)
          throw new UsageError(
            `unit ${pageLine(request.unit)} is not a disagreement between ${session.coderA} and ${session.coderB} (any more)`,
          );
        if (!(decisions as readonly string[]).includes(request.decision))
          throw new UsageError(`"${pageLine(String(request.decision))}" is not a decision`);
        const { codes, problems } = codesForDecision(
          request.decision,
          disagreement,
          request.codes ?? [],
          session.set.codebook,
        );
        if (problems.length > 0) throw new UsageError(problems.join('; '));
        const now = (this.options.now ?? (() => new Date()))();
        await session.decide({
          unitId: disagreement.unitId,
          decision: request.decision,
          codes,
          coderA: session.coderA,
          coderB: session.coderB,
          decidedBy: this.options.by,
          decidedAt: now.toISOString().replace(/\.\d+Z$/, 'Z'),
          rationale: request.rationale.trim(),
        });
        return stateOf(session, this.options.by);
      }),
    );
    this.queue = run.catch(() => {});
    return run;
  }
}

function stateOf(session: AdjudicationSession, by: string): AdjudicationState {
  return {
    coderA: pageLine(session.coderA),
    coderB: pageLine(session.coderB),
    by: pageLine(by),
    file: pageLine(session.shownAs),
    codebook: pageCodebook(session.set.codebook),
    disagreements: session.disagreements.map((disagreement) => {
      const record = session.decided.get(disagreement.unitId);
      return {
        unit: pageLine(disagreement.unitId),
        document: pageLine(disagreement.docId),
        before: pageText(disagreement.before),
        text: pageText(disagreement.text),
        after: pageText(disagreement.after),
        codesA: disagreement.codesA,
        codesB: disagreement.codesB,
        decided:
          record === undefined
            ? null
            : {
                decision: record.decision,
                codes: record.codes,
                rationale: pageLine(record.rationale),
                by: pageLine(record.decidedBy),
                at: record.decidedAt,
              },
      };
    }),
  };
}
