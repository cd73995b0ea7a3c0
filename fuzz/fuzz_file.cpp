// libFuzzer target for the desktop open and save path (native/files.h): the bytes become a
// file, read_program_file reads them back exactly (or refuses past the size limit with its
// message), compile takes the text, and a save of the compiled program reads back unchanged.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "check.h"
#include "core/compile.h"
#include "core/limits.h"
#include "native/files.h"

using namespace gs;

namespace {

// One private file per fuzzing process, rewritten for every input.
const std::string& scratch_path() {
  static const std::string path = [] {
    static char dir[] = "/tmp/gradscope_fuzz_file_XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    std::atexit([] {
      ::unlink((std::string(dir) + "/program.gs").c_str());
      ::rmdir(dir);
    });
    return std::string(dir) + "/program.gs";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string& path = scratch_path();
  std::string why = write_file_atomic(path, bytes);
  FUZZ_CHECK(why.empty(), "cannot write the scratch file: %s", why.c_str());

  std::string text = "unchanged";
  why = read_program_file(path, text);
  if (size > size_t(kMaxSourceBytes)) {
    FUZZ_CHECK(why == "the file is larger than the " + std::to_string(kMaxSourceBytes) + "-byte program limit",
               "oversized file: '%s'", why.c_str());
    FUZZ_CHECK(text == "unchanged", "a refused read changed the text");
    return 0;
  }
  FUZZ_CHECK(why.empty(), "read failed: %s", why.c_str());
  FUZZ_CHECK(text == bytes, "read back %zu bytes of %zu", text.size(), size);

  auto g = compile(text);
  if (!g) return 0;
  // Saving the opened program and opening it again gives the same text.
  const std::string saved = g.value().program_text();
  why = write_file_atomic(path, saved);
  FUZZ_CHECK(why.empty(), "save failed: %s", why.c_str());
  std::string reread;
  why = read_program_file(path, reread);
  FUZZ_CHECK(why.empty() && reread == saved, "the saved program does not read back: %s", why.c_str());
  return 0;
}
