// Scatter plots of 2D points as PNG files, in the reference's [-6, 6]^2 frame.
#pragma once

#include <string>

namespace tinydiff::cli {

// Writes a size x size PNG: light grid every 2 units, a frame, the points,
// and `title` in the top-left corner. Throws std::runtime_error on failure.
void write_scatter_png(const std::string& path, const float* xy, size_t n,
                       const std::string& title, int size = 512);

}  // namespace tinydiff::cli
