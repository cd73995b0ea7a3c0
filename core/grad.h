// Grad: the gradient matrix a VJP adds to, and the one fast path of the backward sweep.
//
// To an op it is a matrix to add to (`*gin[k] += contribution`, see core/ops.h). Underneath,
// Graph::backward() skips zeroing gradients: the first contribution a gradient receives in a
// sweep is written instead of added (same bits), a column-times-row contribution is written
// a column at a time, and one too large for the caches goes out with non-temporal stores.
// These keep the seed graph at n = 4096 near memory bandwidth (bench/RESULTS.md).
#pragma once

#include <cstdint>
#include <type_traits>

#include "matrix.h"

#if defined(__SSE2__) && !defined(__EMSCRIPTEN__)
#include <emmintrin.h>
#endif

namespace gs {

// A gradient that VJPs add their contributions to: `*gin[0] += e`, `-= e`,
// `gin[0]->array() += e`, `gin[0]->noalias() += product`. Within one Graph::backward() sweep
// the first contribution a gradient receives is written as 0 + e instead of being added to a
// zeroed matrix: the same numbers bit for bit (0 + -0 is +0 either way), without zeroing
// the gradient only to read it back. For the seed with W at 4096 x 4096 that is two fewer
// passes over 128 MiB, out of five. A contribution never reads the gradient it goes to (it
// reads values and the output's gradient), so every write is `noalias`.
class Grad {
 public:
  Grad() = default;
  // `fresh` is set while nothing has been added in this sweep; the first write clears it.
  Grad(Matrix& m, char& fresh) : m_(&m), fresh_(&fresh) {}

  Grad& noalias() { return *this; }
  template <class E> Grad& operator+=(const E& e) {
    if constexpr (is_outer_product<E>::value) add_outer(e.lhs(), e.rhs());
    else if (!*fresh_) m_->noalias() += e;
    else if constexpr (is_matrix_product<E>::value) zero_then(e, 1.0);
    else m_->array() = e.array() + 0.0;
    *fresh_ = 0;
    return *this;
  }
  template <class E> Grad& operator-=(const E& e) {
    if (!*fresh_) m_->noalias() -= e;
    else if constexpr (is_matrix_product<E>::value) zero_then(e, -1.0);
    else m_->array() = 0.0 - e.array();
    *fresh_ = 0;
    return *this;
  }
  // Elementwise contributions: `gin[0]->array() += g.array() * y.array()`, or a number.
  struct ArrayView {
    Grad& g;
    template <class E> void operator+=(const E& e) {
      if constexpr (std::is_arithmetic_v<E>) *g.fresh_ ? void(g.m_->setConstant(0.0 + e)) : void(g.m_->array() += e);
      else *g.fresh_ ? void(g.m_->array() = e + 0.0) : void(g.m_->array() += e);
      *g.fresh_ = 0;
    }
  };
  ArrayView array() { return {*this}; }
  // For contributions added piece by piece (a column at a time): the gradient itself,
  // zeroed first if nothing has been added to it yet.
  Matrix& accumulator() {
    if (*fresh_) m_->setZero();
    *fresh_ = 0;
    return *m_;
  }
  Eigen::Index rows() const { return m_->rows(); }
  Eigen::Index cols() const { return m_->cols(); }

 private:
  // A matrix product (not a lazyProduct) is summed into its destination by Eigen's product
  // kernels, which zero a destination they assign to anyway: zeroing here costs nothing more.
  template <class E> struct is_matrix_product : std::false_type {};
  template <class L, class R>
  struct is_matrix_product<Eigen::Product<L, R, Eigen::DefaultProduct>> : std::true_type {};
  template <class E> void zero_then(const E& e, double sign) {
    m_->setZero();
    if (sign > 0) m_->noalias() += e;
    else m_->noalias() -= e;
  }
  // A column times a row (dW += dZ x^T in W @ x): one pass over the gradient, a column at a
  // time, instead of Eigen's general product, which would zero the gradient first.
  template <class E> struct is_outer_product : std::false_type {};
  template <class L, class R>
  struct is_outer_product<Eigen::Product<L, R, Eigen::DefaultProduct>>
      : std::bool_constant<L::ColsAtCompileTime == 1 && R::RowsAtCompileTime == 1> {};
  template <class U, class V> void add_outer(const U& u, const V& v) {  // += u v^T, u (n,1), v^T (1,k)
    Matrix& m = *m_;
    const bool assign = *fresh_;  // read once: a char could alias the entries written below
    if (assign && stream_outer(u, v)) return;
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (assign) m.col(j).array() = u.array() * v(0, j) + 0.0;
      else m.col(j).noalias() += v(0, j) * u;
    }
  }

  // A fresh gradient too large for the caches (dW at 4096 x 4096 is 128 MiB) is written with
  // non-temporal stores: they skip reading each cache line before overwriting it, a third of
  // the memory traffic of a plain store. x86-64 only; elsewhere the loop above does it.
  template <class U, class V> bool stream_outer(const U& u, const V& v) {
#if defined(__SSE2__) && !defined(__EMSCRIPTEN__)
    Matrix& m = *m_;
    constexpr Eigen::Index kStreamBytes = Eigen::Index(16) << 20;
    const Eigen::Index n = m.rows();
    if (m.size() * Eigen::Index(sizeof(double)) < kStreamBytes || n % 2 != 0 ||
        reinterpret_cast<std::uintptr_t>(m.data()) % 16 != 0)
      return false;
    const Eigen::Ref<const Eigen::VectorXd> col(u);  // a column of the output's gradient: no copy
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      const __m128d vj = _mm_set1_pd(v(0, j));
      const __m128d zero = _mm_setzero_pd();
      double* out = m.data() + j * n;
      for (Eigen::Index i = 0; i < n; i += 2)
        _mm_stream_pd(out + i, _mm_add_pd(_mm_mul_pd(_mm_loadu_pd(col.data() + i), vj), zero));
    }
    _mm_sfence();
    return true;
#else
    (void)u, (void)v;
    return false;
#endif
  }

  Matrix* m_ = nullptr;
  char* fresh_ = nullptr;
};

}  // namespace gs
