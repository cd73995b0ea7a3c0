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
// reason is returned ("" on success). Symbolic links are followed, dangling ones too (the
// target is written and the link kept); an existing file keeps its permissions, and a
// read-only one is refused with the reason. The temporary's name is short (".gradscope-PID-N.tmp",
// so a 255-byte file name saves) and the ones a killed process left in that folder are removed.
std::string write_file_atomic(const std::string& path, const std::string& text);

}  // namespace gs
