// Model files (safetensors): round trips, files written by PyTorch, hostile
// files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fixture_util.hpp"
#include "test_support.hpp"
#include "tinydiff/dataset.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff {
namespace {

DiffusionConfig small(EmbeddingKind time = EmbeddingKind::Sinusoidal,
                      EmbeddingKind input = EmbeddingKind::Sinusoidal) {
  // Sizes unlike the defaults' and each other's, so a file's shapes tell them apart.
  DiffusionConfig c = testing::small_config(4);
  c.model.hidden_size = 24;
  c.model.embedding_size = 8;
  c.model.time_embedding = time;
  c.model.input_embedding = input;
  c.schedule.num_timesteps = 30;
  c.schedule.beta_schedule = BetaSchedule::Quadratic;
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
  return testing::error_of<ModelFileError>([&] { parse_safetensors(bytes.data(), bytes.size(), DiffusionConfig{}); });
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

// Files written before classes and flow matching (no num_classes, objective
// or class_proportions in __metadata__) load as unconditional noise-prediction
// models; a conditional file's shares are checked.
TEST(ModelFile, FilesWithoutTheNewerMetadataLoadAsBefore) {
  Diffusion model(small());
  const auto good = save_safetensors(model);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(good[i]) << (8 * i);
  nlohmann::ordered_json header = nlohmann::ordered_json::parse(good.begin() + 8, good.begin() + 8 + long(n));
  ASSERT_TRUE(header["__metadata__"].contains("num_classes"));
  header["__metadata__"].erase("num_classes");
  header["__metadata__"].erase("objective");
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  auto old = with_header(text, good.size() - 8 - n);
  std::copy(good.begin() + 8 + long(n), good.end(), old.begin() + 8 + long(text.size()));
  const LoadedModel loaded = parse_safetensors(old.data(), old.size(), DiffusionConfig{});
  EXPECT_EQ(loaded.config.model.num_classes, 0);
  EXPECT_EQ(loaded.config.schedule.objective, Objective::Eps);
  EXPECT_EQ(make_model(loaded)->parameters().to_vector(), model.parameters().to_vector());

  DiffusionConfig conditional = small();
  conditional.model.num_classes = 2;
  const auto file = save_safetensors(Diffusion(conditional));
  std::string bytes(file.begin(), file.end());
  const std::string shares = "\"class_proportions\":\"0.5,0.5\"";
  const size_t at = bytes.find(shares);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, shares.size(), "\"class_proportions\":\"0.5,x.5\"");
  const std::vector<uint8_t> damaged(bytes.begin(), bytes.end());
  EXPECT_NE(error_of(damaged).find("metadata class_proportions \"0.5,x.5\" is not a list of shares"), std::string::npos);
}

TEST(ModelFile, MissingFileOrFolderIsAnIoError) {
  EXPECT_THROW(read_model_file("/nonexistent/model.safetensors", DiffusionConfig{}), IoError);
  EXPECT_THROW(read_model_file("/tmp", DiffusionConfig{}), IoError);
}


}  // namespace
}  // namespace tinydiff
