// Desktop file I/O for programs: reads with a size limit, writes atomically.
#pragma once

#include <string>

namespace gs {

// Reads the whole file; returns "" on success or why it failed ("it is a directory", "No
// such file or directory", "the file is larger than the 262144-byte program limit").
// Refuses devices; a named pipe with no writer reads as empty instead of waiting.
std::string read_program_file(const std::string& path, std::string& text);
// The same for standard input (`gradscope eval -`): stops one byte past the limit.
std::string read_program_stdin(std::string& text);
// Writes `text` to a new temporary file beside `path`, flushes it to disk and renames it over
// `path`, so a failure never leaves a half-written file: the old one stays as it was and the
// reason is returned ("" on success). A symbolic link is kept and its target replaced; an
// existing file keeps its permissions.
std::string write_file_atomic(const std::string& path, const std::string& text);

}  // namespace gs
