#include "tinydiff/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "tinydiff/config_fields.hpp"
#include "tinydiff/io.hpp"

namespace tinydiff {
namespace {

using Json = nlohmann::json;
constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // far above any real header

[[noreturn]] void fail(const std::string& message) { throw ModelFileError(message); }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

struct TensorEntry {
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // byte offsets into the data section
};

// A non-negative integer no larger than `max`, or a clear failure.
uint64_t checked_uint(const Json& v, uint64_t max, const std::string& what) {
  if (!v.is_number_integer() && !v.is_number_unsigned()) fail(what + " is not an integer");
  if (v.is_number_integer() && v.get<int64_t>() < 0) fail(what + " is negative");
  const uint64_t value = v.get<uint64_t>();
  if (value > max) fail(what + " (" + std::to_string(value) + ") is out of range");
  return value;
}

std::map<std::string, TensorEntry> read_entries(const Json& header, uint64_t data_size,
                                                std::map<std::string, std::string>& metadata) {
  std::map<std::string, TensorEntry> entries;
  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail("__metadata__ is not an object");
      for (const auto& [key, text] : value.items()) {
        if (!text.is_string()) fail("metadata \"" + key + "\" is not a string");
        metadata[key] = text.get<std::string>();
      }
      continue;
    }
    const std::string what = "tensor \"" + name.substr(0, 80) + "\"";
    if (!value.is_object()) fail(what + " is not described by an object");
    if (!value.contains("dtype") || !value["dtype"].is_string()) fail(what + " has no dtype");
    const std::string dtype = value["dtype"].get<std::string>();
    if (dtype != "F32") fail(what + " has dtype " + dtype.substr(0, 16) + "; only F32 (float32) is supported");
    if (!value.contains("shape") || !value["shape"].is_array() || value["shape"].size() > 4) {
      fail(what + " has no valid shape");
    }
    if (!value.contains("data_offsets") || !value["data_offsets"].is_array() || value["data_offsets"].size() != 2) {
      fail(what + " has no valid data_offsets");
    }
    TensorEntry entry;
    uint64_t count = 1;
    for (const Json& d : value["shape"]) {
      const uint64_t dim = checked_uint(d, 1u << 30, what + " shape entry");
      entry.shape.push_back(int64_t(dim));
      count *= dim;
      if (count > data_size) fail(what + " is larger than the file");
    }
    const uint64_t unbounded = ~uint64_t(0);
    entry.begin = checked_uint(value["data_offsets"][0], unbounded, what + " data offset");
    entry.end = checked_uint(value["data_offsets"][1], unbounded, what + " data end");
    if (entry.end > data_size) {
      fail(what + " lies past the end of the file (byte " + std::to_string(entry.end) + " of " +
           std::to_string(data_size) + " data bytes): the file is truncated or damaged");
    }
    if (entry.end < entry.begin) fail(what + " ends before it begins");
    if (entry.end - entry.begin != 4 * count) {
      fail(what + " holds " + std::to_string(entry.end - entry.begin) + " bytes, but shape " +
           shape_text(entry.shape) + " needs " + std::to_string(4 * count));
    }
    entries[name] = entry;
  }
  return entries;
}

int metadata_int(const std::map<std::string, std::string>& m, const std::string& key, int fallback) {
  const auto it = m.find(key);
  if (it == m.end()) return fallback;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < 0 || v > 1'000'000) {
    fail("metadata " + key + " \"" + it->second.substr(0, 20) + "\" is not a valid integer");
  }
  return int(v);
}

const TensorEntry& require(const std::map<std::string, TensorEntry>& entries, const std::string& name) {
  const auto it = entries.find(name);
  if (it == entries.end()) fail("missing tensor \"" + name + "\"");
  return it->second;
}

