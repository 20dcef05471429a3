/** What a first pass over a data file found: the layer's shape, and how to fill it in the second. */
import type { EsriGeometry, GeometryType, LayerWriter, Literal } from '../plan.ts';
import type { InferredField } from './field-inference.ts';

export interface ScannedLayer {
  geometryType: GeometryType | null;
  fields: InferredField[];
  objectIdField: string;
  count: number;
}

export type Feature = { attributes: Record<string, Literal>; geometry: EsriGeometry | null };

/** Opens the file again from its start (the second pass). */
export type Open = () => AsyncIterable<Buffer>;

/** Collects features and hands them to the writer in batches; stops at a batch once aborted. */
export class Batcher {
  readonly #writer: LayerWriter;
  readonly #size: number;
  readonly #onBatch: (done: number) => void;
  readonly #signal: AbortSignal | undefined;
  #batch: Feature[] = [];
  done = 0;

  constructor(
    writer: LayerWriter,
    size: number,
    signal: AbortSignal | undefined,
    onBatch: (done: number) => void,
  ) {
    this.#writer = writer;
    this.#signal = signal;
    this.#size = size;
    this.#onBatch = onBatch;
  }

  async add(f: Feature): Promise<void> {
    this.#batch.push(f);
    if (this.#batch.length >= this.#size) await this.flush();
  }

  async flush(): Promise<void> {
    this.#signal?.throwIfAborted();
    if (this.#batch.length === 0) return;
    const b = this.#batch;
    this.#batch = [];
    await this.#writer.append(b);
    this.done += b.length;
    this.#onBatch(this.done);
  }
}
