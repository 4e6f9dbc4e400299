// Point files, .npy and .safetensors output.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tinydiff/io.hpp"
#include "tinydiff/model_file.hpp"

namespace tinydiff {
namespace {

std::string error_of(const std::string& text) {
  return testing::error_of<IoError>([&] { parse_points_csv(text, "pts.csv"); });
}

TEST(Csv, AcceptsCommonShapes) {
  const std::vector<float> want{1.5f, -2.0f, 3.0f, 4.25f};
  EXPECT_EQ(parse_points_csv("1.5,-2\n3,4.25\n").xy, want);
  EXPECT_EQ(parse_points_csv("x,y\n1.5,-2\n3,4.25").xy, want);                  // header, no final newline
  EXPECT_EQ(parse_points_csv("\xEF\xBB\xBFx,y\r\n1.5,-2\r\n3,4.25\r\n").xy, want);  // BOM + CRLF
  EXPECT_EQ(parse_points_csv("# comment\n\n1.5;-2\n3\t4.25\n").xy, want);
  EXPECT_EQ(parse_points_csv("  1.5   -2\n3 , 4.25\n").xy, want);
  EXPECT_EQ(parse_points_csv("1.5e0,-2E0\n+3,4.25\n").xy, want);
}

TEST(Csv, RejectsJunkWithTheLineNumber) {
  EXPECT_NE(error_of("1,2\n3,abc\n").find("line 2"), std::string::npos);
  EXPECT_NE(error_of("1,2\n3,abc\n").find("\"abc\" is not a number"), std::string::npos);
  EXPECT_NE(error_of("1,2,3,4\n").find("expected 2 columns (x, y) or 3 (x, y, label), found 4"), std::string::npos);
  EXPECT_NE(error_of("1,2\n5\n").find("line 2: expected 2 columns (x, y) as on line 1, found 1"),
            std::string::npos);
  EXPECT_NE(error_of("1,2\nnan,1\n").find("finite"), std::string::npos);
  EXPECT_NE(error_of("1,2\n1,inf\n").find("finite"), std::string::npos);
  EXPECT_NE(error_of("1,2\n1,1e39\n").find("finite"), std::string::npos);  // overflows float
  EXPECT_NE(error_of("").find("has no points"), std::string::npos);
  EXPECT_NE(error_of("x,y\n").find("has no points"), std::string::npos);
  EXPECT_NE(error_of("x,y\na,b\n").find("line 2"), std::string::npos);  // only one header
  EXPECT_NE(error_of("1,2\n\x01\x02,3\n").find("line 2"), std::string::npos);
}

TEST(Csv, MissingFileAndFolderAreClear) {
  EXPECT_TRUE(testing::contains(testing::error_of<IoError>([] { read_points_csv("/nonexistent/points.csv"); }),
                                "cannot open"));
  EXPECT_THROW(read_points_csv(std::filesystem::temp_directory_path().string()), IoError);
}

TEST(Csv, RoundTripsThroughFormat) {
  const std::vector<float> xy{0.1f, -3.25f, 1e-7f, 123456.7f};
  EXPECT_EQ(parse_points_csv(format_points_csv(xy.data(), 2)).xy, xy);
  const std::vector<int> labels{3, 0};
  const PointSet back = parse_points_csv(format_points_csv(xy.data(), 2, labels.data()));
  EXPECT_EQ(back.xy, xy);
  EXPECT_EQ(back.labels, labels);
  EXPECT_EQ(back.num_classes(), 4);
}

TEST(Csv, ReadsAnOptionalLabelColumn) {
  const PointSet p = parse_points_csv("x,y,label\n1.5,-2,0\n3,4.25,7\n");
  EXPECT_EQ(p.xy, (std::vector<float>{1.5f, -2.0f, 3.0f, 4.25f}));
  EXPECT_EQ(p.labels, (std::vector<int>{0, 7}));
  EXPECT_EQ(parse_points_csv("1 2 1\n3 4 0\n").labels, (std::vector<int>{1, 0}));  // no header, spaces
  EXPECT_TRUE(parse_points_csv("1,2\n3,4\n").labels.empty());
  EXPECT_EQ(parse_points_csv("1,2\n").num_classes(), 0);
}

TEST(Csv, RejectsBadLabelsNamingTheLine) {
  EXPECT_NE(error_of("1,2,0\n3,4,-1\n").find("line 2: the label \"-1\" must be a class number from 0 to 7"),
            std::string::npos);
  EXPECT_NE(error_of("1,2,8\n").find("line 1: the label \"8\""), std::string::npos);
  EXPECT_NE(error_of("1,2,1.5\n").find("line 1: the label \"1.5\""), std::string::npos);
  EXPECT_NE(error_of("1,2,1e0\n").find("line 1: the label"), std::string::npos);
  EXPECT_NE(error_of("1,2,a\n").find("line 1"), std::string::npos);
  EXPECT_NE(error_of("x,y,label\n1,2,1\n3,4\n").find("line 3: expected 3 columns (x, y, label) as on line 2, found 2: a label on some rows only"),
            std::string::npos);
  EXPECT_NE(error_of("1,2\n3,4,1\n").find("line 2: expected 2 columns (x, y) as on line 1, found 3"), std::string::npos);
}

TEST(Npy, WritesAValidHeaderAndData) {
  const auto path = (std::filesystem::temp_directory_path() / "tinydiff_test.npy").string();
  const std::vector<float> data{1, 2, 3, 4, 5, 6};
  write_npy(path, data.data(), {1, 3, 2});
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  const size_t header_len = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos);
  EXPECT_NE(header.find("'shape': (1, 3, 2)"), std::string::npos);
  ASSERT_EQ(bytes.size(), 10 + header_len + 24);
  float back[6];
  std::memcpy(back, bytes.data() + 10 + header_len, 24);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(back[i], data[i]);
  write_npy(path, data.data(), {6});
  std::ifstream in1(path, std::ios::binary);
  std::string one((std::istreambuf_iterator<char>(in1)), std::istreambuf_iterator<char>());
  EXPECT_NE(one.find("'shape': (6,)"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Safetensors, HeaderNamesShapesOffsetsAndMetadata) {
  DiffusionConfig config;
  config.model.hidden_size = 16;
  config.model.hidden_layers = 2;
  config.model.embedding_size = 8;
  config.model.time_embedding = EmbeddingKind::Learnable;
  const Diffusion model(config);
  const auto bytes = save_safetensors(model);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= uint64_t(bytes[i]) << (8 * i);
  ASSERT_LE(8 + n, bytes.size());
  EXPECT_EQ((8 + n) % 8, 0u);
  const auto header = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + long(n));
  EXPECT_EQ(header["__metadata__"]["hidden_size"], "16");
  EXPECT_EQ(header["__metadata__"]["time_embedding"], "learnable");
  EXPECT_EQ(header["__metadata__"]["beta_schedule"], "linear");
  size_t tensors = 0;
  for (const TensorInfo& t : model.layout().tensors) {
    const auto& entry = header.at(t.name);
    EXPECT_EQ(entry["dtype"], "F32");
    EXPECT_EQ(entry["shape"].get<std::vector<int64_t>>(), t.shape);
    const auto offsets = entry["data_offsets"].get<std::vector<size_t>>();
    EXPECT_EQ(offsets[1] - offsets[0], 4 * t.size);
    float first;
    std::memcpy(&first, bytes.data() + 8 + n + offsets[0], 4);
    EXPECT_EQ(first, model.parameters()[t.offset]) << t.name;
    ++tensors;
  }
  EXPECT_EQ(header.size(), tensors + 1);
  EXPECT_EQ(bytes.size(), 8 + n + 4 * model.layout().num_params);
  EXPECT_TRUE(header.contains("time_mlp.layer.linear.weight"));
  EXPECT_TRUE(header.contains("joint_mlp.4.weight"));  // output layer after 2 blocks
}

}  // namespace
}  // namespace tinydiff
