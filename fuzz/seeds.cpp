// Writes every built-in example (core/examples.cpp) as a file into the folder given, for the
// seed corpus of fuzz_program and fuzz_file; scripts/fuzz adds fuzz/seeds/ beside them.
#include <cstdio>
#include <string>

#include "core/examples.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds FOLDER\n");
    return 1;
  }
  for (const gs::Example& e : gs::examples()) {
    std::string path = std::string(argv[1]) + "/example-" + e.name + ".gs";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fputs(e.source, f) < 0 || std::fclose(f) != 0) {
      std::fprintf(stderr, "fuzz_seeds: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
