// web/trig.h: the browser build's sinf, cosf, powf and logf agree with the C library's to 1 ulp.
#include <doctest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "web/trig.h"

namespace {

// How many floats apart a and b are (both finite).
long long ulps(float a, float b) {
  if (a == b) return 0;
  int ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if (ia < 0) ia = int(0x80000000u - unsigned(ia));
  if (ib < 0) ib = int(0x80000000u - unsigned(ib));
  return std::llabs((long long)ia - ib);
}

}  // namespace

TEST_CASE("the browser build's sinf and cosf are within 1 ulp of the C library's") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> angle(-20.f, 20.f), far(-2.6e8f, 2.6e8f);  // (2^28 = 2.68e8)
  long long worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const float x = i % 4 == 3 ? far(rng) : angle(rng);
    CAPTURE(x);
    const long long s = ulps(gs_sinf(x), std::sin(x)), c = ulps(gs_cosf(x), std::cos(x));
    // Near a zero of sin or cos a result is tiny: there compare absolutely instead.
    if (std::fabs(std::sin(x)) > 1e-3f) {
      CHECK(s <= 1);
      worst = std::max(worst, s);
    } else {
      CHECK(std::fabs(gs_sinf(x) - std::sin(x)) <= 1e-10f);
    }
    if (std::fabs(std::cos(x)) > 1e-3f) {
      CHECK(c <= 1);
      worst = std::max(worst, c);
    } else {
      CHECK(std::fabs(gs_cosf(x) - std::cos(x)) <= 1e-10f);
    }
  }
  // ImGui's own angles: the arc table's 48 steps of 2 pi / 48, and the quarter turns exactly.
  for (int i = 0; i <= 48; ++i) {
    const float a = float(i) * 2.f * 3.14159265358979323846f / 48.f;
    CAPTURE(a);
    CHECK(std::fabs(gs_cosf(a) - std::cos(a)) <= 6e-8f);
    CHECK(std::fabs(gs_sinf(a) - std::sin(a)) <= 6e-8f);
  }
  CHECK(gs_sinf(0.f) == 0.f);
  CHECK(std::signbit(gs_sinf(-0.f)));
  for (float huge : {1e12f, 1e20f, 3e38f}) {  // digits lost, but a sine all the same: in [-1, 1]
    CAPTURE(huge);
    CHECK(std::fabs(gs_sinf(huge)) <= 1.f);
    CHECK(std::fabs(gs_cosf(-huge)) <= 1.f);
  }
  CHECK(gs_cosf(0.f) == 1.f);
  CHECK(std::isnan(gs_sinf(NAN)));
  CHECK(std::isnan(gs_cosf(INFINITY)));
  MESSAGE("worst ulps where the result is not tiny: ", worst);
}

TEST_CASE("the browser build's powf and logf are within 1 ulp of the C library's") {
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> base(1e-4f, 10.f), exponent(-3.f, 3.f);
  for (int i = 0; i < 100000; ++i) {
    const float x = base(rng), y = exponent(rng);
    CAPTURE(x);
    CAPTURE(y);
    CHECK(ulps(gs_powf(x, y), std::pow(x, y)) <= 1);
    if (std::fabs(std::log(x)) > 1e-3f) CHECK(ulps(gs_logf(x), std::log(x)) <= 1);
  }
  CHECK(gs_powf(10.f, 2.f) == 100.f);
  CHECK(gs_powf(2.f, -1.f) == 0.5f);
  CHECK(gs_logf(1.f) == 0.f);
  CHECK(std::isinf(gs_logf(0.f)));
  CHECK(std::isnan(gs_logf(-1.f)));
}
