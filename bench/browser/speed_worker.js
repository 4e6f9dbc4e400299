// One configuration of bench/browser_speed.mjs in its own Web Worker: the
// tinydiff build (single or threaded), threads and batch size; trains the
// dino (8000 points, the reference MLP) and answers each "measure" with the
// steps/s of `seconds` of training.
let model = null;

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.type === "init") {
      const threaded = msg.build === "threads";
      const { default: create } = await import(threaded ? "./tinydiff-threads.js" : "./tinydiff.js");
      // (Emscripten 3.1.6 never finishes loading a threaded module with an empty pool: at least one worker.)
      const Module = await create(threaded ? { poolSize: Math.max(1, msg.threads - 1) } : {});
      model = new Module.Diffusion({ batchSize: msg.batch });
      model.setDataset("dino", 8000, 0);
      model.setThreads(msg.threads);
      // Half a second of training first: chromium compiles the module's hot
      // functions with its optimising tier in the background meanwhile (a
      // fresh module's first half second at batch 256 ran at 70% of the
      // speed after it). In the first round, with both cores training, 2
      // threads took 1.5 s to get there; in later rounds fresh workers start
      // at full speed, and the medians over rounds leave the first one out.
      const warm = performance.now();
      while (performance.now() - warm < 500) model.train(1);
      self.postMessage({ type: "ready", threads: model.threads() });
    } else if (msg.type === "measure") {
      let steps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < msg.seconds * 1000) { model.train(5); steps += 5; }
      self.postMessage({ type: "measured", stepsPerSecond: (steps * 1000) / (performance.now() - t0) });
    }
  } catch (e) {
    self.postMessage({ type: "error", message: String(e && e.message ? e.message : e) });
  }
};
