// Hard limits on what a program may ask for, so no input can hang a browser tab or exhaust
// memory. The README's "Limits" section quotes these numbers.
#pragma once

namespace gs {

constexpr int kMaxSourceBytes = 64 * 1024;          // program text
constexpr int kMaxNodes = 512;                        // nodes in one graph, inputs included
constexpr int kMaxDim = 4096;                         // rows or columns of any matrix
constexpr long long kMaxElements = 1LL << 22;         // entries in one matrix (4M, 32 MiB)
constexpr long long kMaxTotalElements = 1LL << 23;    // entries over all nodes (8M)
constexpr int kMaxNesting = 64;                       // parentheses, calls and brackets inside each other

}  // namespace gs
