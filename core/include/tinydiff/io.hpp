// Files: point sets as CSV, arrays as .npy, models as .safetensors.
// All errors are tinydiff::IoError with a message naming the file and line.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tinydiff/dataset.hpp"


namespace tinydiff {

class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses "x,y" or "x,y,label" rows (comma, semicolon, tab or spaces between
// the fields). A first row that is not numeric is taken as a header; blank
// lines and lines starting with '#' are skipped. Every row has the same
// number of columns: the first row decides whether points carry a label.
// Rejects other junk, a wrong column count, NaN or inf, a label that is not
// an integer from 0 to 7, and an empty result, naming the line. `source`
// names the input in messages.
PointSet parse_points_csv(const std::string& text, const std::string& source = "input");
PointSet read_points_csv(const std::string& path);
// "x,y" (or "x,y,label" when labels is not null) header then one row per
// point, 7 significant digits.
std::string format_points_csv(const float* xy, size_t n, const int* labels = nullptr);
void write_text_file(const std::string& path, const std::string& text);

// NumPy .npy (format 1.0), little-endian float32, C order.
void write_npy(const std::string& path, const float* data, const std::vector<size_t>& shape);

void write_binary_file(const std::string& path, const std::vector<uint8_t>& bytes);
// The whole file; IoError naming the file when it cannot be read (or is a folder).
std::vector<uint8_t> read_binary_file(const std::string& path, const char* what);

}  // namespace tinydiff
