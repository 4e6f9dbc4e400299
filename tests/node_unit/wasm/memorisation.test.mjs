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

test("copyFlags mark the copies copyShare counts", () => {
  const train = new Float32Array([0, 0, 1, 0, 5, 5]);
  const flags = M.copyFlags(new Float32Array([0.1, 0, 0.5, 0, 5, 5.2, 2, 2]), train);
  assert.ok(flags instanceof Uint8Array);
  assert.deepEqual(Array.from(flags), [1, 0, 1, 0]);
});

test("trainSize: the model trains on a seeded subset, holds out the rest, and trainingIndices names the subset", () => {
  const points = M.makePoints("two_moons", 300, 4);
  const config = { ...M.defaultConfig(), hiddenSize: 8, numClasses: 2, trainSize: 40, seed: 6 };
  const model = new M.Diffusion(config);
  model.setData(points.xy, points.labels);
  assert.equal(model.numPoints(), 40);
  assert.equal(model.config().trainSize, 40);
  const held = model.heldOut();
  assert.equal(held.xy.length, 2 * 260);
  assert.equal(held.labels.length, 260);
  const chosen = M.trainingIndices(300, 40, 6);
  assert.ok(chosen instanceof Uint32Array && chosen.length === 40);
  const data = model.data(), labels = model.labels();
  chosen.forEach((i, k) => {
    assert.equal(data[2 * k], points.xy[2 * i]);
    assert.equal(labels[k], points.labels[i]);
  });
  assert.equal(M.trainingIndices(300, 0, 6).length, 300);
  // A model file keeps it.
  const again = new M.Diffusion();
  again.loadModel(model.saveModel());
  assert.equal(again.config().trainSize, 40);
  again.delete();
  model.delete();
  assert.throws(() => new M.Diffusion({ ...M.defaultConfig(), trainSize: 3 }), /trainSize must be 0 \(all the points\) or at least 8 \(got 3\)/);
});

test("memorisationTimes: tau_gen, tau_fall and tau_mem of a series, null where not reached", () => {
  const series = { steps: [10, 20, 40, 80, 160], testDistance: [0.6, 0.2, 0.15, 0.12, 0.1], excess: [-0.1, 0, 0.19, 0.2, 0.5],
    untrainedDistance: 1, margin: 0.2 };
  assert.deepEqual(M.memorisationTimes(series), { tauGen: 160, tauFall: 40, tauMem: 80 });
  assert.equal(M.memorisationTimes({ ...series, margin: 0.6 }).tauMem, null);
  assert.throws(() => M.memorisationTimes({ ...series, excess: [0] }), /one value a step/);
});
