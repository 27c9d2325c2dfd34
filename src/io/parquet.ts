/**
 * Parquet files written a row group at a time, so that memory holds one row group, not the
 * table: rows are gathered into columns, and every `rowGroupSize` rows the group is encoded
 * (hyparquet-writer, Snappy) and its bytes handed to a sink (a temporary file renamed at the end,
 * or standard output). The same rows give the same bytes: the footer names the tool and its
 * version, and holds no time.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';

/** The column types we write: Parquet's physical types with their logical annotation. */
export type ParquetColumnType = 'STRING' | 'INT32' | 'INT64' | 'BOOLEAN' | 'DATE' | 'DOUBLE';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  /** May hold nulls (Parquet OPTIONAL); otherwise REQUIRED. */
  nullable: boolean;
}

/** A cell: a string, a number (INT32, DOUBLE; DATE as days since 1970-01-01), a bigint (INT64), a boolean, or null. */
export type ParquetValue = string | number | bigint | boolean | null;

/** Where the encoded bytes go, in order. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

function schemaElement(column: ParquetColumn): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (column.type) {
    case 'STRING':
      return { name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
    case 'DATE':
      return { name: column.name, type: 'INT32', converted_type: 'DATE', repetition_type };
    default:
      return { name: column.name, type: column.type, repetition_type };
  }
}

/** A byte buffer that hands what it holds to the sink after each row group. */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: ByteSink) {
    super(1 << 20);
  }

  async flush(): Promise<void> {
    if (this.index === 0) return;
    // A copy: the buffer is written over by the next row group.
    const bytes = this.getBytes().slice();
    this.index = 0;
    await this.sink.write(bytes);
  }
}

/**
 * Cells per row group. The writer turns every text cell of a group into its own byte array before
 * encoding it, so memory (and garbage collection) grows with the cells of a group: 50,000 cells
 * keep the writer's share of a 1M-unit export near 100 MB (12,500 rows of the long layout, about
 * 2,300 of a wide one with 22 columns), and readers handle row groups of that size well.
 */
const cellsPerRowGroup = 50_000;

export function defaultRowGroupSize(columns: number): number {
  return Math.min(100_000, Math.max(1_000, Math.floor(cellsPerRowGroup / Math.max(1, columns))));
}

export interface ParquetStreamOptions {
  /** Rows per row group (default: 50,000 cells' worth, 1,000 to 100,000 rows): what memory holds at once. */
  rowGroupSize?: number;
  /** The footer's `created_by`, e.g. `coding 0.1.0`. */
  createdBy: string;
  /** Key-value pairs for the footer. */
  metadata?: Record<string, string>;
}

/** Write rows to a Parquet file through `sink`: `append` each row, then `close`. */
export class ParquetStreamWriter {
  private readonly writer: SinkWriter;
  private readonly parquet: ParquetWriter;
  private readonly rowGroupSize: number;
  private buffered: ParquetValue[][];
  private count = 0;
  rows = 0;

  constructor(
    sink: ByteSink,
    private readonly columns: readonly ParquetColumn[],
    options: ParquetStreamOptions,
  ) {
    this.rowGroupSize = options.rowGroupSize ?? defaultRowGroupSize(columns.length);
    this.writer = new SinkWriter(sink);
    this.parquet = new ParquetWriter({
      writer: this.writer,
      schema: [{ name: 'schema', num_children: columns.length }, ...columns.map(schemaElement)],
      codec: 'SNAPPY',
      createdBy: options.createdBy,
      kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    });
    this.buffered = columns.map(() => []);
  }

  /** Add a row (one value per column, in column order); writes a row group when one is full. */
  async append(row: readonly ParquetValue[]): Promise<void> {
    for (let column = 0; column < this.columns.length; column++) this.buffered[column]!.push(row[column]!);
    this.count++;
    this.rows++;
    if (this.count === this.rowGroupSize) await this.writeGroup();
  }

  private async writeGroup(): Promise<void> {
    if (this.count === 0) return;
    const columnData = this.columns.map((column, index) => ({
      name: column.name,
      data: this.buffered[index]!,
      nullable: column.nullable,
    }));
    this.buffered = this.columns.map(() => []);
    const size = this.count;
    this.count = 0;
    await this.parquet.write({ columnData, rowGroupSize: size });
  }

  /** Write the last row group and the footer. */
  async close(): Promise<void> {
    await this.writeGroup();
    await this.parquet.finish();
    await this.writer.flush();
  }
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a calendar date `YYYY-MM-DD`, or undefined if it is not one (2025-02-30). */
export function daysSinceEpoch(date: string): number | undefined {
  const match = isoDate.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  return time / 86_400_000;
}
