// Desktop file I/O for programs: reads with a size limit, writes atomically.
#pragma once

#include <string>

namespace gs {

// Reads the whole file; returns "" on success or why it failed.
std::string read_program_file(const std::string& path, std::string& text);
// Writes `text` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`, so a failure never leaves a half-written file. Returns "" or why it failed.
std::string write_file_atomic(const std::string& path, const std::string& text);

}  // namespace gs
