// The memorisation lab (the Memorisation view) and the training-points
// setting, in the engine TINYDIFF_ENGINE names: a link that trains on 64 of
// the moons' points marks them; the lab, run from the keyboard while the
// main model trains, draws its three sizes' copies and distances, marks the
// chosen size's copies, says it all in its table, scores the main model
// against its base rate, and stops; no axe violation, no console error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations } from "./axe_check.mjs";
import { errorsOf, inked, useSite } from "./harness.mjs";

const { open } = useSite();
const text = (page, id) => page.evaluate((i) => document.getElementById(i).textContent, id);
const steps = (page) => page.evaluate(() => ({ step: window.tinydiff.status().step, preview: window.tinydiff.status().preview?.step ?? 0 }));
// The lab's table: one row of cells a size.
const tableRows = (page) => page.evaluate(() => [...document.querySelectorAll("#mem-table tbody tr")].map((tr) => [...tr.cells].map((c) => c.textContent)));
const pressOn = async (page, id, key = "Enter") => {
  await page.evaluate((i) => document.getElementById(i).focus(), id);
  await page.keyboard.press(key);
};

test("memorisation lab: a model on 64 points, its rings; three sizes beside it, run by keyboard, in curves, samples and a table; it stops", async () => {
  const page = await open("#data=moons&n=64");
  // Numbers are grouped as the engine's locale does: WebKitGTK writes 8000.
  await page.waitForFunction(() => /^8,?000, trains on 64$/.test(document.getElementById("count-data").textContent), null, { timeout: 30000 });
  assert.match(await text(page, "canvas-summary"), /8,?000 points, of which the model trains on 64 \(ringed; the rest are held out\)/);
  await page.click("#play");
  await pressOn(page, "tab-memorisation");
  assert.equal(await page.evaluate(() => document.getElementById("view-memorisation").hidden), false);
  await pressOn(page, "mem-run");
  const atStart = await steps(page);
  // The smallest size copies within a few hundred steps on moons (docs/memorisation.md): τ_mem is a step.
  await page.waitForFunction(() => {
    const row = document.querySelector("#mem-table tbody tr");
    return row && row.cells[0].textContent === "16" && /^[\d,]+$/.test(row.cells[6].textContent);
  }, null, { timeout: 120000 }).catch(async (e) => { throw new Error(`${e.message}; status "${await text(page, "mem-status")}", table ${JSON.stringify(await tableRows(page))}`); });
  const rows = await tableRows(page);
  assert.deepEqual(rows.map((r) => r[0]), ["16", "64", "256"]);
  for (const r of rows) assert.match(r[2], /^\d+%$/, `copies of n = ${r[0]}`);
  const copies16 = parseInt(rows[0][2], 10), base16 = parseInt(rows[0][3], 10);
  assert.ok(copies16 >= base16 + 20, `n = 16 copies ${copies16}% over a base rate of ${base16}%`);
  // The main model kept training and its live view kept drawing meanwhile.
  const later = await steps(page);
  assert.ok(later.step > atStart.step + 1000, `the main model trained ${later.step - atStart.step} steps beside the lab`);
  assert.ok(later.preview > atStart.preview, "the live view drew newer weights");
  // The main model: its copies beside the ideal denoiser's and its held-out points' base rate.
  await page.waitForFunction(() => /^Your model trains on 64 points: \d+% of its samples \(weights of step [\d,]+\) copy one; the ideal denoiser's: \d+%; \d+% of its 2,?000 held-out points/.test(document.getElementById("mem-main").textContent), null, { timeout: 30000 });
  // The pictures: curves and the chosen size's samples, copies counted in words.
  for (const id of ["mem-copy-canvas", "mem-test-canvas", "mem-samples-canvas"]) assert.ok(await inked(page, id) > 1000, `${id} is drawn`);
  assert.match(await text(page, "mem-samples-note"), /^n = 16, step [\d,]+: \d+ of 500 samples are copies \(red\) of its 16 training points \(rings\)/);
  await page.selectOption("#mem-n", "64");
  await page.waitForFunction(() => /^n = 64, step/.test(document.getElementById("mem-samples-note").textContent));
  assert.deepEqual(await axeViolations(page), [], "axe, the lab running");
  await pressOn(page, "mem-run");
  await page.waitForFunction(() => /^Stopped/.test(document.getElementById("mem-status").textContent));
  assert.equal(await text(page, "mem-run"), "Run the lab");
  assert.deepEqual(await errorsOf(page), []);
  await page.close();
});
