// web/shared/preview_plan.js under node: the live view keeps the chosen sampler
// when it fits the budget, stands in a few-step DPM-Solver++ when it does
// not, and always draws with the chosen one once training has stopped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KEPT_FOR_SPARE_CORE, LiveViewShare, PREVIEW_BUDGET_MS, PREVIEW_POINTS, measuredBudget, networkCalls, planPreview, planOptions, previewBudget, samplerSteps } from "../../../web/shared/preview_plan.js";

const ddpm = { sampler: "ddpm" };
const cost = (plan, msPerPointStep) => plan.steps * plan.points * msPerPointStep;

test("a cheap sampler is kept; an expensive one is replaced within the budget", () => {
  assert.deepEqual(planPreview({ options: ddpm, numTimesteps: 50, msPerPointStep: 1e-3 }), { sampler: "ddpm", steps: 50, eta: 0, clipX0: 0, denoiser: "network", classes: {}, points: PREVIEW_POINTS, fast: false });
  for (const T of [100, 250, 1000]) {
    for (const ms of [0.005, 0.016, 0.05, 0.2]) {
      const plan = planPreview({ options: ddpm, numTimesteps: T, msPerPointStep: ms });
      assert.ok(plan.steps <= T);
      if (plan.fast) {
        assert.equal(plan.sampler, "dpm-solver");
        assert.equal(plan.eta, 0);
        assert.ok(cost(plan, ms) <= PREVIEW_BUDGET_MS || plan.steps === 4, `T ${T}, ${ms} ms: ${plan.steps} steps`);
        // Every preview point while 12 steps of them fit the budget.
        if (12 * PREVIEW_POINTS * ms <= PREVIEW_BUDGET_MS) assert.equal(plan.points, PREVIEW_POINTS, `${ms} ms: ${plan.points} points`);
        else assert.ok(plan.points < PREVIEW_POINTS);
      } else {
        assert.ok(cost(plan, ms) <= PREVIEW_BUDGET_MS);
      }
    }
  }
  // DDIM with few steps is cheap enough as it is.
  assert.deepEqual(planPreview({ options: { sampler: "ddim", steps: 10, eta: 1 }, numTimesteps: 250, msPerPointStep: 0.016 }),
    { sampler: "ddim", steps: 10, eta: 1, clipX0: 0, denoiser: "network", classes: {}, points: PREVIEW_POINTS, fast: false });
});

test("a network too big for even the fewest steps previews fewer points", () => {
  const plan = planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0.4 });
  assert.equal(plan.steps, 4);
  assert.ok(plan.points < PREVIEW_POINTS && plan.points * plan.steps * 0.4 <= PREVIEW_BUDGET_MS, JSON.stringify(plan));
});

test("the live view shows 1000 points when 12 steps of them fit, else fewer points with more steps", () => {
  assert.equal(PREVIEW_POINTS, 1000); // the reference's eval batch
  // 100 ms at 3.5 us a point-step (the quick recipe here): 28 calls of 1000 points fit, so 25 steps of them.
  const quick = planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0.0035, budgetMs: 100, dataBound: 4 });
  assert.deepEqual([quick.points, quick.sampler, quick.steps, quick.fast], [1000, "dpm-solver", 25, true]);
  // 10 us (a 128-wide network): 12 steps of 1000 do not fit, 25 steps of 400 do.
  const wide = planPreview({ options: ddpm, numTimesteps: 50, msPerPointStep: 0.01, budgetMs: 100, dataBound: 4 });
  assert.deepEqual([wide.points, wide.steps], [400, 25]);
  // A cheap chosen sampler is kept at every point.
  const ddim = planPreview({ options: { sampler: "ddim", steps: 10, eta: 0 }, numTimesteps: 100, msPerPointStep: 0.005, budgetMs: 100 });
  assert.deepEqual([ddim.points, ddim.sampler, ddim.steps, ddim.fast], [1000, "ddim", 10, false]);
  // A caller asking for fewer points gets no more.
  assert.equal(planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0.0035, budgetMs: 100, points: 300 }).points, 300);
});

