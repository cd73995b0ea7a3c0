// The browser build's qsort (web/qsort.cpp): smaller than the C library's.
#pragma once

#include <cstddef>

// As std::qsort: sorts `count` elements of `size` bytes at `base` in the order `compare` gives.
void gs_qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));
