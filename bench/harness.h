// A small timing harness shared by the benchmark programs, native and WebAssembly alike
// (Google Benchmark is not available to em++): batches long enough for the clock, the
// median over batches, the heap allocations counted over every timed call, and versions
// of one computation timed side by side in alternating batches.
//
// Times are CPU time (probes.h) unless named wall_: on a shared machine CPU time is what a
// neighbour's load disturbs least; wall time is reported next to it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/probes.h"

namespace gs::bench {

struct Timing {
  double ns = 0;          // median CPU time per call over the batches
  double min_ns = 0;      // fastest batch, per call (CPU time)
  double wall_ns = 0;     // median wall time per call
  double allocs = 0;      // heap allocations per call, over every timed call (not the first)
  long long calls = 0;    // timed calls
};

inline double now_ns() {
  return double(std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now().time_since_epoch()).count());
}

namespace detail {
// Calls per batch so that one batch of `body` lasts about `seconds`.
template <class F>
long long calls_per_batch(F& body, double seconds) {
  double t0 = now_ns();
  body();
  double one = std::max(1.0, now_ns() - t0);
  long long n = std::max(1LL, (long long)(seconds * 1e9 / one));
  if (n > 1) {  // a better estimate from a short batch: the first calls are often slow
    long long probe = std::min(n, 1000LL);
    t0 = now_ns();
    for (long long i = 0; i < probe; ++i) body();
    n = std::max(1LL, (long long)(seconds * 1e9 / std::max(0.5, (now_ns() - t0) / double(probe))));
  }
  return n;
}
}  // namespace detail

// Times several versions of one computation side by side: each round runs one batch of
// every version in turn, so a busy machine slows them alike. Every version is called once
// untimed first (the first call may allocate: buffers, caches). ratio(i, j) is the median
// over rounds of version i's time over version j's.
class SideBySide {
 public:
  template <class... F>
  explicit SideBySide(int rounds, double batch_seconds, F&&... bodies) {
    (bodies(), ...);
    std::vector<long long> per_batch = {detail::calls_per_batch(bodies, batch_seconds)...};
    size_t k = sizeof...(F);
    times_.assign(k, {});
    walls_.assign(k, {});
    allocs_.assign(k, 0);
    calls_.assign(k, 0);
    for (auto& t : times_) t.reserve(size_t(rounds));  // no allocations inside the timed region
    for (auto& t : walls_) t.reserve(size_t(rounds));
    for (int r = 0; r < rounds; ++r) {
      size_t i = 0;
      (run_batch(i++, per_batch, bodies), ...);
    }
  }
  Timing timing(size_t i) const {
    std::vector<double> t = times_[i], w = walls_[i];
    std::sort(t.begin(), t.end());
    std::sort(w.begin(), w.end());
    Timing out;
    out.ns = t[t.size() / 2];
    out.min_ns = t.front();
    out.wall_ns = w[w.size() / 2];
    out.calls = calls_[i];
    out.allocs = double(allocs_[i]) / double(calls_[i]);
    return out;
  }
  double ratio(size_t i, size_t j) const {
    std::vector<double> r;
    for (size_t k = 0; k < times_[i].size(); ++k) r.push_back(times_[i][k] / times_[j][k]);
    std::sort(r.begin(), r.end());
    return r[r.size() / 2];
  }

 private:
  template <class F>
  void run_batch(size_t i, const std::vector<long long>& per_batch, F& body) {
    long long n = per_batch[i];
    std::uint64_t a0 = allocations();
    double c0 = cpu_ns(), w0 = now_ns();
    for (long long c = 0; c < n; ++c) body();
    double w1 = now_ns(), c1 = cpu_ns();
    allocs_[i] += allocations() - a0;
    calls_[i] += n;
    times_[i].push_back((c1 - c0) / double(n));
    walls_[i].push_back((w1 - w0) / double(n));
  }
  std::vector<std::vector<double>> times_, walls_;
  std::vector<std::uint64_t> allocs_;
  std::vector<long long> calls_;
};

// Minimal JSON output: one object per line, so a driver can read the results as they come.
class JsonLine {
 public:
  explicit JsonLine(const std::string& kind) { s_ = "{\"kind\": \"" + kind + "\""; }
  JsonLine& num(const char* key, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, ", \"%s\": %.6g", key, v);
    s_ += buf;
    return *this;
  }
  JsonLine& str(const char* key, const std::string& v) {
    s_ += std::string(", \"") + key + "\": \"" + v + "\"";
    return *this;
  }
  JsonLine& timing(const char* prefix, const Timing& t) {
    std::string p = prefix;
    num((p + "_ns").c_str(), t.ns);
    num((p + "_min_ns").c_str(), t.min_ns);
    num((p + "_wall_ns").c_str(), t.wall_ns);
    num((p + "_allocs").c_str(), t.allocs);
    return *this;
  }
  void print() {
    std::printf("%s}\n", s_.c_str());
    std::fflush(stdout);
  }

 private:
  std::string s_;
};

}  // namespace gs::bench
