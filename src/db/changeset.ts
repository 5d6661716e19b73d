/**
 * Which rows a write changed, from SQLite's session extension: node:sqlite records a
 * changeset while a job runs (only for cenvs someone is listening to), and this reads out of
 * it, per table, the primary keys of the rows inserted, updated or deleted. The event stream
 * then re-reads those rows as each subscriber (src/events).
 *
 * The session records net changes of committed work only (a row inserted and deleted in one
 * job is not there; a rolled-back transaction leaves nothing). Tables without a PRIMARY KEY
 * are not recorded by SQLite at all.
 *
 * Format (sqlite.org/sessionintro, "changeset format"): per table a header ('T', column count
 * as a varint, one PK flag byte per column, the NUL-terminated name), then records: the op
 * (18 insert, 23 update, 9 delete), an "indirect" byte, and records of values — the new row
 * for an insert, the old one for a delete, old then new for an update. A value is a type
 * byte (0 absent, 1 integer, 2 real, 3 text, 4 blob, 5 null) and its bytes.
 */

export type ChangeOp = 'insert' | 'update' | 'delete';
export type KeyValue = bigint | number | string | Uint8Array | null;

export interface TableChanges {
  table: string;
  /** Indexes (in column order) of the primary-key columns. */
  pkColumns: number[];
  changes: Array<{ op: ChangeOp; key: KeyValue[] }>;
}

const OPS: Record<number, ChangeOp> = { 18: 'insert', 23: 'update', 9: 'delete' };
const decoder = new TextDecoder();

class Reader {
  at = 0;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('changeset ends early');
    return this.bytes[this.at++];
  }

  /** SQLite's varint: big-endian groups of 7 bits, the 9th byte whole. */
  varint(): number {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const b = this.byte();
      if (i === 8) return value * 256 + b;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    return value;
  }

  take(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Error('changeset ends early');
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }

  cstring(): string {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0) throw new Error('changeset table name is not terminated');
    const text = decoder.decode(this.bytes.subarray(this.at, end));
    this.at = end + 1;
    return text;
  }

  /** One value; `undefined` for "absent" (a column an update left alone). */
  value(): KeyValue | undefined {
    const type = this.byte();
    switch (type) {
      case 0: return undefined;
      case 1: {
        this.take(8);
        const big = this.view.getBigInt64(this.at - 8);
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      case 2:
        this.take(8);
        return this.view.getFloat64(this.at - 8);
      case 3: return decoder.decode(this.take(this.varint()));
      case 4: return this.take(this.varint()).slice();
      case 5: return null;
      default: throw new Error(`unknown changeset value type ${type}`);
    }
  }

  record(columns: number): Array<KeyValue | undefined> {
    const values: Array<KeyValue | undefined> = [];
    for (let i = 0; i < columns; i++) values.push(this.value());
    return values;
  }
}

/**
 * Reads the primary keys of every changed row of a changeset (not a patchset).
 * @example parseChangeset(session.changeset()) // [{ table: 'posts', pkColumns: [0], changes: [{ op: 'insert', key: [7] }] }]
 */
export function parseChangeset(bytes: Uint8Array): TableChanges[] {
  const reader = new Reader(bytes);
  const tables: TableChanges[] = [];
  let current: TableChanges | null = null;
  let columns = 0;
  while (!reader.done) {
    const marker = reader.byte();
    if (marker === 0x54) {
      columns = reader.varint();
      const flags = [...reader.take(columns)];
      current = { table: reader.cstring(), pkColumns: flags.flatMap((f, i) => (f ? [i] : [])), changes: [] };
      tables.push(current);
      continue;
    }
    const op = OPS[marker];
    if (!op || !current) throw new Error(`unexpected byte ${marker} in a changeset`);
    reader.byte(); // indirect
    const first = reader.record(columns);
    if (op === 'update') reader.record(columns);
    current.changes.push({ op, key: current.pkColumns.map((i) => first[i] ?? null) });
  }
  return tables;
}
