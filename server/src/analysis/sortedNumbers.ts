// Binary search over an ascending list of numbers (chunk starts, line breaks, statement indexes).

/** How many values of ascending `list` are below `value` (`orEqual`: at or below it). */
export function countBelow(list: readonly number[], value: number, orEqual = false): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const at = list[middle] as number;
    if (at < value || (orEqual && at === value)) low = middle + 1;
    else high = middle;
  }
  return low;
}
