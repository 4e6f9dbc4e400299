#!/usr/bin/env bash
# Every benchmark, side by side in one run (none of them is a test):
#   the kernel/layer microbenchmarks (Google Benchmark), then end-to-end
#   training steps/s and sampling time for the native build, the wasm build
#   under node and in a Web Worker in headless chromium, and the PyTorch
#   baseline (Debian's python3-torch, one thread), with ratios to it.
#   Then training steps/s at batch 32 / 256 / 1000 on one and two threads:
#   native (Diffusion::set_threads), the same code built for a generic x86-64
#   (SSE2: the wasm build's SIMD width, one thread), the wasm builds in
#   headless chromium (bench/browser_speed.mjs, whose rounds also run the SSE2
#   build and TF.js, so that their ratios are paired), and PyTorch;
#   and native 2 threads / 1 measured in alternating pairs (bench/thread_scaling.cpp);
#   and the page in chromium, Firefox ESR and WebKitGTK side by side: start-up, training
#   steps/s and the shown samples' distance at 1, 3 and 10 s after Train (bench/engines.mjs).
# usage: scripts/bench.sh [--no-micro]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
scripts/setup.sh native wasm browser
dpkg-query -W -f='${Status}' python3-torch 2>/dev/null | grep -q "install ok installed" || {
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq python3-torch python3-numpy >/dev/null
}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTINYDIFF_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$jobs" --target tinydiff_bench_micro tinydiff_bench_e2e tinydiff_bench_thread_scaling >/dev/null
# The same code for a generic x86-64 (SSE2, 128 bits): the native build at the
# wasm build's SIMD width, for "wasm / native at the same width".
cmake -S . -B build-sse -DCMAKE_BUILD_TYPE=Release -DTINYDIFF_BUILD_BENCH=ON -DTINYDIFF_PORTABLE=ON \
  -DTINYDIFF_BUILD_TESTS=OFF -DTINYDIFF_BUILD_CLI=OFF >/dev/null
cmake --build build-sse -j"$jobs" --target tinydiff_bench_e2e >/dev/null
scripts/build_web.sh >/dev/null

out=build/bench-results
mkdir -p "$out"
if [ "${1:-}" != "--no-micro" ]; then
  echo "== microbenchmarks"
  build/bench/tinydiff_bench_micro --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_min_time=0.2 | tee "$out/micro.txt"
