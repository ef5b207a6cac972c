/**
 * @module bench/load/frame-reader — splits a byte stream into MQTT frames without decoding them.
 *
 * Reads only the fixed header (first byte + remaining length) and hands each complete frame to a callback
 * as offsets into the chunk, so the hot path allocates nothing unless a frame straddles two chunks.
 */

/**
 * Called once per complete frame: `first` is the fixed header's first byte, the body is `buf[start, end)`.
 * Returning `false` stops the scan after this frame (used to hand the stream over to another reader).
 */
export type FrameHandler = (first: number, buf: Buffer, start: number, end: number) => boolean | void;

/** Thrown when the remaining-length field is longer than the four bytes MQTT allows. */
export class MalformedFrameError extends Error {
  override readonly name = 'MalformedFrameError';
}

export class FrameReader {
  #rest: Buffer | null = null;
  readonly #onFrame: FrameHandler;

  constructor(onFrame: FrameHandler) {
    this.#onFrame = onFrame;
  }

  /** Bytes buffered from an incomplete frame. */
  get pending(): number {
    return this.#rest === null ? 0 : this.#rest.length;
  }

  /**
   * Feeds one chunk and calls the handler for every frame it completes. If the handler stopped the scan,
   * returns the bytes after that frame (the reader keeps nothing); otherwise returns null.
   */
  push(chunk: Buffer): Buffer | null {
    const buf = this.#rest === null ? chunk : Buffer.concat([this.#rest, chunk]);
    this.#rest = null;
    const scan = scanFrames(buf, this.#onFrame);
    if (scan.stopped) return buf.subarray(scan.consumed);
    if (scan.consumed < buf.length) this.#rest = buf.subarray(scan.consumed);
    return null;
  }
}

export interface Scan {
  /** Bytes spanned by the frames handled; what follows is an incomplete frame unless `stopped`. */
  consumed: number;
  stopped: boolean;
}

/** Calls `onFrame` for each complete frame in `buf`, until the buffer ends or the handler returns false. */
export function scanFrames(buf: Buffer, onFrame: FrameHandler): Scan {
  const len = buf.length;
  let pos = 0;
  while (pos + 2 <= len) {
    let remaining = 0;
    let multiplier = 1;
    let i = pos + 1;
    let byte: number;
    do {
      if (i >= len) return { consumed: pos, stopped: false };
      if (i - pos > 4) throw new MalformedFrameError('remaining length longer than 4 bytes');
      byte = buf[i++]!;
      remaining += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    } while (byte & 0x80);
    const end = i + remaining;
    if (end > len) return { consumed: pos, stopped: false };
    const more = onFrame(buf[pos]!, buf, i, end);
    pos = end;
    if (more === false) return { consumed: pos, stopped: true };
  }
  return { consumed: pos, stopped: false };
}
