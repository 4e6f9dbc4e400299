// Model files (safetensors): round trips, files written by PyTorch, hostile
// files; and the DDIM sampler.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fixture_util.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff {
namespace {

DiffusionConfig small(EmbeddingKind time = EmbeddingKind::Sinusoidal,
                      EmbeddingKind input = EmbeddingKind::Sinusoidal) {
  DiffusionConfig c;
  c.model.hidden_size = 24;
  c.model.hidden_layers = 2;
  c.model.embedding_size = 8;
  c.model.time_embedding = time;
  c.model.input_embedding = input;
  c.schedule.num_timesteps = 30;
  c.schedule.beta_schedule = BetaSchedule::Quadratic;
  c.train.seed = 4;
  return c;
}

std::vector<uint8_t> file_bytes(const std::string& name) {
  std::ifstream in(std::string(TINYDIFF_FIXTURES_DIR) + "/" + name, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(ModelFile, RoundTripKeepsConfigurationAndWeights) {
  for (auto kinds : {std::pair{EmbeddingKind::Sinusoidal, EmbeddingKind::Sinusoidal},
                     std::pair{EmbeddingKind::Learnable, EmbeddingKind::Learnable},
                     std::pair{EmbeddingKind::Zero, EmbeddingKind::Identity},
                     std::pair{EmbeddingKind::Linear, EmbeddingKind::Linear}}) {
    Diffusion model(small(kinds.first, kinds.second));
    model.set_data(make_dataset("moons", 200, 0));
    model.train(20);
    const auto bytes = save_safetensors(model);
    const LoadedModel loaded = parse_safetensors(bytes.data(), bytes.size(), DiffusionConfig{});
    EXPECT_TRUE(loaded.had_metadata);
    EXPECT_EQ(loaded.config.model.hidden_size, 24);
    EXPECT_EQ(loaded.config.model.hidden_layers, 2);
    EXPECT_EQ(loaded.config.model.embedding_size, 8);
    EXPECT_EQ(loaded.config.model.time_embedding, kinds.first);
    EXPECT_EQ(loaded.config.model.input_embedding, kinds.second);
    EXPECT_EQ(loaded.config.schedule.num_timesteps, 30);
    EXPECT_EQ(loaded.config.schedule.beta_schedule, BetaSchedule::Quadratic);
    EXPECT_TRUE(std::equal(loaded.parameters.begin(), loaded.parameters.end(), model.parameters().begin()));
    auto copy = make_model(loaded);
    EXPECT_EQ(copy->sample(50, 3), model.sample(50, 3));
  }
}

class PyTorchFiles : public ::testing::TestWithParam<const char*> {};

TEST_P(PyTorchFiles, AStateDictWrittenByPyTorchLoadsAndMatches) {
  const std::string name = GetParam();
  const auto expected = testing::load_fixture(name + ".json");
  const auto bytes = file_bytes(name + ".safetensors");
  // No metadata: the sizes come from the shapes; the kinds (sinusoidal, the
  // defaults) from the fallback, except learnable, which the names show.
  const LoadedModel loaded = parse_safetensors(bytes.data(), bytes.size(), DiffusionConfig{});
  EXPECT_FALSE(loaded.had_metadata);
  EXPECT_EQ(loaded.config.model.hidden_size, expected["config"]["hidden_size"].get<int>());
  EXPECT_EQ(loaded.config.model.hidden_layers, expected["config"]["hidden_layers"].get<int>());
  EXPECT_EQ(loaded.config.model.embedding_size, expected["config"]["emb_size"].get<int>());
  EXPECT_EQ(to_string(loaded.config.model.time_embedding), expected["config"]["time_emb"].get<std::string>());
  auto model = make_model(loaded);
  const auto want = testing::as_vector<double>(expected["output"]);
  for (size_t i = 0; i < expected["t"].size(); ++i) {
    const float xy[2] = {expected["x"][i][0].get<float>(), expected["x"][i][1].get<float>()};
    const auto eps = model->predict_noise(xy, 1, expected["t"][i].get<int>());
    EXPECT_NEAR(eps[0], want[2 * i], 1e-5) << name << " point " << i;
    EXPECT_NEAR(eps[1], want[2 * i + 1], 1e-5) << name << " point " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Reference, PyTorchFiles, ::testing::Values("pytorch_mlp", "pytorch_mlp_learnable"));

// ---- hostile files: every one refused with a message, none crashes ----

std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    parse_safetensors(bytes.data(), bytes.size(), DiffusionConfig{});
  } catch (const ModelFileError& e) {
    return e.what();
  }
  return "";
}

std::vector<uint8_t> with_header(const std::string& header, size_t data_bytes) {
  std::vector<uint8_t> bytes(8 + header.size() + data_bytes, 0);
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(n >> (8 * i));
  std::memcpy(bytes.data() + 8, header.data(), header.size());
  return bytes;
}

TEST(ModelFile, HostileFilesAreRefusedClearly) {
  Diffusion model(small());
  const auto good = save_safetensors(model);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(good[i]) << (8 * i);
  const std::string header(good.begin() + 8, good.begin() + 8 + long(n));
  const size_t data = good.size() - 8 - n;
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string h = header;
    const size_t at = h.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    h.replace(at, from.size(), to);
    return with_header(h, data);
  };

  EXPECT_NE(error_of({}).find("too short"), std::string::npos);
  EXPECT_NE(error_of({1, 2, 3}).find("too short"), std::string::npos);
  auto huge = good;
  huge[7] = 0x7f;  // header length past the end
  EXPECT_NE(error_of(huge).find("runs past the end"), std::string::npos);
  auto truncated = good;
  truncated.resize(good.size() - 100);
  EXPECT_NE(error_of(truncated).find("lies past the end of the file"), std::string::npos);
  EXPECT_NE(error_of(with_header("not json at all", 0)).find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(with_header("[1,2,3]", 0)).find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(edit("\"F32\"", "\"BF16\"")).find("only F32"), std::string::npos);
  EXPECT_NE(error_of(edit("\"data_offsets\":[0,", "\"data_offsets\":[99999999,")).find("ends before it begins"), std::string::npos);
  EXPECT_NE(error_of(edit("\"data_offsets\":[0,", "\"data_offsets\":[-4,")).find("negative"), std::string::npos);
  EXPECT_NE(error_of(edit("\"shape\":[24,", "\"shape\":[25,")).find("bytes, but shape"), std::string::npos);
  EXPECT_NE(error_of(edit("joint_mlp.4.weight", "joint_mlp.9.weight")).find("missing tensor \"joint_mlp.4.weight\""), std::string::npos);
  EXPECT_NE(error_of(edit("\"hidden_size\":\"24\"", "\"hidden_size\":\"32\"")).find("has shape [24, 24], but this configuration needs [32, 24]"), std::string::npos);
  EXPECT_NE(error_of(edit("\"hidden_size\":\"24\"", "\"hidden_size\":\"x\"")).find("metadata hidden_size must be an integer"), std::string::npos);
  EXPECT_NE(error_of(edit("\"time_embedding\":\"sinusoidal\"", "\"time_embedding\":\"magic\"")).find("metadata time_embedding must be one of"), std::string::npos);
  EXPECT_NE(error_of(edit("\"format_version\":\"1\"", "\"format_version\":\"9\"")).find("format version 9"), std::string::npos);
  EXPECT_NE(error_of(edit("\"hidden_size\":\"24\"", "\"hidden_size\":\"0\"")).find("metadata hidden_size must be an integer from 1"), std::string::npos);
  // NaN weights
  auto nan_weights = good;
  const float nan = std::nanf("");
  std::memcpy(nan_weights.data() + 8 + n, &nan, 4);
  EXPECT_NE(error_of(nan_weights).find("NaN"), std::string::npos);
  // An extra tensor
  std::string extra = header;
  extra.insert(1, "\"bogus\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},");
  EXPECT_NE(error_of(with_header(extra, data)).find("unexpected tensor \"bogus\""), std::string::npos);
  // Every prefix of a good file is refused, never a crash.
  for (size_t cut = 0; cut < good.size(); cut += 97) {
    std::vector<uint8_t> prefix(good.begin(), good.begin() + long(cut));
    EXPECT_FALSE(error_of(prefix).empty()) << "prefix of " << cut << " bytes";
  }
}

TEST(ModelFile, MissingFileOrFolderIsAnIoError) {
  EXPECT_THROW(read_model_file("/nonexistent/model.safetensors", DiffusionConfig{}), IoError);
  EXPECT_THROW(read_model_file("/tmp", DiffusionConfig{}), IoError);
}

// ---- DDIM ----

TEST(Ddim, EtaZeroIsDeterministicAndFollowsItsClosedForm) {
  Diffusion model(small());
  model.set_data(make_dataset("dino", 300, 0));
  model.train(100);
  const int T = model.num_timesteps(), n = 40;
  SampleOptions ddim{Sampler::Ddim, T, 0.0};
  std::vector<float> frames, ddpm_frames;
  const auto a = model.sample(n, 5, &frames, ddim);
  EXPECT_EQ(model.sample(n, 5, nullptr, ddim), a);
  model.sample(n, 5, &ddpm_frames);
  ASSERT_EQ(frames.size(), size_t(T + 1) * n * 2);
  // Both samplers start from the same noise.
  EXPECT_TRUE(std::equal(frames.begin(), frames.begin() + 2 * n, ddpm_frames.begin()));
  // Each step: x_{t-1} = sqrt(ab_{t-1}) x0 + sqrt(1 - ab_{t-1}) eps, x0 from x_t and eps.
  const auto& ab = model.schedule().alphas_cumprod;
  for (int k = 0; k < T; ++k) {
    const int t = T - 1 - k;
    const float* x = frames.data() + size_t(k) * n * 2;
    const auto eps = model.predict_noise(x, n, t);
    const double ab_prev = t > 0 ? ab[t - 1] : 1.0;
    for (int i = 0; i < 2 * n; ++i) {
      const double x0 = (x[i] - std::sqrt(1.0 - ab[t]) * eps[i]) / std::sqrt(double(ab[t]));
      const double next = std::sqrt(ab_prev) * x0 + std::sqrt(1.0 - ab_prev) * eps[i];
      ASSERT_NEAR(frames[size_t(k + 1) * n * 2 + i], next, 2e-4 * (1 + std::fabs(next))) << "t=" << t;
    }
  }
}

TEST(Ddim, FewerStepsAndNoiseOptions) {
  Diffusion model(small());
  const int n = 30;
  std::vector<float> frames;
  model.sample(n, 1, &frames, {Sampler::Ddim, 10, 0.5});
  EXPECT_EQ(frames.size(), size_t(11) * n * 2);
  EXPECT_NE(model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 0.5}), model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 0.0}));
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 10), (std::vector<int>{0, 1, 4, 7, 12, 17, 24, 31, 40, 49}));
  std::vector<int> all(50);
  for (int t = 0; t < 50; ++t) all[t] = t;
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 50), all);
  EXPECT_EQ(NoiseSchedule::ddim_timesteps(50, 1), std::vector<int>{49});
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, 31, 0.0}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, -1, 0.0}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddim, 10, 1.5}), ConfigError);
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::Ddpm, 10, 0.0}), ConfigError);
  EXPECT_THROW(parse_sampler("euler"), ConfigError);
}

