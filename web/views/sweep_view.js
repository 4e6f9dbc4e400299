// Samplers side by side: the distance of each sampler's samples to the data
// against the number of steps, with the network and with the ideal
// denoiser, the share of samples on a training point and the time per
// sample (model.samplerSweep in the preview worker).
import { SAMPLER_TABLE, samplerRow } from "../shared/sampler_table.js";
import { $ } from "../app/dom.js";

export class SweepView {
  // samples: how many each cell draws.
  constructor(samples) {
    this.rows = null;
    $("sweep-samples").textContent = String(samples);
    this.explainSamplers(SAMPLER_TABLE.filter((r) => r.objective === "eps"));
  }

  // Which of these samplers take all T steps and which take fewer (core's table).
  explainSamplers(rows) {
    const titles = (takesSteps) => rows.filter((r) => r.takesSteps === takesSteps).map((r) => r.title).join(", ");
    const all = titles(false), fewer = titles(true);
    $("sweep-samplers").textContent = all ? `${all} always takes all T steps; ${fewer} take fewer.` : `${fewer} take any number of steps.`;
  }

  // memorisedRadius: within it a sample counts as on a training point (core's limits());
  // straightness: a flow model's (null otherwise).
  show(rows, step, memorisedRadius, straightness = null) {
    this.rows = rows;
    this.explainSamplers(SAMPLER_TABLE.filter((r) => rows.some((row) => row.sampler === r.name)));
    const steps = [...new Set(rows.map((r) => r.steps))].sort((a, b) => a - b);
    const table = document.createElement("table");
    table.className = "sweep";
    const head = table.createTHead().insertRow();
    for (const text of ["sampler", "denoiser", ...steps.map((k) => `${k} step${k > 1 ? "s" : ""}`)]) {
      const th = document.createElement("th");
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    const keys = [...new Set(rows.map((r) => `${r.denoiser}|${r.sampler}`))];
    for (const key of keys) {
      const [denoiser, sampler] = key.split("|");
      const tr = body.insertRow();
      tr.className = denoiser;
      tr.insertCell().textContent = samplerRow(sampler)?.title || sampler;
      tr.insertCell().textContent = denoiser;
      for (const k of steps) {
        const r = rows.find((row) => row.sampler === sampler && row.denoiser === denoiser && row.steps === k);
        const td = tr.insertCell();
        if (!r) { td.textContent = "–"; continue; }
        td.textContent = r.chamfer.toFixed(3);
        td.title = `W2 ${r.w2.toFixed(3)} · ${(100 * r.memorised).toFixed(0)}% of samples on a training point · ${r.msPerSample.toFixed(2)} ms a sample`;
        const small = document.createElement("small");
        small.textContent = ` W2 ${r.w2.toFixed(3)} · ${(100 * r.memorised).toFixed(0)}% · ${r.msPerSample < 1 ? r.msPerSample.toFixed(2) : r.msPerSample.toFixed(1)} ms`;
        td.append(small);
      }
    }
    $("sweep-table").replaceChildren(table);
    const network = rows.filter((r) => r.denoiser === "network"), ideal = rows.filter((r) => r.denoiser === "ideal");
    const share = (list) => (100 * Math.max(...list.map((r) => r.memorised))).toFixed(0);
    const straight = straightness === null ? ""
      : ` The straightness of its paths, E ∫ |(x₁ − x₀) − v(x_t, t)|² dt over 100 Euler steps, is ${straightness.toFixed(3)}: 0 when every path is straight and one step is exact (“coupling: OT” straightens them).`;
    $("sweep-note").textContent = `Weights of step ${step.toLocaleString()}. On a training point (within ${memorisedRadius}): at most ${share(network)}% of the network's samples, ${ideal.length ? share(ideal) : "–"}% of the ideal denoiser's.${straight}`;
  }
}
