// Hard limits on what a program may ask for, so no input can hang a browser tab or exhaust
// memory. The README's "Limits" section quotes these numbers; tests/test_reliability.cpp
// pins the message each one gives.
#pragma once

namespace gs {

// Program text, and any one value given as text or JSON (--set, the JS API). compile() also
// refuses a program that could outgrow this once its inputs are written out at full
// precision, so every saved file, link and stored state can be opened again.
constexpr int kMaxSourceBytes = 256 * 1024;
constexpr int kMaxNodes = 512;                        // nodes in one graph, inputs and constants included
constexpr int kMaxDim = 4096;                         // rows or columns of any matrix
constexpr long long kMaxElements = 1LL << 22;         // entries in one matrix (4M, 32 MiB)
constexpr long long kMaxTotalElements = 1LL << 23;    // entries over all nodes (8M)
constexpr long long kMaxMultiplyAdds = 1LL << 27;     // all matrix products of one forward pass (134M)
constexpr int kMaxNesting = 64;                       // parentheses, calls and brackets inside each other

}  // namespace gs
