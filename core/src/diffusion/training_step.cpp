#include "diffusion/training_step.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "internal/kernels.hpp"

namespace tinydiff {
namespace {

// Shards of a batch of B rows on `threads` threads: at least 16 rows each
// (one SIMD-padded block), so that small batches stay on one thread.
int shard_count(int B, int threads) { return std::max(1, std::min(threads, B / 16)); }

int step_shards(const NetworkBuffers& net) { return shard_count(net.batch.size, net.pool ? net.pool->size() : 1); }

// [begin, end) of part k of n of a range of `size`, cut at multiples of 16.
std::pair<size_t, size_t> part(size_t size, int k, int n) {
  const auto edge = [&](int i) { return std::min(size, (size * size_t(i) / size_t(n) + 15) / 16 * 16); };
  return {edge(k), edge(k + 1)};
}

// Rows [first, last) of shard k of `shards` of a batch of B.
std::pair<int, int> shard_rows(int B, int k, int shards) { return {B * k / shards, B * (k + 1) / shards}; }

// Forward, loss and backward on this thread, the gradients' squares summed as written.
StepLoss forward_backward_alone(NetworkBuffers& net) {
  const int B = net.batch.size;
  const float* out = net.forward_rows(net.mlp, net.params.data(), 0, B);
  float* d_out = net.mlp.acts().d_out.data();
  StepLoss result{float(mse_loss(d_out, out, net.batch.target, B)), 0.0};
  double sum_squares = 0;
  net.mlp.backward(net.grads.data(), net.params.data(), d_out, B, GradientMode::Overwrite, &sum_squares);
  result.grad_norm = std::sqrt(sum_squares);
  return result;
}

// Each shard's rows through its own network copy, from its own copy of the
// parameters, into its own gradients.
void forward_backward_shards(NetworkBuffers& net, const ModelConfig& config, int shards) {
  const int B = net.batch.size;
  while (net.shard_mlps.size() < size_t(shards - 1)) net.shard_mlps.push_back(std::make_unique<Mlp<float>>(config));
  while (net.shard_grads.size() < size_t(shards)) net.shard_grads.emplace_back(net.grads.size());
  while (net.shard_params.size() < size_t(shards)) net.shard_params.emplace_back(net.params.size());
  net.shard_loss.assign(size_t(shards), 0.0);
  net.pool->run([&](int k) {
    if (k >= shards) return;
    const auto [first, last] = shard_rows(B, k, shards);
    Mlp<float>& mlp = k == 0 ? net.mlp : *net.shard_mlps[size_t(k - 1)];
    float* params = net.shard_params[size_t(k)].data();
    std::copy(net.params.begin(), net.params.end(), params);
    const float* out = net.forward_rows(mlp, params, first, last - first);
    float* d_out = mlp.acts().d_out.data();
    net.shard_loss[size_t(k)] = mse_loss(d_out, out, net.batch.target + 2 * size_t(first), last - first);
    mlp.backward(net.shard_grads[size_t(k)].data(), params, d_out, last - first, GradientMode::Overwrite);
  });
}

// Thread k sums slice k of the shards' gradients into net.grads, weighted by
// their rows, in shard order (deterministic for a given thread count), and
// the slice's squares.
void sum_shard_gradients(NetworkBuffers& net, int shards) {
  const int B = net.batch.size;
  net.slice_sum_squares.assign(size_t(shards), 0.0);
  net.pool->run([&](int k) {
    if (k >= shards) return;
    const auto [begin, end] = part(net.grads.size(), k, shards);
    float* g = net.grads.data() + begin;
    const size_t len = end - begin;
    const float w0 = float(shard_rows(B, 0, shards).second) / float(B);
    const float* g0 = net.shard_grads[0].data() + begin;
    for (size_t i = 0; i < len; ++i) g[i] = w0 * g0[i];
    for (int s = 1; s < shards; ++s) {
      const auto [first, last] = shard_rows(B, s, shards);
      const float w = float(last - first) / float(B);
      const float* gs = net.shard_grads[size_t(s)].data() + begin;
      for (size_t i = 0; i < len; ++i) g[i] += w * gs[i];
    }
    net.slice_sum_squares[size_t(k)] = simd::sum_squares(g, len);
  });
}

}  // namespace

void draw_batch(NetworkBuffers& net, TrainingData& data, const DiffusionConfig& config,
                const NoiseSchedule& schedule, Rng& rng, int B) {
  net.x0.resize(2 * size_t(B));
  net.noise.resize(2 * size_t(B));
  net.x_t.resize(2 * size_t(B));
  net.t.resize(size_t(B));
  net.labels.resize(size_t(B));
  const int* labels = config.model.num_classes > 0 ? net.labels.data() : nullptr;

  // A reflow's pairs bring their own noise; otherwise it is drawn.
  data.next_batch(net.x0.data(), net.labels.data(), B, rng, config.train.class_dropout, net.noise.data());
  if (!data.has_pairs()) rng.fill_normal(net.noise.data(), net.noise.size());
  if (config.schedule.objective == Objective::Flow) {
    if (config.schedule.coupling == Coupling::Ot) couple_noise_to_data(net.x0.data(), net.noise.data(), labels, B, net.coupling);
    net.times.resize(size_t(B));
    net.target.resize(2 * size_t(B));
    const bool squared = config.schedule.flow_time == FlowTime::Squared;
    for (int b = 0; b < B; ++b) {
      const double u = rng.uniform(0.0, 1.0);
      const float t = float(squared ? u * u : u);
      net.times[size_t(b)] = t;
      for (size_t i = 2 * size_t(b); i < 2 * size_t(b) + 2; ++i) {
        net.x_t[i] = (1 - t) * net.x0[i] + t * net.noise[i];
        net.target[i] = net.noise[i] - net.x0[i];
      }
    }
    set_flow_batch(net, net.x_t.data(), net.target.data(), net.times.data(), B, labels, schedule.num_timesteps());
    return;
  }
  for (int b = 0; b < B; ++b) net.t[size_t(b)] = int(rng.below(uint64_t(schedule.num_timesteps())));
  schedule.add_noise(net.x_t.data(), net.x0.data(), net.noise.data(), net.t.data(), B);
  net.batch = {net.x_t.data(), net.t.data(), nullptr, labels, net.noise.data(), B};
}

void set_flow_batch(NetworkBuffers& net, const float* x_t, const float* velocity, const float* times, int B,
                    const int* labels, int T) {
  net.scaled_times.resize(size_t(B));
  for (int b = 0; b < B; ++b) net.scaled_times[size_t(b)] = times[b] * float(T);
  net.batch = {x_t, nullptr, net.scaled_times.data(), labels, velocity, B};
}

StepLoss forward_backward(NetworkBuffers& net, const ModelConfig& config) {
  const int shards = step_shards(net);
  if (shards == 1) return forward_backward_alone(net);
  forward_backward_shards(net, config, shards);
  sum_shard_gradients(net, shards);
  const int B = net.batch.size;
  double loss = 0, sum_squares = 0;
  for (int k = 0; k < shards; ++k) {
    const auto [first, last] = shard_rows(B, k, shards);
    loss += net.shard_loss[size_t(k)] * double(last - first) / double(B);
    sum_squares += net.slice_sum_squares[size_t(k)];
  }
  return {float(loss), std::sqrt(sum_squares)};
}

float clip_scale(double grad_norm, double max_norm) {
  // Applied inside AdamW (the same float multiply as torch's in-place
  // scaling), so the gradients buffer keeps the raw gradients.
  const double clip = max_norm / (grad_norm + 1e-6);
  return clip < 1.0 ? float(clip) : 1.0f;
}

void update_parameters(NetworkBuffers& net, const TrainConfig& train, int64_t step, float clip_scale) {
  const double lr = learning_rate_at(train, step);
  // The usual warm-up of the average (min(decay, (1 + n) / (10 + n))): early
  // on it follows the weights closely instead of dragging the random init along.
  const double n = double(step);
  const float ema_decay = float(std::min(train.ema_decay, (1.0 + n) / (10.0 + n)));
  const auto optimize = [&](size_t begin, size_t end) {
    simd::adamw_update(net.params.data() + begin, net.adam_m.data() + begin, net.adam_v.data() + begin,
                       net.grads.data() + begin, end - begin, clip_scale, lr, train.adam_beta1, train.adam_beta2,
                       train.adam_eps, train.weight_decay, long(step));
    if (!net.ema.empty()) simd::ema_update(net.ema.data() + begin, net.params.data() + begin, end - begin, ema_decay);
  };
  const int shards = step_shards(net);
  if (shards == 1) {
    optimize(0, net.params.size());
    return;
  }
  net.pool->run([&](int k) {
    if (k >= shards) return;
    const auto [begin, end] = part(net.params.size(), k, shards);
    optimize(begin, end);
  });
}

}  // namespace tinydiff
