// The TensorFlow.js baseline of bench/browser_speed.mjs --tfjs, in its own
// (classic) Web Worker: the same MLP as tinydiff's default (sinusoidal
// embeddings of x * 25, y * 25 and t, 128 wide each; a 384 -> 128 layer, three
// residual blocks of 128 with exact erf GELU, 128 -> 2), trained as the
// reference trains it (MSE on the noise, total-norm clipping at 1, AdamW
// lr 1e-3, weight decay 0.01), written with tfjs-core's ops as a TF.js user
// would. The wasm backend with SIMD on one thread (its threaded variant is
// switched off, as tinydiff's single-threaded build), or the cpu backend.
importScripts("tf.js", "tf-backend-wasm.js");

let step = null;

function buildModel(batch) {
  const H = 128, E = 128, half = E / 2, T = 50;
  const freqs = tf.reshape(tf.exp(tf.mul(tf.range(0, half), -Math.log(10000) / (half - 1))), [1, half]);
  const linear = (nIn, nOut) => {
    const bound = 1 / Math.sqrt(nIn);
    return { w: tf.variable(tf.randomUniform([nIn, nOut], -bound, bound)), b: tf.variable(tf.randomUniform([nOut], -bound, bound)) };
  };
  const layers = [linear(3 * E, H), linear(H, H), linear(H, H), linear(H, H), linear(H, 2)];
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const moments = vars.map((v) => ({ m: tf.variable(tf.zerosLike(v)), v: tf.variable(tf.zerosLike(v)) }));
  const embed = (values) => { const a = tf.matMul(tf.reshape(values, [-1, 1]), freqs); return tf.concat([tf.sin(a), tf.cos(a)], 1); };
  const gelu = (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const dense = (l, x) => tf.add(tf.matMul(x, l.w), l.b);
  const forward = (xy, t) => {
    const [x, y] = tf.split(xy, 2, 1);
    let h = gelu(dense(layers[0], tf.concat([embed(tf.mul(x, 25)), embed(tf.mul(y, 25)), embed(t)], 1)));
    for (let i = 1; i <= 3; i++) h = tf.add(h, gelu(dense(layers[i], h)));
    return dense(layers[4], h);
  };
  // The reference's linear betas 1e-4..0.02 over T = 50.
  const abar = []; let a = 1;
  for (let i = 0; i < T; i++) { a *= 1 - (1e-4 + ((0.02 - 1e-4) * i) / (T - 1)); abar.push(a); }
  const data = new Float32Array(8000 * 2).map(() => (Math.random() - 0.5) * 4); // the values do not change the cost
  let count = 0;
  return () => {
    const x0 = new Float32Array(2 * batch), noise = new Float32Array(2 * batch), xt = new Float32Array(2 * batch), ts = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      const i = Math.floor(Math.random() * 8000), t = Math.floor(Math.random() * T);
      ts[b] = t;
      for (let c = 0; c < 2; c++) {
        x0[2 * b + c] = data[2 * i + c];
        noise[2 * b + c] = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
        xt[2 * b + c] = Math.sqrt(abar[t]) * x0[2 * b + c] + Math.sqrt(1 - abar[t]) * noise[2 * b + c];
      }
    }
    count++;
    return tf.tidy(() => {
      const xyT = tf.tensor2d(xt, [batch, 2]), tT = tf.tensor1d(ts), noiseT = tf.tensor2d(noise, [batch, 2]);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(forward(xyT, tT), noiseT))), vars);
      const gs = vars.map((v) => grads[v.name]);
      const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g))))).dataSync()[0];
      const clip = Math.min(1, 1 / (norm + 1e-6));
      const lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
      const c1 = 1 - b1 ** count, c2 = 1 - b2 ** count;
      vars.forEach((v, k) => {
        const g = tf.mul(gs[k], clip);
        const m = tf.add(tf.mul(moments[k].m, b1), tf.mul(g, 1 - b1));
        const s = tf.add(tf.mul(moments[k].v, b2), tf.mul(tf.square(g), 1 - b2));
        moments[k].m.assign(m);
        moments[k].v.assign(s);
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(s, c2)), eps));
        v.assign(tf.sub(tf.mul(v, 1 - lr * wd), tf.mul(update, lr)));
      });
      return value.dataSync()[0];
    });
  };
}

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.type === "init") {
      if (msg.build === "tfjs-wasm") {
        tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
        tf.wasm.setWasmPaths("./");
      }
      await tf.setBackend(msg.build === "tfjs-wasm" ? "wasm" : "cpu");
      await tf.ready();
      step = buildModel(msg.batch);
      // The same half second of warm-up as tinydiff's speed_worker.js (the
      // browser's optimising compiler catches up on the hot code meanwhile).
      const warm = performance.now();
      do step(); while (performance.now() - warm < 500);
      self.postMessage({ type: "ready", threads: 1, backend: tf.getBackend() });
    } else if (msg.type === "measure") {
      let steps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < msg.seconds * 1000) { step(); steps++; }
      self.postMessage({ type: "measured", stepsPerSecond: (steps * 1000) / (performance.now() - t0) });
    }
  } catch (e) {
    self.postMessage({ type: "error", message: String(e && e.message ? e.message : e) });
  }
};
