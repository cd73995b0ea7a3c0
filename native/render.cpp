// `gradscope render` and the desktop's picture saving: ui/render.h draws the picture; this
// writes it where it was asked for.
#include "render.h"

#include <cctype>
#include <iostream>

#include "../ui/render.h"
#include "files.h"

namespace gs {
namespace {

bool ends_with(const std::string& path, const char* ext) {
  const std::string e = ext;
  if (path.size() < e.size()) return false;
  for (size_t i = 0; i < e.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(path[path.size() - e.size() + i])) != e[i]) return false;
  return true;
}

// Renders one picture; "" or why not.
std::string render_to(const std::string& path, const std::string& program, const RenderArgs& args,
                      ui::PictureFormat format) {
  ui::PictureOptions opt;
  opt.gradients = args.gradients;
  opt.dark = args.dark;
  opt.caption = args.caption;
  opt.scale = args.scale;
  ui::Picture p = ui::render_picture(program, opt, format);
  if (!p.error.empty()) return p.error;
  if (path == "-") {
    std::cout << p.bytes;
    return "";
  }
  if (std::string why = write_file_atomic(path, p.bytes); !why.empty()) return "cannot write '" + path + "': " + why;
  return "";
}

}  // namespace

bool is_picture_path(const std::string& path) { return ends_with(path, ".svg") || ends_with(path, ".png"); }

std::string save_picture(const std::string& path, const std::string& program, const RenderArgs& args) {
  return render_to(path, program, args, ends_with(path, ".png") ? ui::PictureFormat::Png : ui::PictureFormat::Svg);
}

int write_pictures(const std::string& program, const RenderArgs& args) {
  for (const auto& [path, format] : {std::pair{&args.svg, ui::PictureFormat::Svg}, std::pair{&args.png, ui::PictureFormat::Png}}) {
    if (path->empty()) continue;
    if (std::string why = render_to(*path, program, args, format); !why.empty()) {
      std::cerr << "gradscope: error: " << why << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace gs
