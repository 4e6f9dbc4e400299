// Every person: axe-core finds no WCAG 2.2 A/AA violation (target-size on)
// in each state a user meets; the page's main task done with the keyboard
// alone (no pointer event at all); and on a phone a swipe over the canvas
// scrolls the page and changes no data.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { axeViolations } from "./axe_check.mjs";
import { bannerText, engine, errorsOf, onlyWhere, useSite } from "./harness.mjs";

const { open } = useSite();

const status = (page) => page.evaluate(() => {
  const s = window.tinydiff.status();
  return { step: s.step, playing: s.playing, dataset: s.settings.dataset, points: s.data.length / 2, animation: s.animation, view: s.inspect?.view };
});
const noViolations = async (page, when) => assert.deepEqual(await axeViolations(page), [], `axe, ${when}`);

// Presses Tab until `selector` has the focus (as a keyboard user would reach it); fails if it never does.
async function tabTo(page, selector, most = 150) {
  for (let i = 0; i < most; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${selector} was not reached in ${most} presses of Tab`);
}
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
const text = (page, id) => page.evaluate((i) => document.getElementById(i).textContent, id);

test("axe finds no violation: as loaded, training, each Inspect view, the sampler table, an animation playing, the dialogs", async () => {
  const page = await open();
  await noViolations(page, "as loaded");
  await page.click("#play");
  await page.waitForFunction(() => window.tinydiff.status().preview?.step > 0);
  await noViolations(page, "while training");
  await page.click("#anim-reverse");
  await page.waitForFunction(() => window.tinydiff.status().animation?.kind === "reverse");
  await noViolations(page, "an animation playing");
  await page.click("#play");
  for (const view of ["loss-t", "schedule", "density", "straighten", "memorisation", "sweep"]) {  // the sweep last: its table comes next
    await page.click(`[data-view="${view}"]`);
    // A noise-prediction model cannot be straightened: the view says why, in its warning.
    if (view === "straighten") await page.click("#run-straighten");
    await noViolations(page, `the ${view} view`);
  }
  assert.match(await text(page, "straighten-unsupported"), /Only a flow model's paths can be straightened/);
  // 150 points as text (the sweep over them is quick), then the samplers compared.
  await page.click("#edit-points");
  const lines = Array.from({ length: 150 }, (_, i) => `${(Math.cos(i / 8) * 3).toFixed(3)}, ${(Math.sin(i / 8) * 3).toFixed(3)}`);
  await page.fill("#points-text", lines.join("\n"));
  await noViolations(page, "the points dialog");
  await page.click("#points-apply");
  await page.waitForFunction(() => window.tinydiff.status().data.length === 300 && window.tinydiff.status().ready);
  await page.click("#run-sweep");
  await page.waitForFunction(() => Boolean(document.querySelector("#sweep-table table")), null, { timeout: 60000 }).catch(async (e) => {
    throw new Error(`${e.message}; the note says "${await text(page, "sweep-note")}", the banner "${await bannerText(page)}"`);
  });
  await noViolations(page, "the sampler table");
  await page.click("#open-keys");
  await noViolations(page, "the shortcuts dialog");
  assert.deepEqual(await errorsOf(page), []);
  await page.close();
});

// In the order of the page (Tab only goes forward here): the data, the canvas, the files, the animations, Inspect.
test("keyboard only: pick a preset with Space, draw on the canvas, train, pause, list the shortcuts, export, play and scrub the reverse animation, follow a point, open a view", async () => {
  const page = await open();
  await page.evaluate(() => {
    window.__pointerEvents = 0;
    for (const type of ["pointerdown", "mousedown", "touchstart"]) addEventListener(type, () => window.__pointerEvents++, true);
  });
  // Space on a focused preset picks it (and does not start training).
  await tabTo(page, '[data-preset="moons"]');
  await page.keyboard.press("Space");
  await page.waitForFunction(() => window.tinydiff.status().settings.dataset === "moons");
  assert.equal((await status(page)).playing, false, "Space on a preset started training");
  // The draw preset empties the canvas; on the canvas, arrows move the cursor and Enter sprays.
  await tabTo(page, '[data-preset="custom"]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.tinydiff.status().data.length === 0);
  await tabTo(page, "#main-canvas");
  for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowLeft");
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.press(i < 8 ? "ArrowRight" : "ArrowUp");
  }
  await page.keyboard.press("Enter"); // the last dab, at (0, 2): the cursor's line says what it added
  const drawn = await status(page);
  assert.equal(drawn.dataset, "custom");
  assert.ok(drawn.points >= 150, `${drawn.points} points drawn`);
  assert.match(await text(page, "canvas-cursor"), /^Added \d+\. Cursor at x 0\.00, y 2\.00: \d+ points? under the brush; [\d,]+ in all · Enter sprays\.$/);
  // Space on the canvas trains; again, pauses; both are said.
  await page.keyboard.press("Space");
  await page.waitForFunction(() => window.tinydiff.status().step > 1500, null, { timeout: 60000 });
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !window.tinydiff.status().playing && /Paused at step/.test(document.getElementById("announcer").textContent));
  assert.equal(await focused(page), "main-canvas");
  // "?" lists the shortcuts; its switch turns the single keys off; Escape closes the list.
  await page.keyboard.press("?");
  await page.waitForFunction(() => document.getElementById("keys-dialog").open);
  await tabTo(page, "#keys-enabled", 10);
  await page.keyboard.press("Space");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.getElementById("keys-dialog").open);
  assert.equal(await focused(page), "main-canvas", "closing the list returns the focus");
  await page.keyboard.press("e");
  assert.equal(await page.evaluate(() => document.getElementById("tool-erase").getAttribute("aria-pressed")), "false", "E chose a tool with the shortcuts off");
  await page.evaluate(() => localStorage.removeItem("tinydiff.shortcuts")); // on again for the tests after this one
  // Export the data: the file has every point.
  await tabTo(page, "#export-data");
  const download = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  const csv = fs.readFileSync(await (await download).path(), "utf8").trim().split("\n");
  assert.equal(csv.length - 1, drawn.points);
  // The reverse animation: played, paused with its t said, scrubbed, a point followed.
  await tabTo(page, "#anim-reverse");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.tinydiff.status().animation?.kind === "reverse");
  await tabTo(page, "#anim-play");
  await page.waitForFunction(() => !window.tinydiff.status().animation.playing, null, { timeout: 10000 });
  assert.match(await text(page, "anim-t-status"), /Reverse animation paused at (step 0 \/ \d+ · )?t = 0\./);
  await page.keyboard.press("Space"); // replays from the start
  await page.waitForFunction(() => window.tinydiff.status().animation.playing);
  assert.equal(await page.evaluate(() => document.getElementById("anim-play").getAttribute("aria-label")), "Pause the animation");
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "anim-t");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => !window.tinydiff.status().animation.playing && /paused at t = \d+/.test(document.getElementById("anim-t-status").textContent));
  await tabTo(page, "#follow-point");
  await page.keyboard.press("Enter");
  assert.ok((await status(page)).animation.followed >= 0, "no point followed");
  // Inspect: the open tab is in the Tab order; the arrows move to the others and show them.
  await tabTo(page, '[role="tab"][aria-selected="true"]');
  await page.keyboard.press("ArrowLeft");
  assert.equal(await focused(page), "tab-loss-t");
  assert.equal(await page.evaluate(() => document.getElementById("view-loss-t").hidden), false);
  assert.equal(await page.evaluate(() => window.__pointerEvents), 0, "a pointer event happened");
  assert.deepEqual(await errorsOf(page), []);
  await page.close();
});

// WebKitGTK's MiniBrowser window is at least ~450 px wide and has no touch emulation.
test("phone: no axe violation at 390 px; a swipe over the canvas scrolls and changes no data; presets and Train before the canvas's end; nothing cut off at 320 px",
  onlyWhere({ webkit: "MiniBrowser has no phone emulation (no touch, windows of 450 px or more)" }), async () => {
    const page = await open("", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await noViolations(page, "at 390 px");
    const before = await page.evaluate(() => ({ data: Array.from(window.tinydiff.status().data), dataset: window.tinydiff.status().settings.dataset }));
    const layout = await page.evaluate(() => {
      const bottom = (s) => document.querySelector(s).getBoundingClientRect().bottom;
      return { canvasBottom: bottom("#main-canvas"), presets: bottom(".presets"), train: bottom("#play"), scrollY: scrollY };
    });
    assert.ok(layout.presets < layout.canvasBottom && layout.train < layout.canvasBottom, JSON.stringify(layout));
    const box = await page.locator("#main-canvas").boundingBox();
    const x = box.x + box.width / 2;
    await page.evaluate(() => { window.__touches = 0; addEventListener("pointermove", (e) => { if (e.pointerType === "touch") window.__touches++; }, true); });
    await page.swipe({ x, y: box.y + box.height * 0.8 }, { x, y: box.y + box.height * 0.2 });
    // Chromium's emulated touch scrolls the page as a finger does; Firefox's (over BiDi) reaches the page's
    // events but scrolls nothing even on a plain page, so there the swipe's events are checked to have arrived.
    if (engine === "chromium") await page.waitForFunction((y0) => scrollY > y0 + 50, layout.scrollY, { timeout: 5000 });
    else await page.waitForFunction(() => window.__touches > 0, null, { timeout: 5000 });
    const after = await page.evaluate(() => ({ data: Array.from(window.tinydiff.status().data), dataset: window.tinydiff.status().settings.dataset }));
    assert.deepEqual(after, before, "the swipe changed the data");
    await noViolations(page, "at 390 px, scrolled");
    assert.deepEqual(await errorsOf(page), []);
    await page.close();
    const narrow = await open("", { viewport: { width: 320, height: 700 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const cut = await narrow.evaluate(() => ({ overflow: Math.max(0, document.documentElement.scrollWidth - innerWidth),
      clipped: [...document.querySelectorAll("button, select, input, .canvas-note, .preview-caption")].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5) && !e.closest(".sweep-wrap");
      }).map((e) => e.id || e.textContent.trim().slice(0, 20)) }));
    assert.deepEqual(cut, { overflow: 0, clipped: [] });
    await narrow.close();
  });
