// The memorisation calls of the wasm module (core/memorisation.hpp): the copy
// share's closed cases, its base rate, and a model's train / test losses.
import { test } from "node:test";
import assert from "node:assert/strict";
import createTinyDiff from "tinydiff";

const M = await createTinyDiff();

test("copyShare: points on training points are copies; the ratio decides between two points; two points needed", () => {
  const train = M.makeDataset("moons", 200, 1);
  assert.equal(M.copyShare(train, train), 1);
  const pair = new Float32Array([0, 0, 1, 0]);
  assert.equal(M.limits().copyRatio, 1 / 3);
  assert.equal(M.copyShare(new Float32Array([0.2, 0]), pair), 1);
  assert.equal(M.copyShare(new Float32Array([0.3, 0]), pair), 0);
  assert.equal(M.copyShare(new Float32Array([0.5, 0]), pair, 1), 1);
  assert.throws(() => M.copyShare(new Float32Array([0, 0]), new Float32Array([1, 1])), /at least 2 training points/);
});

test("memorisationScore: samples of the distribution score their base rate; copies exceed it", () => {
  const train = M.makeDataset("moons", 64, 2), fresh = M.makeDataset("moons", 3000, 3);
  const same = M.memorisationScore(M.makeDataset("moons", 3000, 4), train, fresh);
  assert.ok(Math.abs(same.excess) < 0.04, JSON.stringify(same));
  assert.ok(same.baseRate > 0.05);
  const copies = M.memorisationScore(train, train, fresh);
  assert.equal(copies.copyShare, 1);
  assert.equal(copies.trainDistance, 0);
  assert.ok(copies.excess > 0.5 && copies.testDistance > 0);
});

test("lossByTimestepOn: the loss on fresh points, T values, the same as on the data for the data itself", () => {
  const model = new M.Diffusion({ ...M.defaultConfig(), hiddenSize: 16, hiddenLayers: 1, embeddingSize: 8, numTimesteps: 20, seed: 1 });
  const data = M.makeDataset("moons", 100, 5);
  model.setData(data);
  model.train(200);
  const onData = model.lossByTimestep(16, 9), again = model.lossByTimestepOn(data, 16, 9);
  assert.equal(again.length, 20);
  assert.deepEqual(Array.from(again), Array.from(onData));
  const fresh = model.lossByTimestepOn(M.makeDataset("moons", 100, 6), 16, 9);
  assert.ok(fresh.every(Number.isFinite));
  assert.notDeepEqual(Array.from(fresh), Array.from(onData));
  model.delete();
});
