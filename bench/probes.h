// What the benchmarks measure besides the wall clock: heap allocations (the binaries replace
// malloc and friends, probes.cpp, so "zero allocations per recompute" is counted, not
// assumed) and CPU time (the machine is shared: CPU time is what a busy neighbour disturbs least).
#pragma once

#include <cstdint>

namespace gs::bench {

// Every malloc, calloc, realloc and aligned allocation since the program started
// (operator new and Eigen's aligned_malloc both end up here).
std::uint64_t allocations();

// CPU time used by this process, in nanoseconds (natively the process clock; under node,
// process.cpuUsage(), microsecond resolution).
double cpu_ns();

}  // namespace gs::bench
