// Auto threads by measurement: the training worker times its first slices
// of a model on a few thread counts and keeps the count that trains
// fastest. navigator.hardwareConcurrency alone can be wrong (WebKitGTK
// reports 4 cores on a 2-core machine; privacy settings report 2 or a
// random count; other programs may hold cores), and how much a thread adds
// depends on the model's size. Pure: imported by the training worker and by
// node tests.

// Slices timed per count; the first of them is a warm-up and not counted
// (a new count's first slice pays for waking its threads).
export const SLICES_PER_COUNT = 3;
// A smaller count is kept unless a larger one is this much faster: spare
// cores go to the live view and the page.
export const WORTH = 1.1;

// The counts tried, most first: the count the cores suggest (`suggested`),
// then halved down to 1. [3] -> [3, 2, 1]; [7] -> [7, 4, 2, 1].
export function candidateCounts(suggested) {
  const counts = [];
  for (let n = Math.max(1, Math.floor(suggested)); ; n = Math.ceil(n / 2)) {
    counts.push(n);
    if (n === 1) break;
  }
  return counts;
}

export class ThreadTuner {
  // suggested: the count the cores suggest (autoThreads); at most the build's maximum.
  constructor(suggested) {
    this.counts = candidateCounts(suggested);
    this.rates = new Map();   // count -> [steps per ms of each counted slice]
    this.index = 0;
    this.slice = 0;
    this.best = this.counts.length === 1 ? this.counts[0] : null;
  }

  // Whether the tuner is still measuring.
  get measuring() { return this.best === null; }

  // The thread count for the next slice.
  next() { return this.best ?? this.counts[this.index]; }

  // A slice ran `steps` steps in `ms` on `threads` threads.
  record(threads, steps, ms) {
    if (!this.measuring || threads !== this.counts[this.index]) return;
    if (this.slice++ > 0 && ms > 0) {
      if (!this.rates.has(threads)) this.rates.set(threads, []);
      this.rates.get(threads).push(steps / ms);
    }
    if (this.slice < SLICES_PER_COUNT) return;
    this.slice = 0;
    this.index++;
    if (this.index === this.counts.length) this.best = chooseCount(this.rates);
  }
}

// The count to keep from the rates measured (count -> steps per ms): the
// smallest count that no larger count beats by WORTH.
export function chooseCount(rates) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const counts = [...rates.keys()].sort((a, b) => a - b);
  let chosen = counts[0];
  for (const n of counts) if (median(rates.get(n)) > WORTH * median(rates.get(chosen))) chosen = n;
  return chosen;
}
