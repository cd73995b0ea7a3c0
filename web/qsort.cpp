// qsort for the browser build: ImGui sorts a few short arrays (child windows, tabs, the font
// atlas's glyph boxes), for which the C library's smoothsort is 1.4 KB of WebAssembly. A
// Shell sort does it in a tenth of that. Like any qsort it promises nothing about the order of
// equal elements (ImGui's comparisons break their ties, except the atlas packer's, whose boxes
// of equal size are interchangeable).
#include "web/qsort.h"

#include <utility>

void gs_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*)) {
  char* const a = static_cast<char*>(base);
  for (size_t gap = count / 2; gap > 0; gap /= 2)
    for (size_t i = gap; i < count; ++i)
      for (size_t j = i; j >= gap && compare(a + (j - gap) * size, a + j * size) > 0; j -= gap)
        for (size_t k = 0; k < size; ++k) std::swap(a[(j - gap) * size + k], a[j * size + k]);
}

#ifdef __EMSCRIPTEN__
// The browser build links with --wrap=qsort: ImGui's qsort calls come here.
extern "C" void __wrap_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*)) {
  gs_qsort(base, count, size, compare);
}
#endif
