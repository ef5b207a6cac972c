/**
 * @module functions/runtime/log-marker — the line a runtime writes to stdout and stderr when an
 * invocation's output is complete, before it posts the result. The environment resolves an invocation only
 * once the result and both markers have arrived, so every line the function wrote lands in that
 * invocation's log (and in its `Tail`), although pipes and the Runtime API socket are read independently.
 */

/** `\x1e` (record separator) keeps the marker from ever being mistaken for a line a function printed. */
export const END_OF_INVOCATION = '\x1ehako:end-of-invocation:';

export function endMarker(requestId: string): string {
  return `${END_OF_INVOCATION}${requestId}\n`;
}
