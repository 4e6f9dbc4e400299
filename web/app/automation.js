// window.tinydiff: the page's automation hook for tests, benchmarks and the
// curious (web/README.md documents it; it stays stable). It reads the state
// and asks the workers; it never changes what the page shows.
export function installAutomation(controller) {
  const s = controller.state;
  window.tinydiff = Object.freeze({
    // What the page shows now. `preview.points` are exactly the samples on
    // the canvas (interleaved x, y) and `preview.step` the training step of
    // the weights that drew them; null until the first preview.
    status() {
      const p = s.preview;
      return {
        ready: s.workerReady && s.modelReady,
        playing: s.training,
        step: s.step,
        epoch: s.epoch,
        stepsPerSecond: s.stepsPerSecond,
        // Training threads: those the last slice used, the most the loaded build runs, cross-origin isolation.
        threads: s.threading.threads,
        maxThreads: s.threading.maxThreads,
        isolated: s.threading.isolated,
        // Bytes of wasm memory of the training and the live-view worker, and the page's JS heap (Chrome only).
        memory: { trainingWasm: s.memory.trainingWasmBytes, previewWasm: s.memory.previewWasmBytes,
          pageHeap: performance.memory ? performance.memory.usedJSHeapSize : null },
        preview: p ? { step: p.step, points: p.points.slice(), chamfer: p.score ? p.score.chamfer : null,
          sampler: p.plan.sampler, steps: p.plan.steps, fast: p.plan.fast, ms: p.ms,
          // The live view's budget a preview (ms), and the share of its rate training keeps while a
          // preview computes (preview_plan.js measuredBudget; null until measured).
          budgetMs: p.budgetMs, trainingKept: p.trainingKept,
          // A drawing with classes: each shown sample's class, the class drawn (-1: all) and the guidance.
          labels: [...(p.labels || [])], classLabel: p.classLabel, guidance: p.guidance } : null,
        // Beyond the documented core: what the page is set to and holds.
        settings: { ...s.settings },
        data: s.points.slice(),
        labels: [...s.labels],
        modelClasses: s.modelClasses,
        generation: s.modelGeneration,
        numTimesteps: s.numTimesteps,
        animation: s.anim ? { kind: s.anim.kind, frames: s.anim.K, position: s.anim.pos, playing: s.anim.running,
          timestep: controller.animation.timestep(), followed: s.anim.followed } : null,
        // The inspect views and overlays, as last drawn (the numbers each shows and the step of its weights).
        inspect: {
          view: controller.inspector.view,
          lossByT: s.inspect.lossByT ? { step: s.inspect.lossByT.step, network: [...s.inspect.lossByT.network], ideal: [...s.inspect.lossByT.ideal] } : null,
          schedule: s.inspect.schedule ? { alphasCumprod: [...s.inspect.schedule.alphasCumprod] } : null,
          sweep: s.inspect.sweep ? { step: s.inspect.sweep.step, rows: s.inspect.sweep.rows, straightness: s.inspect.sweep.straightness } : null,
          density: s.inspect.density,
          straighten: s.inspect.straighten,
          overlay: { mode: s.overlay.mode, density: s.overlay.densityOn, fieldT: s.overlay.field ? s.overlay.field.t : null,
            fieldStep: s.overlay.field ? s.overlay.field.step : null, densityT: s.overlay.density ? s.overlay.density.t : null },
        },
        memorised: p ? p.memorised : null,
      };
    },
    // n fresh samples of the current model, with the page's sampling settings.
    sample(n = 1000, seed = 0) {
      return controller.workers.sample(n, seed).then((msg) => msg.xy);
    },
  });
}
