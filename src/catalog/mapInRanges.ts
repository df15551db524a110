// mapInRanges: `work` over every item, results in the items' order, on a few
// lanes (indexer threads) that each take a contiguous range of the items and
// keep up to `perLane` of it in flight. A lane that runs out takes the upper
// half of the largest range still left. Neighbouring branches share delta
// chains in a pack, and a thread that reads them together inflates each base
// once; handed out one by one, every thread would inflate most bases itself.

export interface MapInRangesOptions {
  readonly lanes: number;
  readonly perLane: number;
}

interface Range {
  next: number;
  end: number;
}

export async function mapInRanges<T, R>(items: readonly T[], options: MapInRangesOptions, work: (item: T, index: number, lane: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const lanes = Math.max(1, options.lanes);
  const ranges: Range[] = Array.from({ length: lanes }, (_, lane) => ({
    next: Math.floor((items.length * lane) / lanes),
    end: Math.floor((items.length * (lane + 1)) / lanes),
  }));
  const take = (own: Range): number | undefined => {
    if (own.next >= own.end) {
      const largest = ranges.reduce((best, each) => (each.end - each.next > best.end - best.next ? each : best));
      // A last item is left to the lane that holds it.
      if (largest.end - largest.next < 2) return undefined;
      own.next = largest.next + Math.ceil((largest.end - largest.next) / 2);
      own.end = largest.end;
      largest.end = own.next;
    }
    return own.next++;
  };
  const run = async (lane: number): Promise<void> => {
    const own = ranges[lane]!;
    for (let index = take(own); index !== undefined; index = take(own)) results[index] = await work(items[index]!, index, lane);
  };
  await Promise.all(ranges.flatMap((_, lane) => Array.from({ length: Math.max(1, options.perLane) }, () => run(lane))));
  return results;
}
