// The page's side of the two workers: starts them (and joins them with a
// MessageChannel), matches requests to answers by id, watches for a worker
// that dies or goes silent, and restarts both when one does. It holds no
// page state: events go to the handlers given to the constructor.
import { ToTrainer, FromTrainer, ToPreview, FromPreview } from "../shared/protocol.js";

// While training, the worker reports every ~40 ms: a long silence means it is gone.
const SILENCE_MS = 10000;
// Both workers say they are ready once their module has loaded (the
// threaded build's pool of workers included): a pair not ready by then is
// stuck (a worker whose thread blocks cannot time itself out), and is
// replaced: by the single-threaded build after a threaded one, and once
// more by the same build, before the page gives up with a message. 15 s
// also covers a slow link: 2 x 200 KB of compressed wasm at 1.6 Mbps is 2 s.
const STARTUP_MS = 15000;
const STARTUP_TRIES = 3;
// The threaded build creates its pool of Workers synchronously, in
// milliseconds; in Firefox ESR that call never returned in ~4% of loads
// (9 of 223), blocking the training worker for good. The worker says when
// it starts and ends that step: silence in between for this long is that
// hang, and the pair is replaced at once rather than after STARTUP_MS - by
// a threaded pair again the first time (the hang is rare and random), by
// the single-threaded build the second.
const POOL_START_MS = 3000;
const POOL_TRIES = 2;

