// The fuzz targets' invariant check: a broken invariant is reported like a crash, with the
// input libFuzzer saves, so it is found, minimized and turned into a regression test alike.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/matrix.h"

#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                       \
      std::fprintf(stderr, "\n");                                              \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

namespace gs::fuzz {

// Same shape and the same bits in every entry (so -0 differs from 0 and nan equals itself).
inline bool identical(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(double)) == 0;
}

}  // namespace gs::fuzz
