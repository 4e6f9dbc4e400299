// web/shared/threads.js: how many threads training uses for the "threads" setting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_PAGE_THREADS, autoThreads, poolThreads, trainingThreads } from "../../../web/shared/threads.js";

test("auto leaves a core for the live view and the page", () => {
  assert.equal(autoThreads(1), 1);
  assert.equal(autoThreads(2), 1);
  assert.equal(autoThreads(4), 3);
  assert.equal(autoThreads(16), 15);
  assert.equal(autoThreads(64), MAX_PAGE_THREADS - 1);
  assert.equal(autoThreads(undefined), 1); // a browser that does not say
});

test("a chosen count is capped at the cores; the pool holds one a core", () => {
  assert.equal(trainingThreads(0, 8), 7);
  assert.equal(trainingThreads(2, 8), 2);
  assert.equal(trainingThreads(8, 2), 2);
  assert.equal(trainingThreads(1, 1), 1);
  assert.equal(poolThreads(2), 2);
  assert.equal(poolThreads(0), 1);
  assert.equal(poolThreads(32), MAX_PAGE_THREADS);
});

test("threadsNote says why training runs on one thread, and nothing when it runs more", async () => {
  const { threadsNote } = await import("../../../web/shared/threads.js");
  assert.equal(threadsNote({ maxThreads: 4, isolated: true, sharedMemory: true, cores: 4 }), "");
  assert.match(threadsNote({ maxThreads: 1, isolated: false, sharedMemory: false, cores: 4 }), /cross-origin isolated/);
  assert.match(threadsNote({ maxThreads: 1, isolated: true, sharedMemory: false, cores: 4 }), /no SharedArrayBuffer/);
  assert.match(threadsNote({ maxThreads: 1, isolated: true, sharedMemory: true, cores: 1 }), /one core/);
  assert.match(threadsNote({ maxThreads: 1, isolated: true, sharedMemory: true, cores: 4, failure: "the threaded build could not start (x)" }),
    /^One thread: the threaded build could not start \(x\)\.$/);
});
