import { test } from "node:test";
import assert from "node:assert/strict";

import { parseCsv, toCsv } from "../../../web/shared/csv.js";

test("parseCsv refuses junk with the line number and keeps good rows", () => {
  assert.equal(parseCsv("x,y\n1,2\n3,4\n").xy.length, 4);
  assert.equal(parseCsv("x,y\n1,2\n3,4\n").labels, null);
  assert.deepEqual(Array.from(parseCsv("# a comment\n\uFEFF1;2\n3\t4\n5 6\n").xy), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseCsv("1,2\n3,oops\n"), /line 2: "oops" is not a number/);
  assert.throws(() => parseCsv("1,2,3,4\n"), /line 1: expected 2 columns \(x, y\) or 3 \(x, y, label\), found 4/);
  assert.throws(() => parseCsv("1,1e400\n"), /finite/);
  assert.throws(() => parseCsv("x,y\n"), /no points/);
  assert.throws(() => parseCsv("1,2\n3,4\n", 1), /more than 1 points/);
});

test("parseCsv reads an optional label column and refuses bad labels naming the line", () => {
  const p = parseCsv("x,y,label\n1,2,0\n3,4,7\n5 6 2\n");
  assert.deepEqual(Array.from(p.xy), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(p.labels), [0, 7, 2]);
  assert.throws(() => parseCsv("1,2,0\n3,4,-1\n"), /line 2: the label "-1" must be a class number from 0 to 7/);
  assert.throws(() => parseCsv("1,2,8\n"), /line 1: the label "8"/);
  assert.throws(() => parseCsv("1,2,1.5\n"), /line 1: the label "1.5"/);
  assert.throws(() => parseCsv("x,y,label\n1,2,1\n3,4\n"), /line 3: expected 3 columns \(x, y, label\) as on line 2, found 2: a label on some rows only/);
  assert.throws(() => parseCsv("1,2\n3,4,1\n"), /line 2: expected 2 columns \(x, y\) as on line 1, found 3/);
});

test("toCsv writes what parseCsv reads, with labels or without", () => {
  const xy = new Float32Array([0.5, -1.25, 3, 4.125]);
  assert.deepEqual(parseCsv(toCsv(xy)).xy, xy);
  assert.match(toCsv(xy), /^x,y\n/);
  const labels = new Int32Array([3, 0]);
  assert.match(toCsv(xy, labels), /^x,y,label\n0\.5,-1\.25,3\n/);
  assert.deepEqual(parseCsv(toCsv(xy, labels)).labels, labels);
});
