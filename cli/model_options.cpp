#include "model_options.hpp"

#include <cstdlib>

#include "common.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff::cli {

void add_model_options(CLI::App& cmd, ModelOptions& o, const SampleOptions& default_sampling) {
  cmd.add_option("--model", o.model, "A model file (.safetensors) written by tinydiff or by PyTorch")->required();
  cmd.add_option("--n", o.n, "Points to sample")->capture_default_str();
  cmd.add_option("--seed", o.seed, "Seed of the sampling noise")->capture_default_str();
  cmd.add_option("--class", o.class_choice,
                 "A conditional model: the class to draw, 0..K-1, or all (each sample a class in the data's "
                 "proportions)")
      ->capture_default_str();
  o.sampling.reserve(sample_option_fields().size());
  for (const SampleOptionField& field : sample_option_fields()) {
    if (!field.cli_flag) continue;  // --class, below
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

std::unique_ptr<Diffusion> load_model(const ModelOptions& o, SampleOptions& sampling, const char* flow_command) {
  DiffusionConfig fallback;
  for (const auto& [field, text] : o.fallback) field->set_from_text(fallback, text, NameStyle::Flag);
  for (const auto& [field, text] : o.sampling) field->set_from_text(sampling, text, NameStyle::Flag);
  check_integer("--n", o.n, 1, Diffusion::kMaxSamples);
  auto model = make_model(read_model_file(o.model, fallback));
  if (o.class_choice != "all") {
    char* end = nullptr;
    const long k = std::strtol(o.class_choice.c_str(), &end, 10);
    if (o.class_choice.empty() || *end != '\0' || k < 0 || k > kMaxLabel) {
      throw ConfigError("--class must be a class number from 0 to " + std::to_string(kMaxLabel) + " or all (got \"" +
                        o.class_choice.substr(0, 40) + "\")");
    }
    sampling.class_label = int(k);
  }
  if (flow_command && model->objective() != Objective::Flow) {
    throw ConfigError(std::string(flow_command) + " takes a flow model (trained with --objective flow)");
  }
  // The --sampler default is the noise-prediction objective's: another objective's model takes its own default.
  if (sampling.sampler == default_sampling(Objective::Eps).sampler) sampling.sampler = default_sampling(model->objective()).sampler;
  model->check_options(sampling);  // before any work
  return model;
}

void add_data_options(CLI::App& cmd, DataOptions& o, const std::string& purpose) {
  auto* preset = cmd.add_option("--dataset", o.dataset, "Preset " + purpose + ": " + join_names(dataset_names()))
                     ->capture_default_str();
  cmd.add_option("--data", o.data_file, "Or a CSV file of x,y points")->excludes(preset);
  cmd.add_option("--num_points", o.num_points, "Points drawn for the preset")->capture_default_str();
  cmd.add_option("--data_seed", o.data_seed, "Seed of the preset's points")->capture_default_str();
}

PointSet load_data(const DataOptions& o) {
  return o.data_file.empty() ? make_points(o.dataset, o.num_points, o.data_seed) : read_points_csv(o.data_file);
}

}  // namespace tinydiff::cli
