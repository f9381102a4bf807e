import { closeSync, mkdtempSync, openSync, readSync, rmSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Column = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
type ColumnType = new (buffer: ArrayBuffer, offset: number, length: number) => Column;

/** A typed array of a spilled value: where its bytes lie in the file. */
class SpilledColumn {
  constructor(
    readonly type: ColumnType,
    readonly at: number,
    readonly bytes: number,
  ) {}
}

/** A spilled value: its typed arrays in the file, the rest (small: counts, names) in memory. */
export interface SpillPlace {
  skeleton: unknown;
  bytes: number;
}

/**
 * A file of values written once and read back rarely: the window states the main thread has settled and
 * let go (see RuleRunner.settleWindows), kept in case lines arrive later near them. A value is plain data;
 * its typed arrays (the lookups' instants, positions and BSNs, the bulk of it) go to the file as they are,
 * the rest stays in memory. Written in batches (`flush`), a write per settling pass: V8's serializer took
 * twice the time and bytes. The file is private (mode 600, in a folder of mode 700 of its own) and
 * removed by `close`. Its folder is made in `parent`: the command gives the run's staging folder beside the
 * output folder (see createStagingFolder), so that the spill lies on the disk meant for the outputs and
 * goes with the staging folder of a run that was killed; without a parent, in the machine's temp folder.
 */
export class Spill {
  #folder: string | null = null;
  #file = -1;
  #size = 0;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #failed = false;

  constructor(private readonly parent?: string) {}

  /** Whether values can be spilled: the file is made on the first call; false when it cannot be. */
  ready(): boolean {
    if (this.#file >= 0) return true;
    if (this.#failed) return false;
    try {
      this.#folder = mkdtempSync(this.parent === undefined ? join(tmpdir(), 'suwinet-audit-') : join(this.parent, '.settled-windows-'));
      this.#file = openSync(join(this.#folder, 'settled-windows'), 'w+', 0o600);
      return true;
    } catch {
      this.close();
      this.#failed = true;
      return false;
    }
  }

  /** The spill file, while it exists (for tests). */
  get path(): string | null {
    return this.#folder === null ? null : join(this.#folder, 'settled-windows');
  }

  /** Adds a value, written at the next `flush`; call `ready` first. */
  put(value: unknown): SpillPlace {
    const before = this.#pendingBytes;
    const skeleton = this.#strip(value);
    return { skeleton, bytes: this.#pendingBytes - before };
  }

  #strip(value: unknown): unknown {
    if (ArrayBuffer.isView(value)) {
      const column = value as Column;
      const at = this.#size + this.#pendingBytes;
      this.#pending.push(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
      this.#pendingBytes += column.byteLength;
      return new SpilledColumn(column.constructor as ColumnType, at, column.byteLength);
    }
    if (Array.isArray(value)) return value.map((item) => this.#strip(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.#strip(item)]));
    }
    return value;
  }

  flush(): void {
    if (this.#pending.length === 0) return;
    // One write of the columns as they are (libuv writes them all, IOV_MAX at a time): joining them into
    // one buffer first copied every settled lookup once more.
    const written = writevSync(this.#file, this.#pending, this.#size);
    if (written !== this.#pendingBytes) throw new Error(`wrote ${written} of ${this.#pendingBytes} bytes to the spill file`);
    this.#size += written;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Reads a value back. */
  take(place: SpillPlace): unknown {
    this.flush();
    return this.#fill(place.skeleton);
  }

  #fill(value: unknown): unknown {
    if (value instanceof SpilledColumn) {
      const { at, bytes, type } = value;
      // Read into a buffer of its own, which is aligned for any type.
      const data = new Uint8Array(bytes);
      for (let read = 0; read < bytes; ) {
        const got = readSync(this.#file, data, read, bytes - read, at + read);
        if (got === 0) throw new Error(`the spill file ended at ${at + read} of ${at + bytes} bytes`);
        read += got;
      }
      return new type(data.buffer, 0, bytes / (type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
    }
    if (Array.isArray(value)) return value.map((item) => this.#fill(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.#fill(item)]));
    }
    return value;
  }

  /** Closes and removes the file; the spill can be used again afterwards. */
  close(): void {
    if (this.#file >= 0) closeSync(this.#file);
    if (this.#folder !== null) rmSync(this.#folder, { recursive: true, force: true });
    this.#file = -1;
    this.#folder = null;
    this.#size = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