// DPM-Solver++(2M): DDIM's first step, then DDIM's update applied to the
// second-order extrapolation of the data prediction, and a last step that
// lands on the data prediction.
TEST(DpmSolver, FollowsItsClosedForm) {
  Diffusion model(small());
  model.set_data(make_dataset("dino", 300, 0));
  model.train(100);
  const int T = model.num_timesteps(), n = 20, K = 8;
  const SampleOptions solver{Sampler::DpmSolver, K, 0.0};
  std::vector<float> frames, ddim_frames;
  const auto out = model.sample(n, 3, &frames, solver);
  EXPECT_EQ(model.sample(n, 3, nullptr, solver), out);  // eta 0: deterministic
  model.sample(n, 3, &ddim_frames, {Sampler::Ddim, K, 0.0});
  ASSERT_EQ(frames.size(), size_t(K + 1) * n * 2);
  const auto ts = NoiseSchedule::ddim_timesteps(T, K);  // ascending
  const auto& ab = model.schedule().alphas_cumprod;
  auto lambda = [&](int t) { return 0.5 * std::log(double(ab[t]) / (1.0 - ab[t])); };
  std::vector<double> x0_before;
  for (int k = 0; k < K; ++k) {
    const int t = ts[size_t(K - 1 - k)], t_prev = k + 1 < K ? ts[size_t(K - 2 - k)] : -1;
    const float* x = frames.data() + size_t(k) * n * 2;
    const auto eps = model.predict_noise(x, n, t);
    std::vector<double> x0(2 * n);
    for (int i = 0; i < 2 * n; ++i) x0[i] = (x[i] - std::sqrt(1.0 - ab[t]) * eps[i]) / std::sqrt(double(ab[t]));
    for (int i = 0; i < 2 * n; ++i) {
      double next;
      if (t_prev < 0) {
        next = x0[i];
      } else {
        double d = x0[i];
        if (k > 0) {
          const double h = lambda(t_prev) - lambda(t), h_before = lambda(t) - lambda(ts[size_t(K - k)]);
          const double half_inv_r = 0.5 * h / h_before;
          d = (1 + half_inv_r) * x0[i] - half_inv_r * x0_before[i];
        }
        const double e = (x[i] - std::sqrt(double(ab[t])) * d) / std::sqrt(1.0 - ab[t]);
        next = std::sqrt(double(ab[t_prev])) * d + std::sqrt(1.0 - ab[t_prev]) * e;
      }
      ASSERT_NEAR(frames[size_t(k + 1) * n * 2 + i], next, 2e-4 * (1 + std::fabs(next))) << "k=" << k;
    }
    x0_before = x0;
  }
  // The first step is DDIM's; later ones differ.
  for (int i = 0; i < 4 * n; ++i) ASSERT_NEAR(frames[i], ddim_frames[i], 1e-5 * (1 + std::fabs(frames[i])));
  EXPECT_NE(std::vector<float>(frames.end() - 2 * n, frames.end()), std::vector<float>(ddim_frames.end() - 2 * n, ddim_frames.end()));
  // eta > 0 adds noise; the same options and seed repeat.
  const SampleOptions noisy{Sampler::DpmSolver, K, 1.0};
  EXPECT_NE(model.sample(n, 3, nullptr, noisy), out);
  EXPECT_EQ(model.sample(n, 3, nullptr, noisy), model.sample(n, 3, nullptr, noisy));
  EXPECT_EQ(parse_sampler("dpm-solver"), Sampler::DpmSolver);
  EXPECT_EQ(to_string(Sampler::DpmSolver), "dpm-solver");
  EXPECT_THROW(model.sample(n, 1, nullptr, {Sampler::DpmSolver, T + 1, 0.0}), ConfigError);
}

}  // namespace
}  // namespace tinydiff
