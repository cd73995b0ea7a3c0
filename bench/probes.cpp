// Counting allocations: the C allocator entry points are replaced with counting wrappers
// around the C library's own allocator (glibc exports it as __libc_malloc & co., Emscripten's
// dlmalloc as emscripten_builtin_malloc & co.); C++ operator new calls malloc, so it is
// counted too. And the CPU clock.
#include "bench/probes.h"

#include <atomic>
#include <cstddef>
#include <cstring>
#include <ctime>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
EM_JS(double, gs_bench_cpu_us, (), {
  const u = process.cpuUsage();
  return u.user + u.system;
});
double gs::bench::cpu_ns() { return gs_bench_cpu_us() * 1e3; }
#else
double gs::bench::cpu_ns() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}
#endif

namespace {
std::atomic<std::uint64_t> g_allocations{0};
}

std::uint64_t gs::bench::allocations() { return g_allocations.load(std::memory_order_relaxed); }

#define COUNT() g_allocations.fetch_add(1, std::memory_order_relaxed)

#if defined(__EMSCRIPTEN__)
#include <malloc.h>
extern "C" {
void* emscripten_builtin_malloc(size_t);
void emscripten_builtin_free(void*);
void* emscripten_builtin_memalign(size_t, size_t);

void* malloc(size_t n) { COUNT(); return emscripten_builtin_malloc(n); }
void free(void* p) { emscripten_builtin_free(p); }
void* calloc(size_t k, size_t n) {
  COUNT();
  void* p = emscripten_builtin_malloc(k * n);
  if (p) std::memset(p, 0, k * n);
  return p;
}
void* realloc(void* old, size_t n) {
  COUNT();
  void* p = emscripten_builtin_malloc(n);
  if (p && old) {
    size_t have = malloc_usable_size(old);
    std::memcpy(p, old, have < n ? have : n);
  }
  emscripten_builtin_free(old);
  return p;
}
void* memalign(size_t a, size_t n) { COUNT(); return emscripten_builtin_memalign(a, n); }
void* aligned_alloc(size_t a, size_t n) { COUNT(); return emscripten_builtin_memalign(a, n); }
int posix_memalign(void** out, size_t a, size_t n) {
  COUNT();
  *out = emscripten_builtin_memalign(a, n);
  return *out ? 0 : 12;  // ENOMEM
}
}
#else  // glibc
extern "C" {
void* __libc_malloc(size_t);
void __libc_free(void*);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);

void* malloc(size_t n) { COUNT(); return __libc_malloc(n); }
void free(void* p) { __libc_free(p); }
void* calloc(size_t k, size_t n) { COUNT(); return __libc_calloc(k, n); }
void* realloc(void* p, size_t n) { COUNT(); return __libc_realloc(p, n); }
void* memalign(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
void* aligned_alloc(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
int posix_memalign(void** out, size_t a, size_t n) {
  COUNT();
  *out = __libc_memalign(a, n);
  return *out ? 0 : 12;  // ENOMEM
}
}
#endif
