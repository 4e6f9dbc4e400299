#include "sample_eval.hpp"

#include <cmath>
#include <cstdio>

#include "common.hpp"
#include "tinydiff/diffusion.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/metrics.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff::cli {
namespace {

// Binds the flags to `o`'s strings, which must stay where they are: one
// ModelOptions per subcommand, filled once.
void add_model_options(CLI::App& cmd, ModelOptions& o) {
  cmd.add_option("--model", o.model, "A model file (.safetensors) written by tinydiff or by PyTorch")->required();
  cmd.add_option("--n", o.n, "Points to sample")->capture_default_str();
  cmd.add_option("--seed", o.seed, "Seed of the sampling noise")->capture_default_str();
  const SampleOptions default_sampling;
  o.sampling.reserve(sample_option_fields().size());
  for (const SampleOptionField& field : sample_option_fields()) {
    o.sampling.emplace_back(&field, field.to_text(default_sampling));
    add_field_flag(cmd, field, o.sampling.back().second, field.help)->capture_default_str();
  }
  auto* group = cmd.add_option_group("for files without metadata (a PyTorch state_dict)");
  const DiffusionConfig defaults;
  o.fallback.reserve(config_fields().size());
  for (const ConfigField& field : config_fields()) {
    if (field.in_model_file != InModelFile::MetadataOnly || !field.cli_flag) continue;
    o.fallback.emplace_back(&field, field.to_text(defaults));
    add_field_flag(*group, field, o.fallback.back().second, std::string(field.help) + " the model was trained with")
        ->capture_default_str();
  }
}

std::unique_ptr<Diffusion> load_model(const ModelOptions& o, SampleOptions& sampling) {
  DiffusionConfig fallback;
  for (const auto& [field, text] : o.fallback) field->set_from_text(fallback, text, NameStyle::Flag);
  for (const auto& [field, text] : o.sampling) field->set_from_text(sampling, text, NameStyle::Flag);
  check_integer("--n", o.n, 1, Diffusion::kMaxSamples);
  return make_model(read_model_file(o.model, fallback));
}

}  // namespace

void add_sample_options(CLI::App& cmd, SampleCommand& c) {
  add_model_options(cmd, c.model);
  cmd.add_option("--out", c.out, "Output file: FILE.csv (x,y rows) or FILE.npy (float32 [n, 2])")->required();
}

void add_eval_options(CLI::App& cmd, EvalCommand& c) {
  add_model_options(cmd, c.model);
  auto* preset = cmd.add_option("--dataset", c.dataset, "Preset to compare with: " + join_names(dataset_names()))
                     ->capture_default_str();
  cmd.add_option("--data", c.data_file, "Or a CSV file of x,y points")->excludes(preset);
  cmd.add_option("--num_points", c.num_points, "Points drawn for the preset")->capture_default_str();
  cmd.add_option("--data_seed", c.data_seed, "Seed of the preset's points")->capture_default_str();
  cmd.add_option("--draws", c.draws, "Average over this many draws of --n samples (seeds seed, seed+1, ...)")
      ->capture_default_str();
  cmd.add_option("--radius", c.radius, "Radius of precision and coverage")->capture_default_str();
}

int run_sample(const SampleCommand& c) {
  const ModelOptions& o = c.model;
  const std::string& out = c.out;
  const bool csv = out.size() > 4 && out.substr(out.size() - 4) == ".csv";
  const bool npy = out.size() > 4 && out.substr(out.size() - 4) == ".npy";
  if (!csv && !npy) throw ConfigError("--out must name a .csv or .npy file (got \"" + out + "\")");
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  const auto t0 = Clock::now();
  const auto xy = model->sample(o.n, o.seed, nullptr, sampling);
  const double seconds = seconds_since(t0);
  if (csv) write_text_file(out, format_points_csv(xy.data(), size_t(o.n)));
  else write_npy(out, xy.data(), {size_t(o.n), 2});
  std::printf("sampled %d points with %s (%d steps) in %.3f s: %s\n", o.n, to_string(sampling.sampler).c_str(),
              model->sampling_steps(sampling), seconds, out.c_str());
  return 0;
}

int run_eval(const EvalCommand& c) {
  const ModelOptions& o = c.model;
  const int draws = c.draws;
  const double radius = c.radius;
  SampleOptions sampling;
  auto model = load_model(o, sampling);
  check_integer("--draws", draws, 1, 1000);
  if (!(radius > 0 && std::isfinite(radius))) throw ConfigError("--radius must be a positive number");
  const auto data = c.data_file.empty() ? make_dataset(c.dataset, c.num_points, c.data_seed) : read_points_csv(c.data_file);
  QualityScore mean;
  SpreadScore spread;
  for (int d = 0; d < draws; ++d) {
    const auto xy = model->sample(o.n, o.seed + uint64_t(d), nullptr, sampling);
    const auto s = quality_score(xy.data(), size_t(o.n), data.data(), data.size() / 2, radius);
    const auto extent = spread_score(xy.data(), size_t(o.n), data.data(), data.size() / 2);
    spread.std_x_ratio += extent.std_x_ratio / draws;
    spread.std_y_ratio += extent.std_y_ratio / draws;
    spread.corner_fill += extent.corner_fill / draws;
    mean.chamfer += s.chamfer / draws;
    mean.sample_to_data += s.sample_to_data / draws;
    mean.data_to_sample += s.data_to_sample / draws;
    mean.precision += s.precision / draws;
    mean.coverage += s.coverage / draws;
  }
  std::printf("chamfer %.4f (samples->data %.4f, data->samples %.4f); %.1f%% of samples within %g of the data, "
              "%.1f%% of the data covered  [%s, %d x %d samples]\n",
              mean.chamfer, mean.sample_to_data, mean.data_to_sample, 100 * mean.precision, radius,
              100 * mean.coverage, to_string(sampling.sampler).c_str(), draws, o.n);
  std::printf("spread: sample std %.3f (x) and %.3f (y) of the data's", spread.std_x_ratio, spread.std_y_ratio);
  if (std::isfinite(spread.corner_fill)) {
    std::printf("; the bounding box's 0.5 x 0.5 corners %.0f%% as full as the data's", 100 * spread.corner_fill);
  }
  std::printf("\n");
  return 0;
}

}  // namespace tinydiff::cli