// Sizes from the shapes (a PyTorch state_dict records nothing else).
void infer_from_shapes(DiffusionConfig& c, const std::map<std::string, TensorEntry>& entries) {
  const TensorEntry& first = require(entries, "joint_mlp.0.weight");
  c.model.num_classes = 0;
  const auto table = entries.find("class_embedding.weight");
  if (table != entries.end()) {  // a conditional model: [K + 1, E]
    if (table->second.shape.size() != 2 || table->second.shape[0] < 2) fail("class_embedding.weight is not a [K + 1, E] table");
    c.model.num_classes = int(table->second.shape[0]) - 1;
  }
  if (first.shape.size() != 2) fail("joint_mlp.0.weight is not a matrix");
  c.model.hidden_size = int(first.shape[0]);
  int blocks = 0;
  while (entries.count("joint_mlp." + std::to_string(2 + blocks) + ".ff.weight")) ++blocks;
  c.model.hidden_layers = blocks;
  const bool time_learnable = entries.count("time_mlp.layer.linear.weight") > 0;
  const bool input_learnable = entries.count("input_mlp1.layer.linear.weight") > 0;
  if (time_learnable) c.model.time_embedding = EmbeddingKind::Learnable;
  else if (c.model.time_embedding == EmbeddingKind::Learnable) c.model.time_embedding = EmbeddingKind::Sinusoidal;
  if (input_learnable) c.model.input_embedding = EmbeddingKind::Learnable;
  else if (c.model.input_embedding == EmbeddingKind::Learnable) c.model.input_embedding = EmbeddingKind::Sinusoidal;
  const auto& sized = time_learnable ? require(entries, "time_mlp.layer.linear.weight")
                                     : input_learnable ? require(entries, "input_mlp1.layer.linear.weight")
                                                       : first;
  if (time_learnable || input_learnable) {
    c.model.embedding_size = int(sized.shape.at(0));
    return;
  }
  if (table != entries.end()) {
    c.model.embedding_size = int(table->second.shape[1]);
    return;
  }
  // Solve input_dim = 2 * input_width + time_width for the embedding size.
  const int D = int(first.shape[1]);
  const int wide = (c.model.input_embedding == EmbeddingKind::Sinusoidal ? 2 : 0) +
                   (c.model.time_embedding == EmbeddingKind::Sinusoidal ? 1 : 0);
  const int fixed = (c.model.input_embedding == EmbeddingKind::Sinusoidal ? 0 : 2) +
                    (c.model.time_embedding == EmbeddingKind::Sinusoidal ? 0 : 1);
  if (wide > 0) {
    if ((D - fixed) % wide != 0 || D <= fixed) {
      fail("the first layer takes " + std::to_string(D) + " inputs, which " + to_string(c.model.input_embedding) +
           " input and " + to_string(c.model.time_embedding) +
           " time embeddings cannot give: set the embedding kinds the model was trained with");
    }
    c.model.embedding_size = (D - fixed) / wide;
  }
}

}  // namespace

std::vector<uint8_t> save_safetensors(const Diffusion& model) {
  const DiffusionConfig& c = model.config();
  const MlpLayout& layout = model.layout();
  nlohmann::ordered_json header;
  header["__metadata__"] = {
      {"format", "tinydiff"},
      {"format_version", std::to_string(kModelFormatVersion)},
  };
  for (const ConfigField& field : config_fields()) {
    if (field.in_model_file != InModelFile::No) header["__metadata__"][field.name] = field.to_text(c);
  }
  if (model.num_classes() > 0) {
    std::string shares;
    for (double p : model.class_proportions()) {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%.9g", p);
      shares += (shares.empty() ? "" : ",") + std::string(buffer);
    }
    header["__metadata__"]["class_proportions"] = shares;
  }
  for (const TensorInfo& t : layout.tensors) {
    header[t.name] = {{"dtype", "F32"},
                      {"shape", t.shape},
                      {"data_offsets", {t.offset * 4, (t.offset + t.size) * 4}}};
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keep the data 8-byte aligned
  std::vector<uint8_t> bytes(8 + text.size() + layout.num_params * 4);
  const uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) bytes[i] = uint8_t(length >> (8 * i));
  std::memcpy(bytes.data() + 8, text.data(), text.size());
  std::memcpy(bytes.data() + 8 + text.size(), model.model_parameters().data(), layout.num_params * 4);
  return bytes;
}