export class WorkerClient {
  // handlers: {onReady(info), onProgress, onSubset, onDiverged, onPreview, onError(message, fatal), onFailed(reason)}
  constructor(handlers) {
    this.handlers = handlers;
    // The most threads the worker should be able to run (more than 1: the
    // threaded build, if the page is isolated), and how many a step uses
    // (threads.js); start() sets them.
    this.poolThreads = 1;
    this.threads = 1;
    this.autoThreads = false; // the worker picks the fastest count up to this.threads
    this.maxThreads = 1;      // what the running worker's build can run (its ready message)
    this.worker = null;
    this.preview = null;
    this.pairNumber = 0;      // of the worker pair, so late events of a dead pair are dropped
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject}, requests to either worker
    // Whether the training worker should be reporting progress (it trains):
    // the watchdog counts silence only then.
    this.awaitingProgress = false;
    this.lastHeard = performance.now();
    this.previewOn = true;
    this.lastPreview = performance.now();
    this.inspecting = 0;      // view requests the preview worker is busy with (it previews after them)
    this.watchdog = setInterval(() => this.checkSilence(), 1000);
    this.startupTimer = null;
    this.startupFailures = 0; // pairs in a row that did not start
    this.poolTimer = null;
    this.poolHangs = 0;       // threaded pairs whose pool creation hung
    this.readyWorkers = new Set(); // of the starting pair: "trainer", "preview"
  }

  // threads (the first start; restarts keep them): see the constructor.
  start(threads) {
    if (threads) { this.poolThreads = threads.pool; this.threads = threads.training; this.autoThreads = threads.auto; }
    const pair = ++this.pairNumber;
    const channel = new MessageChannel();
    try {
      this.worker = new Worker(new URL("../workers/train_worker.js", import.meta.url), { type: "module" });
      this.preview = new Worker(new URL("../workers/preview_worker.js", import.meta.url), { type: "module" });
    } catch (e) {
      this.handlers.onError(`This browser cannot run module Web Workers (${e.message}). Try a current Chrome, Edge, Firefox or Safari.`, true);
      return;
    }
    const live = () => pair === this.pairNumber;
    this.worker.onmessage = (event) => { if (live()) { this.lastHeard = performance.now(); this.onTrainerMessage(event.data); } };
    this.preview.onmessage = (event) => { if (live()) this.onPreviewMessage(event.data); };
    for (const w of [this.worker, this.preview]) {
      w.onerror = (event) => {
        if (!live()) return;
        event.preventDefault();
        this.fail(event.message || "a worker stopped");
      };
    }
    this.readyWorkers.clear();
    clearTimeout(this.startupTimer);
    this.startupTimer = setTimeout(() => { if (live()) this.startupTimedOut(); }, STARTUP_MS);
    this.worker.postMessage({ type: ToTrainer.init, previewPort: channel.port1, poolThreads: this.poolThreads,
      threads: this.threads, auto: this.autoThreads }, [channel.port1]);
    // The live view's worker loads its module once the training worker is
    // ready: on a threaded page they load two builds, and on a slow link the
    // one that lets the user train should not share the link with the other.
    this.previewInit = { type: ToPreview.init, trainerPort: channel.port2, cores: navigator.hardwareConcurrency || 1 };
  }

  // One worker of the starting pair is ready; with both, start-up is over.
  workerReady(which) {
    this.readyWorkers.add(which);
    if (which === "trainer" && this.previewInit) {
      this.preview.postMessage(this.previewInit, [this.previewInit.trainerPort]);
      this.previewInit = null;
    }
    if (this.readyWorkers.size < 2) return;
    clearTimeout(this.startupTimer);
    this.startupFailures = 0;
    this.poolHangs = 0;
  }

  // The pair did not start in time: replaced (single-threaded after a
  // threaded try), or after STARTUP_TRIES pairs, stopped with a message.
  startupTimedOut() {
    this.startupFailures++;
    const which = this.readyWorkers.has("trainer") ? "the live view's worker" : "the training worker";
    if (this.startupFailures >= STARTUP_TRIES) {
      this.stopWorkers();
      this.handlers.onError(`tinydiff could not start its WebAssembly workers (${which} did not start within ${STARTUP_MS / 1000} s, ${STARTUP_TRIES} times). Your drawing and settings are kept in the link: reload the page to try again.`, true);
      return;
    }
    const threaded = this.poolThreads > 1;
    if (threaded) this.poolThreads = 1;
    this.fail(`${which} did not start within ${STARTUP_MS / 1000} s${threaded ? "" : "; it was started again"}`, threaded);
  }

  // A dead worker pair is replaced; the page keeps the data and settings.
  // If it ran threads, its successor runs the single-threaded build: a
  // thread that failed once would most likely fail again.
  fail(reason, threadedBefore = this.maxThreads > 1) {
    if (threadedBefore) {
      this.poolThreads = 1;
      reason += "; it now trains on one thread";
    }
    this.maxThreads = 1;
    this.stopWorkers();
    for (const { reject } of this.pending.values()) reject(new Error(`the training worker failed (${reason})`));
    this.pending.clear();
    this.awaitingProgress = false;
    this.handlers.onFailed(reason);
    this.start();
  }

  // The threaded pool's creation did not return: see POOL_START_MS.
  poolTimedOut() {
    this.poolHangs++;
    const reason = `its threads did not start within ${POOL_START_MS / 1000} s`;
    if (this.poolHangs < POOL_TRIES) this.fail(`${reason}; it was started again`, false);
    else this.fail(reason, true);
  }

  stopWorkers() {
    clearTimeout(this.startupTimer);
    clearTimeout(this.poolTimer);
    this.pairNumber++;
    this.inspecting = 0;
    if (this.worker) this.worker.terminate();
    if (this.preview) this.preview.terminate();
    this.worker = this.preview = null;
  }

  checkSilence() {
    if (!this.worker || !this.awaitingProgress) return;
    const now = performance.now();
    if (now - this.lastHeard > SILENCE_MS) this.fail("it stopped answering");
    else if (this.previewOn && !this.inspecting && now - this.lastPreview > SILENCE_MS) this.fail("the live view stopped answering");
  }

  send(msg, transfer = []) { if (this.worker) this.worker.postMessage(msg, transfer); }
  setThreads(threads, auto) {
    this.threads = threads;
    this.autoThreads = auto;
    this.send({ type: ToTrainer.threads, threads, auto });
  }
  sendPreview(msg) { if (this.preview) this.preview.postMessage(msg); }

  // A message that expects an answer from `worker` (this.worker or this.preview):
  // resolves to it, rejects with the worker's error.
  request(msg, transfer = [], worker = this.worker) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!worker) return reject(new Error("the training worker is not running")); // inspect() checks the other
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id }, transfer);
    });
  }

  // A view's numbers for model `generation` from the preview worker
  // (inspect_requests.js): resolves to {result, generation, step}. While it
  // computes, the watchdog does not count the preview worker silent.
  inspect(what, args, generation) {
    if (!this.preview) return Promise.reject(new Error("the live-view worker is not running"));
    this.inspecting++;
    const done = () => { this.inspecting = Math.max(0, this.inspecting - 1); this.lastPreview = performance.now(); };
    return this.request({ type: ToPreview.inspect, what, args, generation }, [], this.preview)
      .finally(done);
  }

  play() { this.awaitingProgress = true; this.lastHeard = this.lastPreview = performance.now(); this.send({ type: ToTrainer.play }); }
  pause() { this.awaitingProgress = false; this.send({ type: ToTrainer.pause }); }
  step(steps) { this.awaitingProgress = true; this.lastHeard = this.lastPreview = performance.now(); this.send({ type: ToTrainer.step, steps }); }
  setData(points, labels) {
    const data = points.slice(), classes = labels.slice();
    this.send({ type: ToTrainer.setData, data, labels: classes }, [data.buffer, classes.buffer]);
  }
  setSampling(options) {
    this.send({ type: ToTrainer.sampling, options });
    this.sendPreview({ type: ToPreview.sampling, options });
  }
  setPreviewEnabled(on) {
    this.previewOn = on;
    this.lastPreview = performance.now();
    this.sendPreview({ type: ToPreview.enabled, on });
  }

  dataset(name, n, seed) { return this.request({ type: ToTrainer.dataset, name, n, seed }); }
  configure(config, points, labels) {
    this.awaitingProgress = false;
    const data = points.slice(), classes = labels.slice();
    return this.request({ type: ToTrainer.configure, config, data, labels: classes }, [data.buffer, classes.buffer]);
  }
  sample(n, seed) { return this.request({ type: ToTrainer.sample, n, seed }); }
  frames(kind, n, seed) { return this.request({ type: ToTrainer.frames, kind, n, seed }); }
  saveModel() { return this.request({ type: ToTrainer.saveModel }); }
  loadModel(bytes) { this.awaitingProgress = false; return this.request({ type: ToTrainer.loadModel, bytes }, [bytes.buffer]); }
  reflow(pairs, steps, seed) { this.awaitingProgress = false; return this.request({ type: ToTrainer.reflow, pairs, steps, seed }); }

  // The answer (or error) to a request of either worker: settles it; false for any other message.
  settle(msg, errorType) {
    if (msg.id === undefined || !this.pending.has(msg.id)) return false;
    const { resolve, reject } = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.type === errorType) reject(new Error(msg.message));
    else resolve(msg);
    return true;
  }

  onTrainerMessage(msg) {
    if (this.settle(msg, FromTrainer.error)) return;
    switch (msg.type) {
      case FromTrainer.startup: {
        clearTimeout(this.poolTimer);
        const pair = this.pairNumber;
        if (msg.phase === "pool") this.poolTimer = setTimeout(() => { if (pair === this.pairNumber) this.poolTimedOut(); }, POOL_START_MS);
        return undefined;
      }
      case FromTrainer.ready:
        this.maxThreads = msg.maxThreads;
        this.workerReady("trainer");
        return this.handlers.onReady(msg);
      case FromTrainer.progress:
        if (!msg.playing) this.awaitingProgress = false;
        return this.handlers.onProgress(msg);
      case FromTrainer.subset:
        return this.handlers.onSubset(msg);
      case FromTrainer.diverged:
        this.awaitingProgress = false;
        return this.handlers.onDiverged(msg);
      case FromTrainer.error:
        this.awaitingProgress = false;
        return this.handlers.onError(msg.fatal ? `Could not start the WebAssembly module: ${msg.message}` : msg.message, msg.fatal);
      default:
        return undefined;
    }
  }

  onPreviewMessage(msg) {
    if (this.settle(msg, FromPreview.error)) return;
    if (msg.type === FromPreview.ready) this.workerReady("preview");
    else if (msg.type === FromPreview.preview) {
      this.lastPreview = performance.now();
      this.handlers.onPreview(msg);
    }
    else if (msg.type === FromPreview.error) {
      if (msg.fatal) this.handlers.onError(`Could not start the WebAssembly module: ${msg.message}`, true);
      else this.fail(`the live view: ${msg.message}`);
    }
  }
}
