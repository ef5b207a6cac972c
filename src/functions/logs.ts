/**
 * @module functions/logs — each function's recent log (the `START` … `REPORT` block of every invocation),
 * kept in memory up to `maxBytesPerFunction` and readable by the API and CLI; listeners see each block as
 * it is appended (`hako functions logs --follow`).
 */

export interface LogBlock {
  functionName: string;
  /** Epoch ms when the invocation ended. */
  time: number;
  text: string;
}

export class FunctionLogs {
  readonly #blocks = new Map<string, { blocks: LogBlock[]; bytes: number }>();
  readonly #listeners = new Set<(block: LogBlock) => void>();
  readonly #maxBytes: number;

  constructor(maxBytesPerFunction = 1024 * 1024) {
    this.#maxBytes = maxBytesPerFunction;
  }

  append(functionName: string, text: string, time = Date.now()): void {
    let entry = this.#blocks.get(functionName);
    if (entry === undefined) this.#blocks.set(functionName, (entry = { blocks: [], bytes: 0 }));
    const block = { functionName, time, text };
    entry.blocks.push(block);
    entry.bytes += text.length;
    while (entry.bytes > this.#maxBytes && entry.blocks.length > 1) entry.bytes -= (entry.blocks.shift() as LogBlock).text.length;
    for (const listener of this.#listeners) listener(block);
  }

  /** The function's blocks, oldest first. */
  read(functionName: string): readonly LogBlock[] {
    return this.#blocks.get(functionName)?.blocks ?? [];
  }

  forget(functionName: string): void {
    this.#blocks.delete(functionName);
  }

  subscribe(listener: (block: LogBlock) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
