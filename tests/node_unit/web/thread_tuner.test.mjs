// web/shared/thread_tuner.js: the counts tried, the warm-up slice left out,
// and the count kept: the smallest one that no larger count beats by WORTH.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SLICES_PER_COUNT, ThreadTuner, WORTH, candidateCounts, chooseCount } from "../../../web/shared/thread_tuner.js";

test("the counts tried: the suggestion, halved down to one", () => {
  assert.deepEqual(candidateCounts(1), [1]);
  assert.deepEqual(candidateCounts(3), [3, 2, 1]);
  assert.deepEqual(candidateCounts(7), [7, 4, 2, 1]);
  assert.deepEqual(candidateCounts(15), [15, 8, 4, 2, 1]);
});

test("one count to try: no timing", () => {
  const tuner = new ThreadTuner(1);
  assert.equal(tuner.measuring, false);
  assert.equal(tuner.next(), 1);
});

// Runs the tuner on a machine whose rate (steps per ms) for n threads is rate(n).
function tune(suggested, rate, warmupRate = () => 0.01) {
  const tuner = new ThreadTuner(suggested);
  const tried = [];
  for (let slice = 0; tuner.measuring && slice < 100; slice++) {
    const n = tuner.next();
    tried.push(n);
    const first = tried.filter((m) => m === n).length === 1;
    tuner.record(n, Math.round((first ? warmupRate(n) : rate(n)) * 40), 40);
  }
  return { chosen: tuner.next(), tried };
}

test("each count is timed for its slices, its first (warm-up) slice not counted", () => {
  const { tried } = tune(3, (n) => n);
  assert.deepEqual(tried, [3, 2, 1].flatMap((n) => Array(SLICES_PER_COUNT).fill(n)));
  // A slow first slice of the larger count does not decide against it.
  assert.equal(tune(3, (n) => n, () => 0.001).chosen, 3);
});

test("the count kept: more threads only if they train WORTH faster", () => {
  // A machine with the cores it reports: each thread adds.
  assert.equal(tune(3, (n) => 10 * n).chosen, 3);
  // A machine with two real cores that reports four: the third thread adds nothing.
  assert.equal(tune(3, (n) => 10 * Math.min(n, 2)).chosen, 2);
  // Threads that cost more than they give (a tiny model): one.
  assert.equal(tune(7, (n) => 10 / n).chosen, 1);
  // Within WORTH of a smaller count: the smaller one.
  assert.equal(chooseCount(new Map([[1, [10]], [2, [10 * WORTH * 0.99]]])), 1);
  assert.equal(chooseCount(new Map([[1, [10]], [2, [10 * WORTH * 1.01]]])), 2);
});

test("a slice on another count than the one being timed is ignored", () => {
  const tuner = new ThreadTuner(3);
  tuner.record(1, 1000, 40);
  assert.equal(tuner.next(), 3);
});
