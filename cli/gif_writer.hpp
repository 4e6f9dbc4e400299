// Animated GIF files through giflib (Debian's libgif): each frame quantised
// to its own 256-colour palette, looping forever.
#pragma once

#include <string>
#include <vector>

#include "plot.hpp"

namespace tinydiff::cli {

// Writes `frames` (all of one size) with `delay_cs` hundredths of a second
// each and the last held `hold_cs`. Throws tinydiff::IoError when the file
// cannot be written.
void write_gif(const std::string& path, const std::vector<Image>& frames, int delay_cs, int hold_cs);

}  // namespace tinydiff::cli
