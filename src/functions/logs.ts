/**
 * @module functions/logs — each function's recent log (the `START` … `REPORT` block of every invocation),
 * kept in memory up to `maxBytesPerFunction`, numbered so a reader can ask for what came after the last
 * block it saw (`hako functions logs --follow` long-polls `/hako/functions/<name>/logs?after=N&wait=S`).
 */

export interface LogBlock {
  functionName: string;
  /** Increases by one per block, across all functions. */
  seq: number;
  /** Epoch ms when the invocation ended. */
  time: number;
  text: string;
}

export class FunctionLogs {
  readonly #blocks = new Map<string, { blocks: LogBlock[]; bytes: number }>();
  readonly #listeners = new Set<(block: LogBlock) => void>();
  readonly #maxBytes: number;
  #seq = 0;

  constructor(maxBytesPerFunction = 1024 * 1024) {
    this.#maxBytes = maxBytesPerFunction;
  }

  append(functionName: string, text: string, time = Date.now()): void {
    let entry = this.#blocks.get(functionName);
    if (entry === undefined) this.#blocks.set(functionName, (entry = { blocks: [], bytes: 0 }));
    const block = { functionName, seq: ++this.#seq, time, text };
    entry.blocks.push(block);
    entry.bytes += text.length;
    while (entry.bytes > this.#maxBytes && entry.blocks.length > 1) entry.bytes -= (entry.blocks.shift() as LogBlock).text.length;
    for (const listener of this.#listeners) listener(block);
  }

  /** The function's blocks after `after` (all of them by default), oldest first. */
  read(functionName: string, after = 0): readonly LogBlock[] {
    return (this.#blocks.get(functionName)?.blocks ?? []).filter((block) => block.seq > after);
  }

  /** Blocks after `after`; when there are none yet, waits up to `waitMs` for the next one. */
  async readOrWait(functionName: string, after: number, waitMs: number): Promise<readonly LogBlock[]> {
    const now = this.read(functionName, after);
    if (now.length > 0 || waitMs <= 0) return now;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve([]);
      }, waitMs);
      const unsubscribe = this.subscribe((block) => {
        if (block.functionName !== functionName || block.seq <= after) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(this.read(functionName, after));
      });
    });
  }

  forget(functionName: string): void {
    this.#blocks.delete(functionName);
  }

  subscribe(listener: (block: LogBlock) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
