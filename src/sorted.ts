/**
 * Binary search over a predicate that is false, then true, along an array in
 * order (spans sorted by start, tokens by end): the first index where it holds,
 * or `length` when it never does.
 */
export function firstWhere(length: number, holds: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) hi = mid; else lo = mid + 1;
  }
  return lo;
}