fi
echo "== the core's measured FMA peak (register-only loop, median of 5)"
build/bench/tinydiff_bench_micro --benchmark_filter=BM_FmaPeak --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out/peak.json"
echo "== end to end (medians of 5 repeats; each line one implementation)"
{
  build/bench/tinydiff_bench_e2e 5000 5
  node bench/e2e_wasm.mjs 3000 5
  node bench/e2e_wasm.mjs --browser 3000 5
  /usr/bin/python3 bench/pytorch_baseline.py --steps 1500 --repeats 5
} | tee "$out/e2e.jsonl"
python3 - "$out/e2e.jsonl" "$out/peak.json" <<'PY'
import json, re, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
peak = next(b for b in json.load(open(sys.argv[2]))["benchmarks"] if b["name"].endswith("_median"))
measured_peak = peak["GFLOP/s"] / 1e9
model = next((l for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
clock = re.search(r"@ ([0-9.]+)GHz", model)
flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
lanes = 16 if " avx512f" in flags else 8
base = next(r for r in rows if r["implementation"].startswith("pytorch"))
print("\n| implementation | train steps/s | x PyTorch | sample 1000 x 50 (s) | x faster than PyTorch |")
print("| --- | --- | --- | --- | --- |")
for r in rows:
    print(f"| {r['implementation']} | {r['train_steps_per_s']:.0f} | {r['train_steps_per_s'] / base['train_steps_per_s']:.1f} "
          f"| {r['sample_1000x50_s']:.3f} | {base['sample_1000x50_s'] / r['sample_1000x50_s']:.1f} |")
native = next(r for r in rows if r["implementation"] == "native")
gflops = native['train_gflops']
print(f"\nnative training step: {gflops:.1f} GFLOP/s ({native['flops_per_step'] / 1e6:.1f} MFLOP a step)")
if clock:
    nominal = float(clock.group(1)) * 2 * lanes * 2
    print(f"  = {100 * gflops / nominal:.1f}% of the nominal single-core peak {nominal:.1f} GFLOP/s "
          f"({clock.group(1)} GHz x 2 FMA units x {lanes} floats x 2 FLOP)")
print(f"  = {100 * gflops / measured_peak:.1f}% of the measured FMA peak {measured_peak:.1f} GFLOP/s (BM_FmaPeak)")
PY

echo
echo "== batch sizes and threads (native: median of 5 repeats; chromium: bench/browser_speed.mjs; PyTorch: median of 3)"
{
  for batch in 32 256 1000; do
    for threads in 1 2; do
      build/bench/tinydiff_bench_e2e $((160000 / batch)) 5 "$batch" "$threads"
      /usr/bin/python3 bench/pytorch_baseline.py --steps $((16000 / batch)) --repeats 3 --batch "$batch" --threads "$threads" --no-sample
    done
  done
} | tee "$out/threads.jsonl"
[ -d bench/tfjs/node_modules/@tensorflow/tfjs ] || (cd bench/tfjs && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# The wasm builds in chromium, with TF.js and the native SSE2 build in the same
# rounds: ratios within a round are paired (measured seconds apart).
node bench/browser_speed.mjs --rounds 5 --seconds 2 --tfjs --sse-native build-sse/bench/tinydiff_bench_e2e --json |
  tee "$out/browser_speed.json"
python3 - "$out/threads.jsonl" "$out/browser_speed.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
browser = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
def rate(impl, batch, threads):
    for r in rows:
        if r["implementation"].startswith(impl) and r["batch"] == batch and r["threads"] == threads:
            return r["train_steps_per_s"]
def wasm(build, batch, threads):  # its median ("stepsPerSecond") and every round's figure ("all")
    return next(r for r in browser if r["build"] == build and r["batch"] == batch and r["threads"] == threads)
def paired(a, b):  # the median of each round's own ratio
    ratios = sorted(x / y for x, y in zip(a["all"], b["all"]))
    return ratios[len(ratios) // 2]
print("\nwasm and SSE2 columns: bench/browser_speed.mjs, medians of 5 rounds; their ratios are medians of each round's own ratio.")
print("\n| batch | native 1 thread | native 2 | 2 / 1 | native SSE2 1 | wasm (chromium) 1 | wasm / SSE2 | wasm threaded 1 | wasm threaded 2 | 2 / 1 (threaded build) | 2 / single | TF.js wasm | wasm / TF.js | PyTorch 1 | PyTorch 2 | native / PyTorch (1 thread) | wasm / PyTorch |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for b in (32, 256, 1000):
    n1, n2, p1, p2 = rate("native", b, 1), rate("native", b, 2), rate("pytorch", b, 1), rate("pytorch", b, 2)
    w1, t1, t2 = wasm("single", b, 1), wasm("threads", b, 1), wasm("threads", b, 2)
    tf, sse = wasm("tfjs-wasm", b, 1), wasm("sse-native", b, 1)
    print(f"| {b} | {n1:.0f} | {n2:.0f} | {n2 / n1:.2f}x | {sse['stepsPerSecond']:.0f} | {w1['stepsPerSecond']:.1f} | {paired(w1, sse):.2f}x | "
          f"{t1['stepsPerSecond']:.1f} | {t2['stepsPerSecond']:.1f} | {paired(t2, t1):.2f}x | {paired(t2, w1):.2f}x | "
          f"{tf['stepsPerSecond']:.2f} | {paired(w1, tf):.1f}x | {p1:.1f} | {p2:.1f} | {n1 / p1:.1f}x | {w1['stepsPerSecond'] / p1:.1f}x |")
PY

echo
echo "== native 2 threads / 1, measured in pairs (bench/thread_scaling.cpp: one model alternating, 11 rounds of 0.3 s a side)"
build/bench/tinydiff_bench_thread_scaling 32,256,1000 2 11 0.3 | tee "$out/thread_scaling.jsonl"
python3 - "$out/thread_scaling.jsonl" <<'PY'
import json, sys
print("\n| batch | 1 thread | 2 threads | 2 / 1, median of the paired rounds (range) |")
print("|---:|---:|---:|---:|")
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"| {r['batch']} | {r['steps_per_s_1']:.0f} | {r['steps_per_s_n']:.0f} | "
          f"{r['ratio_median']:.2f}x ({r['ratio_min']:.2f}-{r['ratio_max']:.2f}) |")
PY
echo
echo "== the page in each engine (bench/engines.mjs: chromium, Firefox ESR, WebKitGTK; rounds alternate the engines)"
node bench/engines.mjs --rounds 3 | tee "$out/engines.md"
