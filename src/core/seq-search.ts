/** @module core/seq-search — binary search over items kept sorted by their `seq` (stream records, buffered chunks). */

/** The index of the first item with `seq >= seq`; `items.length` when there is none. */
export function firstAtOrAbove(items: ReadonlyArray<{ readonly seq: number }>, seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((items[mid] as { readonly seq: number }).seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
