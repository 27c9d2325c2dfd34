/**
 * The documents an import reads, as they come: each is built (checked, segmented), compared with
 * what the corpus holds under its id, and either written to a scratch file (new), counted
 * (unchanged), or kept to be rewritten in place (changed text or metadata).
 */
import { ControlCharacterWarnings } from '../core/control-characters.js';
import {
  type BuiltDocument,
  buildDocument,
  type DocumentInput,
  freshUnits,
  metadataSignature,
} from '../core/documents.js';
import { sha256 } from '../core/hash.js';
import type { SegmentOptions } from '../core/segment.js';
import { type Finding, InputError } from '../errors.js';
import type { AtomicWriteStream } from '../io/atomic.js';
import { serializeDocument, serializeUnit } from '../io/corpus-store.js';
import { type DocumentLedger, hash52 } from './document-ledger.js';
import type { IngestOptions } from './import-documents.js';

/** How many findings are collected before the import stops reading (a broken million-row file). */
export const maxFindings = 100;

/** Documents and units read so far: new ones go straight to scratch files, the rest are compared. */
export class Intake {
  readonly findings: Finding[] = [];
  readonly warnings: Finding[] = [];
  /** Documents to rewrite in place: text changed, or metadata changed (`metadataUpdated`). */
  readonly replaced = new Map<string, BuiltDocument>();
  readonly metadataUpdated: string[] = [];
  readonly counts = { added: 0, unchanged: 0, unitsAdded: 0, unitsUnchanged: 0 };
  private readonly controlCharacters = new ControlCharacterWarnings();
  private read = 0;

  constructor(
    private readonly ledger: DocumentLedger,
    readonly scratch: { documents: AtomicWriteStream; units: AtomicWriteStream },
    private readonly options: IngestOptions,
    private readonly segmentOptions: SegmentOptions,
  ) {}

  /** A document from the producer: checked, compared with the corpus by id and text, kept. */
  readonly accept = async (input: DocumentInput): Promise<void> => {
    this.read++;
    if (this.options.progress && this.read % 10000 === 0) this.options.progress(this.read);
    const built = buildDocument(input, this.options.metadata, this.segmentOptions);
    this.findings.push(...built.findings);
    const document = built.document;
    if (!document) return;
    const { record } = document;
    const textHash = hash52(record.hash);
    const { earlier, old } = this.ledger.visit(record.id, textHash, input.location);
    if (earlier) {
      if (earlier.textHash === textHash) {
        this.warnings.push({
          code: 'DUPLICATE_DOCUMENT',
          severity: 'warning',
          ...input.location,
          message: `document "${record.id}" was already read from ${earlier.origin} with the same text; imported once`,
        });
      } else {
        this.findings.push({
          code: 'DUPLICATE_ID',
          severity: 'error',
          ...input.location,
          message: `document id "${record.id}" is also used by ${earlier.origin}, with different text`,
        });
      }
      return;
    }
    this.controlCharacters.add(record, document.spans, input.location);
    if (!old) {
      this.counts.added++;
      this.counts.unitsAdded += document.spans.length;
      await this.scratch.documents.write(serializeDocument(record));
      for (const unit of freshUnits(record.id, document.spans))
        await this.scratch.units.write(serializeUnit(unit));
      return;
    }
    if (old.textHash === textHash && old.unit === record.unit) {
      this.counts.unchanged++;
      this.counts.unitsUnchanged += document.spans.length;
      if (old.metadataHash !== hash52(sha256(metadataSignature(record)))) {
        this.metadataUpdated.push(record.id);
        this.replaced.set(record.id, document);
      }
      return;
    }
    this.replaced.set(record.id, document);
  };

  /** Stop reading: enough problems to show. */
  readonly stopped = (): boolean => this.findings.length >= maxFindings;

  /** The warnings, with those about control characters last. */
  allWarnings(): Finding[] {
    return [...this.warnings, ...this.controlCharacters.findings()];
  }

  async abort(): Promise<void> {
    await this.scratch.documents.abort();
    await this.scratch.units.abort();
  }

  /** Refuse the import: the scratch files go, the corpus is untouched. */
  async fail(summary: string, hint?: string): Promise<never> {
    await this.abort();
    throw new InputError(summary, {
      findings: this.findings.slice(0, maxFindings),
      ...(hint ? { hint } : {}),
    });
  }
}
