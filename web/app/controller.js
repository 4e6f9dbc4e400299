// The page's controller: builds the state, the worker client, the panels and
// the views, and wires each one's callbacks to the module that acts on them
// (app/: training, the model's life, settings, the link, the animations,
// the workers' events). It decides nothing itself.
import { MAX_POINTS } from "../shared/settings.js";
import { poolThreads, trainingThreads } from "../shared/threads.js";
import { createState } from "./state.js";
import { $ } from "./dom.js";
import { Banner } from "./banner.js";
import { WorkerClient } from "./worker_client.js";
import { TrainingControl } from "./training_control.js";
import { ModelLifecycle } from "./model_lifecycle.js";
import { SettingsControl } from "./settings_control.js";
import { HashSync } from "./hash_sync.js";
import { saveDrawing } from "./drawing_store.js";
import { AnimationControl } from "./animation_control.js";
import { WorkerEvents } from "./worker_events.js";
import { installShortcuts } from "./shortcuts.js";
import { announce } from "./announcer.js";
import { ClassPanel } from "../panels/class_panel.js";
import { SettingsPanel } from "../panels/settings_panel.js";
import { DataPanel } from "../panels/data_panel.js";
import { Brush } from "../panels/brush.js";
import { Inspector } from "../panels/inspector.js";
import { MemorisationPanel } from "../panels/memorisation_panel.js";
import { StraightenPanel } from "../panels/straighten_panel.js";
import { CanvasKeys } from "../panels/canvas_keys.js";
import { KeysDialog } from "../panels/keys_dialog.js";
import { PointsDialog } from "../panels/points_dialog.js";
import { CanvasSummary } from "../views/canvas_summary.js";
import { ScatterView } from "../views/scatter_view.js";
import { Chart } from "../views/chart.js";
import { AnimationPlayer } from "../views/animation.js";
import { showLimits, showStats } from "../views/stats_view.js";

const cores = () => navigator.hardwareConcurrency || 1;

export class Controller {
  constructor() {
    this.onStarted = () => {};
    this.state = createState();
    this.banner = new Banner();
    // The workers' events reach this.events, built below with what they act on.
    this.workers = new WorkerClient(Object.fromEntries(
      ["onReady", "onProgress", "onSubset", "onPreview", "onDiverged", "onError", "onFailed"].map((k) => [k, (...a) => this.events[k](...a)])));
    this.buildViews();
    this.buildActions();
    this.buildPanels();
    this.bindControls();
  }

  buildViews() {
    const state = this.state;
    this.scatter = new ScatterView(state);
    this.summary = new CanvasSummary(state);
    this.lossChart = new Chart($("loss-canvas"), { log: true, smoothing: 0.9, empty: $("loss-empty"), table: $("loss-table"), column: "loss" });
    // The distance comes with each preview and is already an average: smooth it
    // lightly. It falls from tens (untrained) to hundredths: a log scale.
    this.scoreChart = new Chart($("score-canvas"), { log: true, smoothing: 0.5, empty: $("score-empty"), table: $("score-table"), column: "distance" });
    this.animation = new AnimationPlayer(state, { onFrame: () => this.inspector.onFrame() });
  }

  // What acts on the state and the workers.
  buildActions() {
    const { state, banner, workers } = this;
    const training = this.training = new TrainingControl(state, workers, banner);
    this.hash = new HashSync(state, banner, { onNavigated: () => this.onNavigated() });
    const lifecycle = this.lifecycle = new ModelLifecycle(state, workers, training, banner, {
      onModelChanged: () => { this.inspector.onModel(); this.classPanel.sync(); },
      onSettingsChanged: () => this.syncSettings(),
      onPointsShown: () => {
        this.classPanel.sync(); this.settingsPanel.sync(); this.dataPanel.showCount(); this.hash.write(); this.scatter.update(); this.summary.update(true);
        if (state.settings.dataset === "custom") saveDrawing(state.points, state.labels);
      },
      redraw: () => this.redraw(),
      onNewModel: () => {
        const n = state.points.length / 2;
        announce(n ? `A new model for ${n.toLocaleString()} points, untrained: press Train or Space to train it.` : "A new model. There are no points yet.");
      },
    });
    const settings = this.settings = new SettingsControl(state, workers, lifecycle, training, banner, {
      onSettingsChanged: () => this.syncSettings(),
      onClassChanged: () => this.classPanel.sync(),
    });
    this.animationControl = new AnimationControl(state, workers, this.animation, banner);
    this.events = new WorkerEvents(state, workers, lifecycle, training, banner, {
      onReady: () => {
        this.settingsPanel.sync(); showLimits(state.limits); workers.setPreviewEnabled($("show-samples").checked);
        this.onStarted({ threaded: state.threading.maxThreads > 1 });
      },
      onProgress: () => { showStats(state); this.lossChart.update(state.lossHistory); this.scatter.drawCaption(); this.summary.update(); },
      onSubset: () => { this.dataPanel.showCount(); this.scatter.update(); this.summary.update(true); },
      onPreview: () => { this.inspector.onPreview(); this.scoreChart.update(state.scoreHistory); this.scatter.update(); showStats(state); this.summary.update(); },
      redrawStats: () => showStats(state),
    }, settings);
  }

