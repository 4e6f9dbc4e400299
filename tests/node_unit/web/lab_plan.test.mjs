// web/shared/lab_plan.js under node: the memorisation lab's evaluation steps
// and the sizes a set of points allows; and the training-points setting's
// check in settings.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LAB, evaluationSteps, labSizes } from "../../../web/shared/lab_plan.js";
import { DEFAULTS, crossCheck, withChange } from "../../../web/shared/settings.js";

test("evaluation steps: log-spaced from the first to the last, increasing, without repeats", () => {
  const steps = evaluationSteps();
  assert.equal(steps.length, LAB.evaluations);
  assert.equal(steps[0], LAB.firstEvaluation);
  assert.equal(steps[steps.length - 1], LAB.steps);
  for (let i = 1; i < steps.length; i++) {
    assert.ok(steps[i] > steps[i - 1]);
    const ratio = steps[i] / steps[i - 1];
    assert.ok(Math.abs(ratio - (LAB.steps / LAB.firstEvaluation) ** (1 / (LAB.evaluations - 1))) < 0.02, `ratio ${ratio}`);
  }
  assert.deepEqual(evaluationSteps(1, 4, 10), [1, 2, 3, 4]);  // repeats dropped
});

test("sizes: each keeps at least as many points held out as it trains on", () => {
  assert.deepEqual(labSizes(8000), [16, 64, 256]);
  assert.deepEqual(labSizes(300), [16, 64]);
  assert.deepEqual(labSizes(32), [16]);
  assert.deepEqual(labSizes(31), []);
});

test("training points: 0 (all) or at least 8", () => {
  assert.equal(crossCheck(withChange(DEFAULTS, "trainSize", 0)), null);
  assert.equal(crossCheck(withChange(DEFAULTS, "trainSize", 8)), null);
  assert.equal(crossCheck(withChange(DEFAULTS, "trainSize", 5)), "training points must be 0 (all) or at least 8");
});