test("stopped training, or no measurement yet, draws with the chosen sampler", () => {
  assert.equal(planPreview({ options: ddpm, numTimesteps: 1000, msPerPointStep: 0.05, final: true }).fast, false);
  assert.equal(planPreview({ options: ddpm, numTimesteps: 1000, msPerPointStep: 0 }).steps, 1000);
  // 1000 points when they take at most a second, else 400; 400 before the cost is known (the first, untrained draw).
  assert.equal(planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0.007, final: true }).points, 1000);
  assert.equal(planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0.06, final: true }).points, 400);
  assert.equal(planPreview({ options: ddpm, numTimesteps: 100, msPerPointStep: 0 }).points, 400);
});

test("small changes in cost keep the plan (a ladder of step counts)", () => {
  const a = planPreview({ options: ddpm, numTimesteps: 250, msPerPointStep: 0.020 });
  const b = planPreview({ options: ddpm, numTimesteps: 250, msPerPointStep: 0.023 });
  assert.deepEqual(a, b);
});

test("plans become wasm sampling options", () => {
  assert.deepEqual(planOptions({ sampler: "ddpm", steps: 50, eta: 0, denoiser: "network" }), { sampler: "ddpm", denoiser: "network" });
  assert.deepEqual(planOptions({ sampler: "dpm-solver", steps: 12, eta: 0, clipX0: 3, denoiser: "ideal" }),
    { sampler: "dpm-solver", steps: 12, eta: 0, clipX0: 3, denoiser: "ideal" });
  // The stand-in bounds its data predictions by the data's extent.
  assert.equal(planPreview({ options: ddpm, numTimesteps: 250, msPerPointStep: 0.02, dataBound: 4 }).clipX0, 4.8);
  assert.equal(samplerSteps({ sampler: "ddim", steps: 0 }, 80), 80);
});

test("the live view takes less of a machine with fewer cores", () => {
  const [one, two, eight] = [1, 2, 8].map(previewBudget);
  assert.ok(one.duty < two.duty && two.duty < eight.duty && eight.duty < 1);
  assert.ok(two.budgetMs <= eight.budgetMs);
  assert.deepEqual(previewBudget(0), one); // an unknown count is treated as one core
});

test("a conditional model's class and guidance pass through the plan, and guidance doubles the cost", () => {
  const options = { sampler: "ddim", steps: 20, eta: 0, classLabel: 1, guidance: 3 };
  const plan = planPreview({ options, numTimesteps: 100, msPerPointStep: 1e-3, final: true });
  assert.deepEqual(plan.classes, { classLabel: 1, guidance: 3 });
  assert.equal(planOptions(plan).classLabel, 1);
  assert.equal(planOptions(plan).guidance, 3);
  assert.equal(networkCalls(options, 100), 40);
  assert.equal(networkCalls({ ...options, guidance: 1 }, 100), 20);
  // While training the stand-in keeps the class: 40 calls of 400 points do not fit 10 ms, 20 would not either.
  const fast = planPreview({ options, numTimesteps: 100, msPerPointStep: 1e-3, final: false, budgetMs: 10, dataBound: 4 });
  assert.equal(fast.fast, true);
  assert.deepEqual(fast.classes, { classLabel: 1, guidance: 3 });
});

test("the live view's budget: at most two cores' until training measurably keeps its rate", () => {
  const [one, two, four] = [1, 2, 4].map(previewBudget);
  assert.deepEqual(measuredBudget(4, null), two, "not measured yet: two cores' budget, whatever is reported");
  assert.deepEqual(measuredBudget(4, KEPT_FOR_SPARE_CORE), four, "training keeps its rate: a spare core, the reported budget");
  assert.deepEqual(measuredBudget(4, 0.7), two, "training slows while previews compute: no core of its own");
  assert.deepEqual(measuredBudget(2, 1), two);
  assert.deepEqual(measuredBudget(1, 1), one);
  assert.deepEqual(measuredBudget(1, null), one);
});

test("the share training keeps: its rate while previews compute over its rate otherwise, once both are timed", () => {
  const share = new LiveViewShare();
  for (let i = 0; i < LiveViewShare.MIN_SLICES - 1; i++) { share.record(true, 100, 40); share.record(false, 200, 40); }
  assert.equal(share.kept, null);
  share.record(true, 100, 40);
  share.record(false, 200, 40);
  assert.equal(share.kept, 0.5);
});