  // The panels, each given what it may do.
  buildPanels() {
    const { state, banner, workers, training, lifecycle, settings } = this;
    const onError = (message) => banner.show(message, { error: true });
    this.inspector = new Inspector(state, workers, {
      animation: this.animation,
      onError,
      requestAnimation: (kind) => this.animationControl.request(kind),
      lab: new MemorisationPanel(state, { sampling: () => lifecycle.sampling(), announce, onError }),
      straighten: new StraightenPanel(state, {
        ask: (...request) => this.inspector.ask(...request),
        pause: () => training.pause(),
        play: () => training.play(),
        reflow: (pairs, steps, seed) => lifecycle.reflow(pairs, steps, seed),
        announce,
        onError,
      }),
    });
    this.settingsPanel = new SettingsPanel(state, {
      onChange: (name, value) => settings.apply(name, value),
      onRecipe: (name) => settings.applyRecipe(name),
      onRefused: (message) => banner.show(message, { error: true }),
    });
    this.dataPanel = new DataPanel(state, banner, {
      onPointsChanged: () => lifecycle.pointsChanged(),
      requestPreset: (name) => lifecycle.requestPreset(name),
      pause: () => training.pause(),
      loadModel: (bytes) => lifecycle.load(bytes),
      saveModel: () => workers.saveModel(),
      chooseDrawTool: () => this.brush.setTool("draw"),
      announce,
    });
    this.pointsDialog = new PointsDialog(state, (xy, labels) => this.dataPanel.useText(xy, labels));
    this.keysDialog = new KeysDialog();
    this.classPanel = new ClassPanel(state, {
      onBrushClass: (k) => { state.brushClass = k; },
      onChange: (name, value) => settings.apply(name, value),
    });
    this.brush = new Brush(state, $("main-canvas"), MAX_POINTS, {
      onStrokeStart: () => { banner.hideHint(); this.dataPanel.pushUndo(); state.settings.dataset = "custom"; },
      onPaint: () => { this.dataPanel.showCount(); this.scatter.update(); },
      onStrokeEnd: (changed) => { if (changed) lifecycle.pointsChanged(); else this.dataPanel.dropUndo(); },
      onFull: () => banner.show(`The dataset is full (${MAX_POINTS.toLocaleString()} points).`, { error: true }),
    });
    this.canvasKeys = new CanvasKeys(state, $("main-canvas"), this.brush, () => this.scatter.update());
  }

  bindControls() {
    $("play").onclick = () => this.training.toggle();
    $("step").onclick = () => this.training.trainSteps(100);
    $("reset").onclick = () => { this.banner.hide(); this.lifecycle.reset(); };
    $("anim-forward").onclick = () => this.animationControl.request("forward");
    $("anim-reverse").onclick = () => this.animationControl.request("reverse");
    $("export-gif").onclick = () => this.animationControl.exportGif();
    $("show-samples").addEventListener("change", () => {
      this.workers.setPreviewEnabled($("show-samples").checked);
      this.scatter.update();
      this.scatter.drawCaption();
    });
    installShortcuts({
      toggleTraining: () => this.training.toggle(),
      undo: () => this.dataPanel.undo(),
      draw: () => this.brush.setTool("draw"),
      erase: () => this.brush.setTool("erase"),
      brushClass: (k) => this.classPanel.setBrushClass(k),
      showKeys: () => this.keysDialog.open(),
    });
    // On a phone the settings start folded: the data, Train and the canvas come first.
    if (matchMedia("(max-width: 700px)").matches) $("settings-details").open = false;
    window.addEventListener("resize", () => this.redraw());
  }

  // Reads the link, shows the page and starts the workers; onStarted({threaded})
  // runs each time a worker pair is ready (threaded: it runs the threaded build).
  start({ onStarted = () => {} } = {}) {
    this.onStarted = onStarted;
    this.showFromLink();
    this.workers.start({ pool: poolThreads(cores()), training: trainingThreads(this.state.settings.threads, cores()),
      auto: this.state.settings.threads === 0 });
  }

  // The page without its workers (a browser that cannot run them): the link's settings and points, shown.
  showFromLink() {
    this.hash.read();
    this.settingsPanel.sync();
    this.lifecycle.pointsChanged({ syncWorker: false });
    this.redraw();
  }

  // The user edited or navigated the link: its settings and points, on a new model.
  onNavigated() {
    this.settingsPanel.sync();
    this.lifecycle.pointsChanged({ syncWorker: false });
    this.workers.setSampling(this.lifecycle.sampling());
    if (this.state.settings.dataset !== "custom") this.lifecycle.requestPreset(this.state.settings.dataset);
    else this.lifecycle.reset();
  }

  syncSettings() {
    this.settingsPanel.sync();
    this.classPanel.sync();
    this.hash.write();
  }

  redraw() {
    this.scatter.update();
    this.lossChart.update(this.state.lossHistory);
    this.scoreChart.update(this.state.scoreHistory);
    this.animation.draw();
    showStats(this.state);
  }
}