namespace {

// The configuration a file records in its metadata, or (a plain PyTorch
// state_dict) what its shapes tell on top of `fallback`; validated.
DiffusionConfig config_of_file(const std::map<std::string, std::string>& metadata,
                               const std::map<std::string, TensorEntry>& entries, const DiffusionConfig& fallback,
                               bool had_metadata) {
  DiffusionConfig c = fallback;
  if (had_metadata) {
    if (metadata_int(metadata, "format_version", kModelFormatVersion) > kModelFormatVersion) {
      fail("the file has format version " + metadata.at("format_version") + "; this tinydiff reads version " +
           std::to_string(kModelFormatVersion));
    }
    for (const ConfigField& field : config_fields()) {
      const auto it = metadata.find(field.name);
      if (field.in_model_file == InModelFile::No || it == metadata.end()) continue;
      try {
        field.set_from_text(c, it->second, NameStyle::Snake);
      } catch (const ConfigError& e) {
        fail(std::string("metadata ") + e.what());
      }
    }
  } else {
    infer_from_shapes(c, entries);
  }
  try {
    validate(c);
  } catch (const ConfigError& e) {
    fail(std::string("the model's configuration is invalid: ") + e.what());
  }
  return c;
}

// Every tensor of the layout, with its shape, and nothing else; finite.
std::vector<float> weights_of_file(const MlpLayout& layout, const std::map<std::string, TensorEntry>& entries,
                                   const uint8_t* data) {
  std::vector<float> weights(layout.num_params, 0.0f);
  std::set<std::string> expected;
  for (const TensorInfo& t : layout.tensors) {
    expected.insert(t.name);
    const TensorEntry& entry = require(entries, t.name);
    if (entry.shape != t.shape) {
      fail("tensor \"" + t.name + "\" has shape " + shape_text(entry.shape) + ", but this configuration needs " +
           shape_text(t.shape));
    }
    std::memcpy(weights.data() + t.offset, data + entry.begin, 4 * t.size);  // little-endian hosts
  }
  for (const auto& [name, entry] : entries) {
    if (!expected.count(name)) fail("unexpected tensor \"" + name.substr(0, 80) + "\" for this configuration");
  }
  for (float w : weights) {
    if (!std::isfinite(w)) fail("the weights hold NaN or infinite values");
  }
  return weights;
}

// The K class shares of the metadata's comma-separated "class_proportions"
// (equal shares when absent).
std::vector<double> class_shares_of_file(const std::map<std::string, std::string>& metadata, int K) {
  const auto shares = metadata.find("class_proportions");
  if (K == 0 || shares == metadata.end()) return std::vector<double>(size_t(K), 1.0 / std::max(K, 1));
  std::vector<double> values;
  const std::string& text = shares->second;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    char* stop = nullptr;
    const double v = std::strtod(item.c_str(), &stop);
    if (item.empty() || *stop != '\0' || !std::isfinite(v) || v < 0) {
      fail("metadata class_proportions \"" + text.substr(0, 60) + "\" is not a list of shares");
    }
    values.push_back(v);
    begin = end + 1;
  }
  double sum = 0;
  for (double v : values) sum += v;
  if (values.size() != size_t(K) || !(sum > 0)) {
    fail("metadata class_proportions has " + std::to_string(values.size()) + " shares for " + std::to_string(K) +
         " classes");
  }
  return values;
}

}  // namespace

LoadedModel parse_safetensors(const uint8_t* bytes, size_t size, const DiffusionConfig& fallback) {
  if (size < 8) fail("the file is too short to be a safetensors model (" + std::to_string(size) + " bytes)");
  uint64_t header_len = 0;
  for (int i = 0; i < 8; ++i) header_len |= uint64_t(bytes[i]) << (8 * i);
  if (header_len > size - 8 || header_len > kMaxHeaderBytes) {
    fail("the header length (" + std::to_string(header_len) + " bytes) runs past the end of the file (" +
         std::to_string(size) + " bytes): the file is truncated or not a safetensors model");
  }
  const Json header = Json::parse(bytes + 8, bytes + 8 + header_len, nullptr, false);
  if (header.is_discarded() || !header.is_object()) fail("the header is not a JSON object: not a safetensors model");
  const uint8_t* data = bytes + 8 + header_len;
  std::map<std::string, std::string> metadata;
  const auto entries = read_entries(header, size - 8 - header_len, metadata);

  LoadedModel loaded;
  loaded.had_metadata = metadata.count("hidden_size") > 0;
  loaded.config = config_of_file(metadata, entries, fallback, loaded.had_metadata);
  loaded.parameters = weights_of_file(MlpLayout(loaded.config.model), entries, data);
  loaded.class_proportions = class_shares_of_file(metadata, loaded.config.model.num_classes);
  return loaded;
}

LoadedModel read_model_file(const std::string& path, const DiffusionConfig& fallback) {
  const auto bytes = read_binary_file(path, "model file");
  try {
    return parse_safetensors(bytes.data(), bytes.size(), fallback);
  } catch (const ModelFileError& e) {
    throw ModelFileError(path + ": " + e.what());
  }
}

std::unique_ptr<Diffusion> make_model(const LoadedModel& loaded) {
  auto model = std::make_unique<Diffusion>(loaded.config);
  model->set_parameters(loaded.parameters.data(), loaded.parameters.size());
  if (model->num_classes() > 0 && loaded.class_proportions.size() == size_t(model->num_classes())) {
    model->set_class_proportions(loaded.class_proportions);
  }
  return model;
}

std::unique_ptr<Diffusion> load_model_replacing(const uint8_t* bytes, size_t size, const Diffusion& current) {
  if (double(size) > kMaxModelFileBytes) {
    throw ConfigError("the model file is larger than " + std::to_string(int(kMaxModelFileBytes / (1024 * 1024))) + " MB");
  }
  auto next = make_model(parse_safetensors(bytes, size, current.config()));
  if (!current.data().empty()) {
    try {
      next->set_points({current.data(), current.labels()});
    } catch (const ConfigError&) {  // data of other classes than the new model's: it starts without data
    }
  }
  next->set_threads(current.threads());
  return next;
}

}  // namespace tinydiff
