// The core benchmark: per-edit recompute (Graph::evaluate() after one input entry changes)
// of the seed and MLP graphs at growing sizes, against hand-fused Eigen, plus the machine's
// single-core memory bandwidth. The same source runs natively and as WebAssembly under node.
// Prints one JSON object per line (bench/report.py turns them into bench/RESULTS.md).
//
// Usage: gradscope_bench_core [--quick | --seed N [--seed N ...]]
//   --quick: small sizes only, a smoke test; --seed N: only the seed graph at these sizes.
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/graphs.h"
#include "bench/harness.h"

using namespace gs;
using namespace gs::bench;

namespace {

volatile double g_sink;  // keeps results observable so nothing is optimized away

// Single-core bandwidth in STREAM's counting (bytes the loop must read and write; the
// write-allocate read of a store is not counted), with Eigen's vectorized loops: the same
// loads and stores the ops use. Arrays of 128 MiB each, far past the last-level cache.
struct Stream {
  static constexpr Eigen::Index n = Eigen::Index(1) << 24;
  Eigen::VectorXd a = Eigen::VectorXd::Constant(n, 1.0), b = Eigen::VectorXd::Constant(n, 2.0),
                  c = Eigen::VectorXd::Constant(n, 3.0);
  static constexpr double copy_bytes = 2.0 * 8 * double(n), triad_bytes = 3.0 * 8 * double(n);
  void copy() { a = b; g_sink = a[7]; }
  void triad() { a = b + 3.0 * c; g_sink = a[7]; }
};

Stream& stream() {
  static Stream s;
  return s;
}

void bandwidth() {
  Stream& st = stream();
  SideBySide sbs(9, 0.02, [&] { st.copy(); }, [&] { st.triad(); });
  JsonLine("bandwidth")
      .num("copy_gbs", st.copy_bytes / sbs.timing(0).ns)
      .num("copy_best_gbs", st.copy_bytes / sbs.timing(0).min_ns)
      .num("copy_wall_gbs", st.copy_bytes / sbs.timing(0).wall_ns)
      .num("triad_gbs", st.triad_bytes / sbs.timing(1).ns)
      .num("triad_best_gbs", st.triad_bytes / sbs.timing(1).min_ns)
      .num("triad_wall_gbs", st.triad_bytes / sbs.timing(1).wall_ns)
      .print();
}

// One recompute as the UI does it: change one entry of an input, then evaluate(). The entry
// alternates between two values so every call has new work.
struct Edit {
  Matrix& m;
  double v0;
  long long k = 0;
  Edit(Graph& g, const char* input) : m(g.node(g.find(input)).value), v0(m(0, 0)) {}
  double next() { return m(0, 0) = v0 + ((++k & 1) ? 1e-3 : 0.0); }
};

constexpr int kRounds = 15;
constexpr double kBatchSeconds = 0.02;

void seed(int n) {
  Graph g = seed_graph(n);
  const int out = g.output;
  Edit edit(g, "W");
  SeedFused fused(g);
  Seed3Fused fused3(seed_graph(3));  // used only when n == 3
  auto graph_call = [&] { edit.next(); g.evaluate(); g_sink = g.node(out).value(0, 0); };
  auto fused_call = [&] { fused.W(0, 0) = edit.next(); fused.run(); g_sink = fused.f; };
  auto fused3_call = [&] { fused3.W(0, 0) = edit.next(); fused3.run(); g_sink = fused3.f; };
  JsonLine line("seed");
  line.num("n", n);
  if (n == 3) {  // fixed-size Eigen types: the strictest hand-written version of the notebook
    SideBySide sbs(kRounds, kBatchSeconds, graph_call, fused_call, fused3_call);
    line.timing("graph", sbs.timing(0)).timing("fused", sbs.timing(1)).timing("fused3", sbs.timing(2));
    line.num("ratio_fused", sbs.ratio(0, 1)).num("ratio_fused3", sbs.ratio(0, 2));
  } else if (n >= 1024) {  // the memory-bound sizes: the bandwidth measured in the same batches
    Stream& st = stream();
    SideBySide sbs(kRounds, kBatchSeconds, graph_call, fused_call, [&] { st.copy(); }, [&] { st.triad(); });
    line.timing("graph", sbs.timing(0)).timing("fused", sbs.timing(1)).num("ratio_fused", sbs.ratio(0, 1));
    line.num("copy_gbs", st.copy_bytes / sbs.timing(2).ns).num("triad_gbs", st.triad_bytes / sbs.timing(3).ns);
    line.num("copy_wall_gbs", st.copy_bytes / sbs.timing(2).wall_ns).num("triad_wall_gbs", st.triad_bytes / sbs.timing(3).wall_ns);
  } else {
    SideBySide sbs(kRounds, kBatchSeconds, graph_call, fused_call);
    line.timing("graph", sbs.timing(0)).timing("fused", sbs.timing(1)).num("ratio_fused", sbs.ratio(0, 1));
  }
  // Same inputs, same answers: the fused versions must compute what the graph computes.
  g.evaluate();
  fused.W = g.node(g.find("W")).value;
  fused.run();
  line.num("fused_diff", max_difference(g, fused));
  if (n == 3) {
    fused3.W = g.node(g.find("W")).value;
    fused3.run();
    line.num("fused3_diff", max_difference(g, fused3));
  }
  line.print();
}

void mlp(int width) {
  Graph g = mlp_graph(width);
  const int out = g.output;
  Edit edit(g, "W1");
  MlpFused fused(g);
  SideBySide sbs(
      kRounds, kBatchSeconds, [&] { edit.next(); g.evaluate(); g_sink = g.node(out).value(0, 0); },
      [&] { fused.W1(0, 0) = edit.next(); fused.run(); g_sink = fused.L; });
  g.evaluate();
  fused.W1 = g.node(g.find("W1")).value;
  fused.run();
  JsonLine("mlp")
      .num("width", width)
      .num("params", double(fused.W1.size() + fused.b1.size() + fused.W2.size() + 1))
      .timing("graph", sbs.timing(0))
      .timing("fused", sbs.timing(1))
      .num("ratio_fused", sbs.ratio(0, 1))
      .num("fused_diff", max_difference(g, fused))
      .print();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {3, 16, 64, 256, 1024, 4096}, widths = {0, 16, 64, 256, 1024, 4096};
  bool bandwidth_line = true, seed_sizes_given = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      sizes = {3, 16, 64};
      widths = {0, 16};
      bandwidth_line = false;
    } else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {  // only these seed sizes
      if (!seed_sizes_given) sizes.clear();
      seed_sizes_given = true;
      sizes.push_back(std::atoi(argv[++i]));
      widths.clear();
      bandwidth_line = false;
    }
  }
#if defined(__EMSCRIPTEN__)
  const char* platform = "wasm";
#else
  const char* platform = "native";
#endif
  JsonLine("machine")
      .str("platform", platform)
      .str("eigen_simd", Eigen::SimdInstructionSetsInUse())
      .str("compiler", __VERSION__)
      .print();
  if (bandwidth_line) bandwidth();
  for (int n : sizes) seed(n);
  for (int w : widths) mlp(w);
  return 0;
}
