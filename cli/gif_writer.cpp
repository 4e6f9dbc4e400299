#include "gif_writer.hpp"

#include <gif_lib.h>

#include <cstring>

#include "tinydiff/io.hpp"

namespace tinydiff::cli {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw IoError("cannot write \"" + path + "\": " + (GifErrorString(error) ? GifErrorString(error) : "giflib error"));
}

}  // namespace

void write_gif(const std::string& path, const std::vector<Image>& frames, int delay_cs, int hold_cs) {
  if (frames.empty()) throw IoError("no frames to write to \"" + path + "\"");
  const int width = frames[0].width, height = frames[0].height;
  int error = 0;
  GifFileType* gif = EGifOpenFileName(path.c_str(), false, &error);
  if (!gif) fail(path, error);
  auto check = [&](int status) {
    if (status != GIF_OK) {
      const int code = gif->Error;
      EGifCloseFile(gif, &error);
      fail(path, code);
    }
  };
  EGifSetGifVersion(gif, true);
  check(EGifPutScreenDesc(gif, width, height, 8, 0, nullptr));
  // The NETSCAPE2.0 application extension: loop forever.
  const unsigned char loop[3] = {1, 0, 0};
  check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE));
  check(EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0"));
  check(EGifPutExtensionBlock(gif, 3, loop));
  check(EGifPutExtensionTrailer(gif));

  const size_t pixels = size_t(width) * size_t(height);
  std::vector<GifByteType> red(pixels), green(pixels), blue(pixels), indices(pixels);
  for (size_t f = 0; f < frames.size(); ++f) {
    const Image& image = frames[f];
    if (image.width != width || image.height != height) throw IoError("GIF frames differ in size");
    for (size_t p = 0; p < pixels; ++p) {
      red[p] = image.rgb[3 * p];
      green[p] = image.rgb[3 * p + 1];
      blue[p] = image.rgb[3 * p + 2];
    }
    ColorMapObject* palette = GifMakeMapObject(256, nullptr);
    if (!palette) fail(path, E_GIF_ERR_NOT_ENOUGH_MEM);
    int colours = 256;
    if (GifQuantizeBuffer(unsigned(width), unsigned(height), &colours, red.data(), green.data(), blue.data(),
                          indices.data(), palette->Colors) != GIF_OK) {
      GifFreeMapObject(palette);
      check(GIF_ERROR);
    }
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSAL_UNSPECIFIED;
    control.DelayTime = f + 1 == frames.size() ? hold_cs : delay_cs;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const size_t length = EGifGCBToExtension(&control, extension);
    int status = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(length), extension);
    if (status == GIF_OK) status = EGifPutImageDesc(gif, 0, 0, width, height, false, palette);
    for (int y = 0; status == GIF_OK && y < height; ++y) status = EGifPutLine(gif, indices.data() + size_t(y) * width, width);
    GifFreeMapObject(palette);
    check(status);
  }
  if (EGifCloseFile(gif, &error) != GIF_OK) fail(path, error);
}

}  // namespace tinydiff::cli
