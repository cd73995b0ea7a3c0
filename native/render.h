// `gradscope render` and the desktop's picture saving: the graph as the app draws it, written
// to SVG and/or PNG files.
#pragma once

#include <string>

namespace gs {

struct RenderArgs {
  std::string svg, png;     // output files ("" none; "-" standard output)
  bool gradients = true;
  bool dark = false;
  std::string caption;      // a node's name, or ""
  float scale = 1;
};

// Renders `program` (its text, with any --set values already written in) and writes each
// picture asked for. Returns the exit code: 0, or 1 after printing why on standard error.
int write_pictures(const std::string& program, const RenderArgs& args);

// The desktop's "Save as...": a name ending in .svg or .png saves a picture of the graph.
bool is_picture_path(const std::string& path);
// Renders `program` as `args` say, in the format `path` names, and writes it there atomically;
// returns "" or why not.
std::string save_picture(const std::string& path, const std::string& program, const RenderArgs& args);

}  // namespace gs
